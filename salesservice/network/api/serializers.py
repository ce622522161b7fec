"""API serializers of outsourced providers (input and output kept apart)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from salesservice.catalog.models import ProductCategory
from salesservice.core.api.fields import inline_choice
from salesservice.core.models import OrgUnit, User
from salesservice.core.privacy import mask_phone

from ..choices import (
    EvaluationConclusion,
    EvaluationItem,
    EvaluationStatus,
    ProviderStatus,
    ReportKind,
    TechnicianStatus,
)
from ..models import (
    ProviderEvaluation,
    ProviderReport,
    ProviderSanction,
    ProviderTechnician,
    ProviderViolation,
    ServiceProvider,
    TechnicianTraining,
)
from ..services import allowed_next_statuses


class ProviderDispatcherSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name"]
        read_only_fields = fields


class ProviderCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductCategory
        fields = ["id", "code", "name"]
        read_only_fields = fields


class ServiceProviderSerializer(serializers.ModelSerializer):
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    # A plain string here: the same choices as `to_status` under a second enum name would make the
    # schema ambiguous (spectacular warns), and ENUM_NAME_OVERRIDES live in settings.
    status = serializers.CharField(
        read_only=True,
        help_text=_("active 正常 / warned 发函警告 / rectifying 限期整改 / dispatch_stopped 停止派工 / removed 撤点"),
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    can_dispatch = serializers.BooleanField(read_only=True, help_text=_("当前状态是否允许派工（NET-3）"))
    allowed_next_statuses = serializers.SerializerMethodField(help_text=_("当前状态可变更为"))
    categories = ProviderCategorySerializer(many=True, read_only=True)
    dispatchers = ProviderDispatcherSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceProvider
        fields = [
            "id",
            "code",
            "name",
            "org_unit",
            "org_unit_name",
            "contact_name",
            "phone",
            "address",
            "categories",
            "dispatchers",
            "status",
            "status_display",
            "status_reason",
            "status_changed_at",
            "can_dispatch",
            "allowed_next_statuses",
            "notes",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_allowed_next_statuses(self, obj) -> list[str]:
        return allowed_next_statuses(obj)


class ServiceProviderCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    org_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), help_text=_("服务的区部或门店"))
    contact_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    categories = serializers.PrimaryKeyRelatedField(queryset=ProductCategory.objects.all(), many=True, required=False)
    dispatchers = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), many=True, required=False, help_text=_("网点调度账号（用户 id）")
    )


class ServiceProviderUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("读取时的版本号；与当前不符返回 409"))
    name = serializers.CharField(max_length=200, required=False)
    org_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False)
    contact_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    categories = serializers.PrimaryKeyRelatedField(queryset=ProductCategory.objects.all(), many=True, required=False)
    dispatchers = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)


class ProviderStatusChangeSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=ProviderStatus.choices)
    reason = serializers.CharField(help_text=_("变更原因（必填）"))


class ProviderViolationSerializer(serializers.ModelSerializer):
    item = inline_choice(EvaluationItem.choices, read_only=True)
    recorded_by_name = serializers.CharField(source="recorded_by.name", read_only=True)

    class Meta:
        model = ProviderViolation
        fields = [
            "id",
            "provider",
            "occurred_on",
            "item",
            "description",
            "recorded_by",
            "recorded_by_name",
            "recorded_at",
        ]
        read_only_fields = fields


class ProviderSanctionSerializer(serializers.ModelSerializer):
    """A sanction notice of the NET-3 ladder (the provider's case file)."""

    rung = inline_choice(ProviderStatus.choices, read_only=True)
    rung_display = serializers.CharField(source="get_rung_display", read_only=True)
    issued_by_name = serializers.CharField(source="issued_by.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = ProviderSanction
        fields = [
            "id",
            "number",
            "provider",
            "rung",
            "rung_display",
            "month",
            "violation_count",
            "rectify_by",
            "reason",
            "notice",
            "automatic",
            "issued_by",
            "issued_by_name",
            "issued_at",
        ]
        read_only_fields = fields


class ProviderViolationCreateSerializer(serializers.Serializer):
    occurred_on = serializers.DateField()
    item = inline_choice(EvaluationItem.choices, required=False, help_text="服务质量评测项目（默认 other 其他）")
    description = serializers.CharField()


class ProviderReportSerializer(serializers.ModelSerializer):
    """A weekly service quality report or monthly roll-up (NET-1, NET-2); `rows` only the reader's providers."""

    kind = inline_choice(ReportKind.choices, read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    rows = serializers.SerializerMethodField(
        help_text="每个网点一行：本期投诉案例、按评测项目、当月与累计次数、状态、阶梯建议、处理通知"
    )

    class Meta:
        model = ProviderReport
        fields = ["id", "kind", "kind_display", "period_start", "period_end", "totals", "rows", "generated_at"]
        read_only_fields = fields

    def get_rows(self, report) -> list[dict]:
        from ..reports import rows_for

        return rows_for(report, self.context["request"].user)


# --- technicians and quarterly training (NET-4) ----------------------------------------------------


class TechnicianSerializer(serializers.ModelSerializer):
    """A provider's technician; `phone` masked unless the reader may reveal personal data or manages them."""

    provider_name = serializers.CharField(source="provider.name", read_only=True)
    status = inline_choice(TechnicianStatus.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    phone = serializers.SerializerMethodField()
    can_assign = serializers.SerializerMethodField(help_text=_("是否可派工（停止工作或离职则否，NET-4）"))

    class Meta:
        model = ProviderTechnician
        fields = [
            "id",
            "provider",
            "provider_name",
            "name",
            "phone",
            "skills",
            "status",
            "status_display",
            "stopped_at",
            "stopped_reason",
            "can_assign",
            "version",
        ]
        read_only_fields = fields

    def get_phone(self, obj) -> str:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and (
            user.has_perm("core.reveal_personal_data") or user.has_perm("network.add_providertechnician")
        ):
            return obj.phone
        return mask_phone(obj.phone)

    def get_can_assign(self, obj) -> bool:
        from ..training import technician_assign_check

        return not technician_assign_check(obj)


class TechnicianCreateSerializer(serializers.Serializer):
    provider = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    name = serializers.CharField(max_length=60)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    skills = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def service_kwargs(self, values):
        values["provider_id"] = values.pop("provider")
        return values


class TrainingSerializer(serializers.ModelSerializer):
    technician_name = serializers.CharField(source="technician.name", read_only=True)

    class Meta:
        model = TechnicianTraining
        fields = [
            "id",
            "technician",
            "technician_name",
            "provider",
            "quarter",
            "trained_on",
            "topic",
            "score",
            "passed",
            "recorded_at",
        ]
        read_only_fields = fields


class TrainingCreateSerializer(serializers.Serializer):
    quarter = serializers.RegexField(r"^\d{4}-Q[1-4]$", max_length=7, help_text="季度，如 2026-Q4")
    trained_on = serializers.DateField()
    topic = serializers.CharField(max_length=200)
    score = serializers.IntegerField(min_value=0, max_value=100)
    passed = serializers.BooleanField()


# --- region evaluations (NET-5) ---------------------------------------------------------------------


class EvaluationSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    status = inline_choice(EvaluationStatus.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    conclusion = inline_choice(EvaluationConclusion.choices, read_only=True)
    conclusion_display = serializers.CharField(source="get_conclusion_display", read_only=True)
    scores = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    computed = serializers.DictField(
        read_only=True, help_text="记录统计：期间违规（按评测项目）、处理通知、最近季度培训合格率"
    )

    class Meta:
        model = ProviderEvaluation
        fields = [
            "id",
            "number",
            "provider",
            "provider_name",
            "period_start",
            "period_end",
            "scores",
            "computed",
            "conclusion",
            "conclusion_display",
            "comment",
            "propose_new_point",
            "new_point_area",
            "new_point_reason",
            "propose_removal",
            "status",
            "status_display",
            "created_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "version",
        ]
        read_only_fields = fields


class EvaluationCreateSerializer(serializers.Serializer):
    provider = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=100),
        help_text="评测项目 → 0–100 分（punctuality、attitude、workmanship、cleanliness、charging、conduct、other）",
    )
    conclusion = inline_choice(EvaluationConclusion.choices)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    propose_new_point = serializers.BooleanField(required=False, default=False)
    new_point_area = serializers.CharField(max_length=200, required=False, allow_blank=True)
    new_point_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    propose_removal = serializers.BooleanField(required=False, default=False)

    def service_kwargs(self, values):
        values["provider_id"] = values.pop("provider")
        return values


class EvaluationSubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1, help_text=_("读取时的版本"))


class EvaluationDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, help_text=_("审批意见（退回必填）"))
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class CaseFileEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField(
        help_text="violation / sanction / report / training / evaluation / status / technician_stopped / contract_end_proposed"
    )
    title = serializers.CharField()
    detail = serializers.CharField()
    reference = serializers.CharField()
