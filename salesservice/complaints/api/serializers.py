"""Complaints API serializers. Outputs are read-only; inputs are parsed, then one service runs.

Names carry a Complaint…/Compensation…/Recovery… prefix so schema components never collide with other apps'.
"""

from rest_framework import serializers

from salesservice.catalog.models import Product
from salesservice.core.api.fields import inline_choice
from salesservice.core.choices import OrgUnitKind
from salesservice.core.models import OrgUnit, User
from salesservice.customers.models import Customer
from salesservice.network.models import ServiceProvider

from ..choices import (
    CompensationRequestStatus,
    ComplaintChannel,
    ComplaintClock,
    ComplaintStatus,
    EntryKind,
    RecoveryStatus,
    ResponsibleParty,
)
from ..models import (
    CompensationEntry,
    CompensationRequest,
    Complaint,
    ComplaintBreach,
    ComplaintDecision,
    ComplaintEscalation,
    ImprovementAction,
    Recovery,
)

# --- outputs -----------------------------------------------------------------------------


def level_field():
    """A level as a plain integer: shared enum components of `level` fields would collide across apps."""
    return serializers.IntegerField(read_only=True, help_text="0 门店 / 1 区部 / 2 总部")


class ComplaintBreachSerializer(serializers.ModelSerializer):
    clock = inline_choice(ComplaintClock.choices, read_only=True)

    class Meta:
        model = ComplaintBreach
        fields = ["clock", "level", "due_at", "breached_at", "overdue_seconds"]
        read_only_fields = fields


class ComplaintEscalationSerializer(serializers.ModelSerializer):
    from_level = level_field()
    to_level = level_field()

    class Meta:
        model = ComplaintEscalation
        fields = ["from_level", "to_level", "at", "automatic", "due_at", "next_due_at", "reason", "escalated_by"]
        read_only_fields = fields


class ComplaintDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplaintDecision
        fields = ["id", "agreed", "solution", "reason", "decided_at", "recorded_by"]
        read_only_fields = fields


class ComplaintImprovementActionSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    complaint_number = serializers.CharField(source="complaint.number", read_only=True)
    is_done = serializers.BooleanField(read_only=True)

    class Meta:
        model = ImprovementAction
        fields = ["id", "complaint", "complaint_number", "description", "owner", "owner_name", "due_date",
                  "is_done", "done_at", "done_by", "done_note", "created_at"]  # fmt: skip
        read_only_fields = fields


class CompensationEntrySerializer(serializers.ModelSerializer):
    kind = inline_choice(EntryKind.choices, read_only=True)
    complaint_number = serializers.SerializerMethodField()

    class Meta:
        model = CompensationEntry
        fields = ["id", "kind", "amount", "balance_after", "complaint", "complaint_number", "note", "created_by",
                  "approved_by", "created_at"]  # fmt: skip
        read_only_fields = fields

    def get_complaint_number(self, obj) -> str:
        return obj.complaint.number if obj.complaint_id else ""


class CompensationRequestSerializer(serializers.ModelSerializer):
    status = inline_choice(CompensationRequestStatus.choices, read_only=True)
    complaint_number = serializers.CharField(source="complaint.number", read_only=True)
    requested_level = level_field()
    required_level = level_field()

    class Meta:
        model = CompensationRequest
        fields = ["id", "complaint", "complaint_number", "amount", "note", "status", "requested_by",
                  "requested_level", "required_level", "requested_at", "decided_by", "decided_at", "decision_note",
                  "entry"]  # fmt: skip
        read_only_fields = fields


class RecoverySerializer(serializers.ModelSerializer):
    party = inline_choice(ResponsibleParty.choices, read_only=True)
    status = inline_choice(RecoveryStatus.choices, read_only=True)
    complaint_number = serializers.CharField(source="complaint.number", read_only=True)

    class Meta:
        model = Recovery
        fields = ["id", "complaint", "complaint_number", "party", "party_name", "provider", "staff", "amount",
                  "status", "opened_at", "settled_at", "settled_by", "note", "entry"]  # fmt: skip
        read_only_fields = fields


class ComplaintSerializer(serializers.ModelSerializer):
    status = inline_choice(ComplaintStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    channel = inline_choice(ComplaintChannel.choices, read_only=True)
    level = level_field()
    responsible_party = serializers.CharField(
        read_only=True, help_text="manufacturer / provider / our_department / staff / customer / none；未认定为空"
    )
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    store_name = serializers.CharField(source="store.name", read_only=True)
    product_name = serializers.SerializerMethodField()
    handler_name = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id", "number", "status", "status_label", "level", "is_major", "customer", "customer_name", "store",
            "store_name", "channel", "service_request", "product", "product_name", "subject", "description",
            "customer_demand", "promised_by", "claimed_amount", "media_exposure", "safety_issue", "handler",
            "handler_name", "received_at", "first_response_due_at", "first_responded_at", "escalation_due_at",
            "is_overdue", "responsible_party", "satisfaction", "closed_at", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_product_name(self, obj) -> str:
        return obj.product.name if obj.product_id else ""

    def get_handler_name(self, obj) -> str:
        return obj.handler.name if obj.handler_id else ""

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue()


class ComplaintDetailSerializer(ComplaintSerializer):
    breaches = ComplaintBreachSerializer(many=True, read_only=True)
    escalations = ComplaintEscalationSerializer(many=True, read_only=True)
    decisions = ComplaintDecisionSerializer(many=True, read_only=True)
    improvement_actions = ComplaintImprovementActionSerializer(many=True, read_only=True)
    compensation_entries = CompensationEntrySerializer(many=True, read_only=True)
    compensation_requests = CompensationRequestSerializer(many=True, read_only=True)
    recoveries = RecoverySerializer(many=True, read_only=True)

    class Meta(ComplaintSerializer.Meta):
        fields = [
            *ComplaintSerializer.Meta.fields,
            "first_response_note", "verification_notes", "departments_consulted", "solution", "solution_proposed_at",
            "agreed_at", "implementation_notes", "implemented_at", "feedback", "feedback_given_at", "root_cause",
            "responsible_provider", "responsible_user", "responsible_detail", "closed_by", "cancelled_at",
            "cancel_reason", "breaches", "escalations", "decisions", "improvement_actions", "compensation_entries",
            "compensation_requests", "recoveries",
        ]  # fmt: skip
        read_only_fields = fields


class CompensationFundSerializer(serializers.Serializer):
    name = serializers.CharField()
    balance = serializers.DecimalField(max_digits=12, decimal_places=2)
    updated_at = serializers.DateTimeField()
    limits = serializers.DictField(child=serializers.DecimalField(max_digits=12, decimal_places=2),
                                   help_text="各级单笔先行赔付权限 {store, region, hq}")  # fmt: skip
    my_level = serializers.IntegerField(help_text="当前用户的权限级别 0 门店 / 1 区部 / 2 总部")
    my_limit = serializers.DecimalField(max_digits=12, decimal_places=2)
    ledger = CompensationEntrySerializer(many=True, help_text="最近 20 条台账（可见范围内）")


class CompensationPayResultSerializer(serializers.Serializer):
    paid = serializers.BooleanField(help_text="true：已赔付（200）；false：超权限，已提交审批（202）")
    entry = CompensationEntrySerializer(allow_null=True)
    pending = CompensationRequestSerializer(allow_null=True)
    complaint = ComplaintDetailSerializer()


# --- inputs ------------------------------------------------------------------------------


class ComplaintCreateSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.all(), required=False, allow_null=True,
        help_text="客户 ID（须在您的范围内）；由服务单升级时可省略",
    )  # fmt: skip
    channel = inline_choice(ComplaintChannel.choices, required=False, default=ComplaintChannel.API)
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField()
    customer_demand = serializers.CharField(required=False, allow_blank=True)
    store = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.filter(kind=OrgUnitKind.STORE), required=False, allow_null=True,
        help_text="默认客户所属门店",
    )  # fmt: skip
    service_request = serializers.IntegerField(required=False, allow_null=True, help_text="来源服务单 ID")
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False, allow_null=True)
    promised_by = serializers.DateTimeField(required=False, allow_null=True,
                                            help_text="向客户承诺的处理时限；热线/到店/门店渠道必填")  # fmt: skip
    claimed_amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, min_value=0)
    media_exposure = serializers.BooleanField(required=False, default=False)
    safety_issue = serializers.BooleanField(required=False, default=False)
    is_major = serializers.BooleanField(required=False, default=False, help_text="人工标记为重大投诉（直接由总部处理）")


class ComplaintVersionedSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="可选：读取时的版本；过期 → 409 conflict.stale")


class ComplaintNoteSerializer(ComplaintVersionedSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ComplaintRequiredNoteSerializer(ComplaintVersionedSerializer):
    note = serializers.CharField(max_length=500, help_text="答复内容")


class ComplaintReasonSerializer(ComplaintVersionedSerializer):
    reason = serializers.CharField(max_length=300)


class ComplaintVerifySerializer(ComplaintVersionedSerializer):
    notes = serializers.CharField(help_text="核实情况")
    departments = serializers.CharField(required=False, allow_blank=True, help_text="协同部门，顿号或逗号分隔")
    responsible_party = inline_choice(ResponsibleParty.choices, required=False, allow_blank=True)
    responsible_provider = serializers.PrimaryKeyRelatedField(
        queryset=ServiceProvider.objects.all(), required=False, allow_null=True
    )
    responsible_user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    responsible_detail = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ComplaintProposeSerializer(ComplaintVersionedSerializer):
    solution = serializers.CharField()


class ComplaintFeedbackSerializer(ComplaintVersionedSerializer):
    feedback = serializers.CharField()
    satisfaction = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)


class ComplaintImprovementInputSerializer(serializers.Serializer):
    description = serializers.CharField()
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    due_date = serializers.DateField()


class ComplaintCloseSerializer(ComplaintVersionedSerializer):
    root_cause = serializers.CharField(allow_blank=True)
    responsible_party = inline_choice(ResponsibleParty.choices, allow_blank=True)
    responsible_provider = serializers.PrimaryKeyRelatedField(
        queryset=ServiceProvider.objects.all(), required=False, allow_null=True, help_text="责任方为外协网点时必填"
    )
    responsible_user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, help_text="责任方为员工时必填"
    )
    responsible_detail = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                               help_text="责任厂家/部门名称（厂家、本公司部门时必填）")  # fmt: skip
    improvement_actions = ComplaintImprovementInputSerializer(many=True, required=False,
                                                              help_text="改进措施；结案时至少已有一项")  # fmt: skip
    satisfaction = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)


class CompensationPaySerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="元，> 0")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class CompensationApproveSerializer(serializers.Serializer):
    request = serializers.IntegerField(help_text="超权限赔付申请 ID")
    approve = serializers.BooleanField(default=True, help_text="false = 驳回（须填 note）")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)

    def service_kwargs(self, values) -> dict:
        """`compensation.compensation_decide` takes the request as `request_id`."""
        return {"request_id": values["request"], "approve": values["approve"], "note": values.get("note", "")}


class CompensationTopUpSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    note = serializers.CharField(max_length=300, help_text="资金来源/批文")


class RecoverySettleSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ComplaintImprovementDoneSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
