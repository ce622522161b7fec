"""Returns API serializers. Names carry a ReturnRequest…/ReturnEligibility…/ReturnMetrics… prefix so schema
components never collide with other apps'. Inputs are parsed here; one service then runs."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from salesservice.catalog.models import Product
from salesservice.core.api.fields import inline_choice
from salesservice.core.choices import OrgUnitKind
from salesservice.core.models import OrgUnit
from salesservice.customers.models import Customer
from salesservice.service.models import ServiceRequest

from ..choices import GoodsCondition, Outcome, RequestedKind, ReturnReason, ReturnStatus, SaleChannel
from ..models import ReturnRequest

# --- eligibility -------------------------------------------------------------------------


class ReturnEligibilityReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ReturnEligibilitySerializer(serializers.Serializer):
    """RET-1: the rules' answer (also the snapshot stored on each request)."""

    eligible = serializers.BooleanField(help_text="所诉求的处理是否符合规则")
    outcome = inline_choice(Outcome.choices, help_text="规则给出的处理（不符合时为仍可提供的最佳处理）")
    outcome_label = serializers.CharField()
    reasons = ReturnEligibilityReasonSerializer(many=True)
    rule_cited = serializers.CharField(help_text="依据条款，如《消费者权益保护法》第二十五条……")
    negotiation_required = serializers.BooleanField(help_text="人为损坏：须协商处理")
    days_since_purchase = serializers.IntegerField(allow_null=True)


class ReturnEligibilityQuerySerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all(), required=False, allow_null=True)
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    purchase_date = serializers.DateField()
    sale_channel = inline_choice(SaleChannel.choices)
    reason = inline_choice(ReturnReason.choices)
    requested_kind = inline_choice(RequestedKind.choices)
    condition = inline_choice(GoodsCondition.choices, required=False, default=GoodsCondition.UNOPENED)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["customer"].queryset = Customer.objects.visible_to(request.user)


# --- outputs -----------------------------------------------------------------------------


@extend_schema_field(ReturnEligibilitySerializer)
class _EligibilitySnapshotField(serializers.JSONField):
    pass


class ReturnRequestSerializer(serializers.ModelSerializer):
    status = inline_choice(ReturnStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    sale_channel = inline_choice(SaleChannel.choices, read_only=True)
    reason = inline_choice(ReturnReason.choices, read_only=True)
    requested_kind = inline_choice(RequestedKind.choices, read_only=True)
    reported_condition = inline_choice(GoodsCondition.choices, read_only=True)
    eligible_outcome = inline_choice(Outcome.choices, read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    store_name = serializers.CharField(source="store.name", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    handler_name = serializers.SerializerMethodField()

    class Meta:
        model = ReturnRequest
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "customer",
            "customer_name",
            "store",
            "store_name",
            "product",
            "product_name",
            "serial_number",
            "batch_number",
            "purchase_date",
            "sale_channel",
            "reason",
            "description",
            "requested_kind",
            "reported_condition",
            "eligible",
            "eligible_outcome",
            "rule_cited",
            "handler",
            "handler_name",
            "requested_at",
            "decided_at",
            "received_at",
            "inspected_at",
            "resolved_at",
            "closed_at",
            "handling_seconds",
            "handling_due_at",
            "escalation_level",
            "version",
        ]
        read_only_fields = fields

    def get_handler_name(self, obj) -> str:
        return obj.handler.name if obj.handler_id else ""


class ReturnRequestDetailSerializer(ReturnRequestSerializer):
    eligibility = _EligibilitySnapshotField(read_only=True)
    received_condition = serializers.CharField(read_only=True, help_text="收货时商品状况")
    resolution = serializers.CharField(read_only=True, help_text="refunded / exchanged / repaired 或空")
    nonconformances = serializers.SerializerMethodField()

    class Meta(ReturnRequestSerializer.Meta):
        fields = [
            *ReturnRequestSerializer.Meta.fields,
            "eligibility",
            "service_request",
            "decided_by",
            "decision_note",
            "override_reason",
            "rejection_reason",
            "received_by",
            "received_condition",
            "received_note",
            "negotiated_outcome",
            "inspected_by",
            "quality_problem",
            "inspection_findings",
            "resolution",
            "resolved_by",
            "refund_amount",
            "replacement_serial",
            "resolution_note",
            "closed_by",
            "closing_note",
            "cancelled_at",
            "cancel_reason",
            "nonconformances",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_nonconformances(self, obj) -> list[str]:
        """Numbers of the nonconformance records this return opened (SUP-8)."""
        return [nc.number for nc in obj.nonconformances.all()]


# --- inputs ------------------------------------------------------------------------------


class ReturnRequestCreateSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.all(), help_text="客户 ID（须在您的范围内）"
    )
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    purchase_date = serializers.DateField(help_text="购买（收货）日期")
    sale_channel = inline_choice(SaleChannel.choices)
    reason = inline_choice(ReturnReason.choices)
    requested_kind = inline_choice(RequestedKind.choices)
    condition = inline_choice(GoodsCondition.choices, required=False, default=GoodsCondition.UNOPENED)
    description = serializers.CharField(required=False, allow_blank=True)
    serial_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    batch_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    store = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.filter(kind=OrgUnitKind.STORE),
        required=False,
        allow_null=True,
        help_text="默认客户所属门店",
    )
    service_request = serializers.PrimaryKeyRelatedField(
        queryset=ServiceRequest.objects.all(), required=False, allow_null=True, help_text="关联的售后服务单"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["service_request"].queryset = ServiceRequest.objects.visible_to(request.user)


class ReturnRequestVersionedSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="可选：读取时的版本；过期 → 409 conflict.stale")


class ReturnRequestApproveSerializer(ReturnRequestVersionedSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    override_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="不符合规则时必填（特批理由）"
    )


class ReturnRequestReasonSerializer(ReturnRequestVersionedSerializer):
    reason = serializers.CharField(max_length=300)


class ReturnRequestReceiveSerializer(ReturnRequestVersionedSerializer):
    condition = inline_choice(GoodsCondition.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    negotiated_outcome = serializers.CharField(
        required=False, allow_blank=True, help_text="人为损坏时必填：与客户协商的结果"
    )


class ReturnRequestInspectSerializer(ReturnRequestVersionedSerializer):
    quality_problem = serializers.BooleanField(help_text="是否存在质量问题（是 → 自动登记不合格品）")
    findings = serializers.CharField()


class ReturnRequestRefundSerializer(ReturnRequestVersionedSerializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="退款金额（元）")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReturnRequestExchangeSerializer(ReturnRequestVersionedSerializer):
    replacement_serial = serializers.CharField(max_length=80, help_text="新机序列号/批号")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReturnRequestNoteSerializer(ReturnRequestVersionedSerializer):
    note = serializers.CharField(max_length=300)


class ReturnRequestCloseSerializer(ReturnRequestVersionedSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text="检验后直接结案时必填")


# --- metrics -----------------------------------------------------------------------------


class ReturnMetricsQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text="申请日期自（含）")
    end = serializers.DateField(help_text="申请日期至（含）")
    group_by = inline_choice([("handler", "经办人"), ("store", "门店")], required=False, default="handler")

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": "结束日期不能早于开始日期"})
        return attrs


class ReturnMetricsRowSerializer(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True, help_text="经办人或门店 ID；合计行为空")
    label = serializers.CharField()
    requested = serializers.IntegerField()
    decided = serializers.IntegerField(help_text="已审批（批准或拒绝）")
    successful = serializers.IntegerField(help_text="以退款/换货/维修结案")
    closed = serializers.IntegerField()
    success_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True, help_text="%")
    avg_handling_hours = serializers.DecimalField(
        max_digits=10, decimal_places=1, allow_null=True, help_text="平均处理时长（小时，申请→结案）"
    )


class ReturnMetricsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    group_by = serializers.CharField()
    rows = ReturnMetricsRowSerializer(many=True)
    total = ReturnMetricsRowSerializer()
