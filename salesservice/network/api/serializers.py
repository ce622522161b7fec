"""API serializers of outsourced providers (input and output kept apart)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from salesservice.catalog.models import ProductCategory
from salesservice.core.api.fields import inline_choice
from salesservice.core.models import OrgUnit, User

from ..choices import EvaluationItem, ProviderStatus, ReportKind
from ..models import ProviderReport, ProviderSanction, ProviderViolation, ServiceProvider
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
