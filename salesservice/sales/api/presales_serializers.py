"""Pre-sales API serializers: inquiries (PRE-1, PRE-3), product claims (PRE-2), tenders (SAL-3), sales-rep
authorisation letters (BUY-2), annual sales plans (SAL-4). Names carry the document (Inquiry…, ProductClaim…,
Tender…, RepAuthorisation…, SalesPlan…) or `Presales` so schema components never collide. Outputs mask the
prospect's phone (personal data); inputs take full values."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from salesservice.catalog.models import Product
from salesservice.core import privacy
from salesservice.core.api.fields import inline_choice
from salesservice.core.models import OrgUnit, User
from salesservice.customers.models import Customer

from ..choices import ClaimStatus, Department, InquiryChannel, InquiryStatus, TenderStatus
from ..models import Inquiry, ProductClaim, RepAuthorisation, SalesPlan, Tender

VERSION_HELP = "可选：读取时的版本（或 If-Match 头）；过期 → 409 `conflict.stale`"
MONEY = dict(max_digits=14, decimal_places=2)


# --- action inputs ---------------------------------------------------------------------------


class PresalesVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class PresalesNoteSerializer(PresalesVersionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class PresalesReasonSerializer(PresalesVersionSerializer):
    reason = serializers.CharField(max_length=300)


class PresalesInquiryAnswerSerializer(PresalesVersionSerializer):
    reply = serializers.CharField(max_length=5000, help_text="答复内容（PRE-1）")
    needs_confirmed = serializers.BooleanField(required=False, default=False, help_text="需求已与客户确认（PRE-3）")


class PresalesInquiryRouteSerializer(PresalesVersionSerializer):
    department = inline_choice(Department.choices)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, help_text="负责人（可选）"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class PresalesTenderBidSerializer(PresalesVersionSerializer):
    bid_amount = serializers.DecimalField(min_value=0, **MONEY)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class PresalesTenderAwardSerializer(PresalesVersionSerializer):
    result = inline_choice([(TenderStatus.WON, "中标"), (TenderStatus.LOST, "未中标")])
    awarded_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


# --- inquiries -------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class MaskedPhoneField(serializers.Field):
    """The prospect's phone masked (`138****0000`); POST `reveal/` for the full value (logged)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return privacy.mask_phone(value or "")


class InquirySerializer(serializers.ModelSerializer):
    status = inline_choice(InquiryStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    channel = inline_choice(InquiryChannel.choices, read_only=True)
    department = inline_choice(Department.choices, read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True, default="")
    product_name = serializers.CharField(source="product.name", read_only=True, default="")
    prospect_phone = MaskedPhoneField()
    overdue = serializers.SerializerMethodField(help_text="PRE-1：待答复且已过应答复时间")

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "number",
            "org_unit",
            "customer",
            "customer_name",
            "prospect_name",
            "prospect_phone",
            "channel",
            "product",
            "product_name",
            "needs",
            "special_requirements",
            "department",
            "assignee",
            "received_at",
            "reply_due_at",
            "overdue",
            "replied_at",
            "reply",
            "needs_confirmed",
            "status",
            "status_label",
            "close_reason",
            "created_by",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        from django.utils import timezone

        return obj.status == InquiryStatus.OPEN and obj.reply_due_at is not None and obj.reply_due_at < timezone.now()


class InquiryCreateSerializer(serializers.Serializer):
    channel = inline_choice(InquiryChannel.choices)
    customer = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.all(), required=False, allow_null=True, help_text="已有客户；否则填写咨询人和电话"
    )
    prospect_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    prospect_phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False, allow_null=True)
    needs = serializers.CharField(max_length=5000)
    special_requirements = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    department = inline_choice(Department.choices, required=False)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    received_at = serializers.DateTimeField(required=False, allow_null=True, help_text="默认：现在")
    org_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True, help_text="默认：客户所属门店或登记人单位"
    )


class PresalesRevealRequestSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=[("prospect_phone", "联系电话")])
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=200)


class PresalesRevealResponseSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField()


# --- product claims --------------------------------------------------------------------------


class ProductClaimSerializer(serializers.ModelSerializer):
    status = inline_choice(ClaimStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = ProductClaim
        fields = [
            "id",
            "product",
            "product_name",
            "text",
            "evidence",
            "status",
            "status_label",
            "submitted_by",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class ProductClaimCreateSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    text = serializers.CharField(max_length=5000)
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=300)


# --- tenders ---------------------------------------------------------------------------------


class TenderContractSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()


class TenderSerializer(serializers.ModelSerializer):
    status = inline_choice(TenderStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    contracts = TenderContractSerializer(many=True, read_only=True, help_text="由该招标签订的合同")

    class Meta:
        model = Tender
        fields = [
            "id",
            "number",
            "org_unit",
            "customer",
            "customer_name",
            "title",
            "tender_no",
            "announced_on",
            "deadline",
            "budget",
            "bid_amount",
            "reported_at",
            "reported_to",
            "bid_at",
            "awarded_on",
            "result_note",
            "status",
            "status_label",
            "contracts",
            "created_by",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class TenderCreateSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all(), help_text="招标单位")
    title = serializers.CharField(max_length=200)
    tender_no = serializers.CharField(required=False, allow_blank=True, max_length=80)
    announced_on = serializers.DateField()
    deadline = serializers.DateTimeField()
    budget = serializers.DecimalField(required=False, allow_null=True, min_value=0, **MONEY)
    org_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True, help_text="默认：登记人单位"
    )


# --- sales-rep authorisation letters ----------------------------------------------------------


class RepAuthorisationSerializer(serializers.ModelSerializer):
    rep_name = serializers.CharField(source="rep.name", read_only=True)
    state = serializers.SerializerMethodField(
        help_text="`valid` 有效；`expired` 已过期；`future` 未生效；`revoked` 已收回"
    )

    class Meta:
        model = RepAuthorisation
        fields = [
            "id",
            "number",
            "rep",
            "rep_name",
            "org_unit",
            "scope",
            "valid_from",
            "valid_until",
            "state",
            "issued_by",
            "revoked_at",
            "revoke_reason",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    def get_state(self, obj) -> str:
        from ..presales_selectors import letter_state

        return letter_state(obj)[0]


class RepAuthorisationCreateSerializer(serializers.Serializer):
    rep = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), help_text="被授权销售人员")
    scope = serializers.CharField(max_length=300)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    org_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True, help_text="默认：被授权人所在单位"
    )


# --- annual sales plans ------------------------------------------------------------------------


class SalesPlanMonthSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    target = serializers.DecimalField(**MONEY)


class SalesPlanProgressSerializer(serializers.Serializer):
    month = serializers.IntegerField(allow_null=True, help_text="null：全年合计")
    target = serializers.DecimalField(**MONEY)
    actual = serializers.DecimalField(**MONEY, help_text="按订单计算（不含草稿、已取消）")
    rate = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True, help_text="完成率 %")


class SalesPlanSerializer(serializers.ModelSerializer):
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    months = SalesPlanMonthSerializer(many=True, read_only=True)
    approved = serializers.SerializerMethodField()

    class Meta:
        model = SalesPlan
        fields = [
            "id",
            "org_unit",
            "org_unit_name",
            "year",
            "last_year_actual",
            "company_target",
            "target",
            "basis",
            "months",
            "approved",
            "approved_by",
            "approved_at",
            "created_by",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    def get_approved(self, obj) -> bool:
        return obj.approved_at is not None


class SalesPlanDetailSerializer(SalesPlanSerializer):
    progress = serializers.SerializerMethodField(help_text="SAL-4：每月目标与实际（实际由订单计算），末行为全年")

    class Meta(SalesPlanSerializer.Meta):
        fields = [*SalesPlanSerializer.Meta.fields, "progress"]
        read_only_fields = fields

    @extend_schema_field(SalesPlanProgressSerializer(many=True))
    def get_progress(self, obj):
        from ..presales_selectors import plan_progress

        return SalesPlanProgressSerializer(plan_progress(obj), many=True).data


class SalesPlanCreateSerializer(serializers.Serializer):
    org_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    company_target = serializers.DecimalField(required=False, default=0, min_value=0, **MONEY)
    target = serializers.DecimalField(min_value=0, **MONEY)
    basis = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    months = serializers.ListField(
        child=serializers.DecimalField(min_value=0, **MONEY),
        required=False,
        allow_empty=True,
        min_length=0,
        max_length=12,
        help_text="12 个月度目标（合计须等于 target）；省略则平均分配",
    )
