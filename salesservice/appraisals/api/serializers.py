"""Appraisals API serializers (Kpi… / Cycle… / Appraisal… prefixes: schema components never collide)."""

from rest_framework import serializers

from salesservice.core.api.fields import inline_choice
from salesservice.core.roles import ROLES

from ..choices import AppraisalStatus, BonusTier, CustomerSource, CycleKind, CycleStatus, Grade
from ..metrics import METRIC_CHOICES
from ..models import Appraisal, AppraisalCycle, KpiDefinition, KpiLine

POSTS = [(role.code, str(role.label)) for role in ROLES]


def _version():
    return serializers.IntegerField(required=False, help_text="可选：读取时的版本；过期 → 409（也可用 If-Match）")


def _score(help_text="0–100", required=True):
    return serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=0,
        max_value=100,
        required=required,
        allow_null=not required,
        help_text=help_text,
    )


# --- KPI definitions -------------------------------------------------------------------------------


class KpiSerializer(serializers.ModelSerializer):
    post = inline_choice(POSTS, read_only=True)
    metric = inline_choice(METRIC_CHOICES, read_only=True)

    class Meta:
        model = KpiDefinition
        fields = [
            "id",
            "post",
            "code",
            "name",
            "metric",
            "weight",
            "target",
            "higher_is_better",
            "active",
            "description",
            "version",
        ]
        read_only_fields = fields


class KpiCreateSerializer(serializers.Serializer):
    """KPI-1: a KPI of a post (the post's active weights may not exceed 100)."""

    post = inline_choice(POSTS)
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=100)
    metric = inline_choice(METRIC_CHOICES)
    weight = serializers.IntegerField(min_value=1, max_value=100, help_text="权重 %")
    target = serializers.DecimalField(max_digits=12, decimal_places=2)
    higher_is_better = serializers.BooleanField(required=False, default=True)
    active = serializers.BooleanField(required=False, default=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class KpiUpdateSerializer(serializers.Serializer):
    version = _version()
    name = serializers.CharField(max_length=100, required=False)
    metric = inline_choice(METRIC_CHOICES, required=False)
    weight = serializers.IntegerField(min_value=1, max_value=100, required=False)
    target = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    higher_is_better = serializers.BooleanField(required=False)
    active = serializers.BooleanField(required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# --- cycles ------------------------------------------------------------------------------------------


class CycleSerializer(serializers.ModelSerializer):
    kind = inline_choice(CycleKind.choices, read_only=True)
    status = inline_choice(CycleStatus.choices, read_only=True)
    label = serializers.CharField(read_only=True)
    total = serializers.IntegerField(read_only=True, help_text="考核人数")
    finalised = serializers.IntegerField(read_only=True, help_text="已定稿")
    pending_self = serializers.IntegerField(read_only=True, help_text="待自评")
    pending_supervisor = serializers.IntegerField(read_only=True, help_text="待上级评价")

    class Meta:
        model = AppraisalCycle
        fields = [
            "id",
            "kind",
            "label",
            "period_start",
            "period_end",
            "deadline",
            "status",
            "opened_at",
            "closed_at",
            "total",
            "finalised",
            "pending_self",
            "pending_supervisor",
            "version",
        ]
        read_only_fields = fields


# --- appraisals --------------------------------------------------------------------------------------


class AppraisalLineSerializer(serializers.ModelSerializer):
    metric = inline_choice(METRIC_CHOICES, read_only=True)

    class Meta:
        model = KpiLine
        fields = [
            "code",
            "name",
            "metric",
            "weight",
            "target",
            "higher_is_better",
            "value",
            "numerator",
            "denominator",
            "score",
        ]
        read_only_fields = fields


class AppraisalSerializer(serializers.ModelSerializer):
    status = inline_choice(AppraisalStatus.choices, read_only=True)
    grade = inline_choice(Grade.choices, read_only=True)
    bonus_tier = inline_choice(BonusTier.choices, read_only=True)
    customer_source = inline_choice(CustomerSource.choices, read_only=True)
    cycle_label = serializers.CharField(source="cycle.__str__", read_only=True)
    appraisee_name = serializers.CharField(source="appraisee.name", read_only=True)
    lines = AppraisalLineSerializer(many=True, read_only=True)

    class Meta:
        model = Appraisal
        fields = [
            "id",
            "cycle",
            "cycle_label",
            "appraisee",
            "appraisee_name",
            "org_unit",
            "post",
            "status",
            "kpi_score",
            "lines",
            "self_score",
            "self_comment",
            "self_evaluated_at",
            "supervisor",
            "supervisor_score",
            "attitude_score",
            "ability_score",
            "supervisor_comment",
            "customer_score",
            "customer_source",
            "evaluated_at",
            "final_score",
            "grade",
            "bonus_tier",
            "promotion_proposed",
            "training_course",
            "result_note",
            "finalised_by",
            "finalised_at",
            "version",
        ]
        read_only_fields = fields


class SelfEvaluateSerializer(serializers.Serializer):
    """KPI-4: the appraisee's self-evaluation."""

    version = _version()
    self_score = _score("自评分 0–100")
    self_comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class EvaluateSerializer(serializers.Serializer):
    """KPI-4 / KPI-2: supervisor score, judged attitude and ability, customer evaluation with its source."""

    version = _version()
    supervisor_score = _score("上级评分 0–100")
    attitude_score = _score("工作态度（评定）0–100")
    ability_score = _score("工作能力（评定）0–100")
    supervisor_comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    customer_score = _score("客户评价分 0–100（可选；填写时须注明来源）", required=False)
    customer_source = inline_choice(CustomerSource.choices, required=False, allow_blank=True)


class FinaliseSerializer(serializers.Serializer):
    """KPI-5: consequences of the result (bonus tier defaults from the grade)."""

    version = _version()
    bonus_tier = inline_choice(BonusTier.choices, required=False, allow_blank=True)
    promotion_proposed = serializers.BooleanField(required=False, default=False)
    training_course = serializers.IntegerField(required=False, allow_null=True, min_value=1, help_text="people 课程 id")
    result_note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
