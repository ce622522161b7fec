"""Sales API serializers (Sales… / Quotation… / Contract… / Order… prefixes: schema components never collide)."""

from rest_framework import serializers

from salesservice.catalog.models import Product
from salesservice.core.api.fields import inline_choice
from salesservice.customers.api.serializers import MaskedField
from salesservice.customers.models import Customer
from salesservice.inventory.models import Warehouse

from ..choices import (
    ConfirmChannel,
    ContractStatus,
    OrderStatus,
    PaymentMethod,
    QuotationStatus,
    ReceivableKind,
    ReviewItem,
    ReviewResult,
)
from ..models import (
    Contract,
    ContractAmendment,
    ContractLine,
    ContractReview,
    Inquiry,
    OrderStep,
    PaymentRecord,
    Quotation,
    QuotationLine,
    Receivable,
    SalesOrder,
    SalesOrderLine,
    SalesRecord,
    Tender,
)

MONEY = dict(max_digits=14, decimal_places=2)

# --- action inputs ------------------------------------------------------------------------------


class SalesVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="可选：读取时的版本；过期 → 409")


class SalesNoteSerializer(SalesVersionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class SalesReasonSerializer(SalesVersionSerializer):
    reason = serializers.CharField(max_length=300)


class ContractReviewInputSerializer(SalesVersionSerializer):
    item = inline_choice(ReviewItem.choices)
    result = inline_choice([c for c in ReviewResult.choices if c[0] != ReviewResult.PENDING])
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text="不通过时必填")


class ContractSignSerializer(SalesVersionSerializer):
    customer_signatory = serializers.CharField(max_length=60)
    signed_on = serializers.DateField(required=False)
    deposit_amount = serializers.DecimalField(required=False, min_value=0, **MONEY)
    method = inline_choice(PaymentMethod.choices, required=False)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=80)


class ContractLineInputSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.filter(is_active=True))
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000)
    unit_price = serializers.DecimalField(required=False, allow_null=True, max_digits=12, decimal_places=2, min_value=0)


class ContractTermsSerializer(serializers.Serializer):
    delivery_due = serializers.DateField(required=False, allow_null=True)
    delivery_terms = serializers.CharField(required=False, allow_blank=True)
    acceptance_terms = serializers.CharField(required=False, allow_blank=True)
    payment_terms = serializers.CharField(required=False, allow_blank=True)
    deposit_required = serializers.DecimalField(required=False, min_value=0, **MONEY)
    acceptance_days = serializers.IntegerField(required=False, min_value=0, max_value=365)
    installation_required = serializers.BooleanField(required=False)
    training_required = serializers.BooleanField(required=False)
    protect_to_destination = serializers.BooleanField(required=False)


class ContractAmendSerializer(ContractTermsSerializer, SalesVersionSerializer):
    reason = serializers.CharField(max_length=300)
    title = serializers.CharField(required=False, max_length=200)
    lines = ContractLineInputSerializer(many=True, required=False, allow_empty=False, help_text="给出则整体替换")


class OrderConfirmSerializer(SalesVersionSerializer):
    confirmed_with = serializers.CharField(max_length=60)
    confirm_channel = inline_choice(ConfirmChannel.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class PaymentInputSerializer(SalesVersionSerializer):
    amount = serializers.DecimalField(min_value=0, **MONEY)
    received_on = serializers.DateField(required=False)
    method = inline_choice(PaymentMethod.choices, required=False)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=80)


# --- creates ------------------------------------------------------------------------------------


def _customer_field():
    return serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())


class QuotationCreateSerializer(serializers.Serializer):
    customer = _customer_field()
    inquiry = serializers.PrimaryKeyRelatedField(
        queryset=Inquiry.objects.all(),
        required=False,
        allow_null=True,
    )
    valid_until = serializers.DateField(required=False, allow_null=True)
    terms = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    lines = ContractLineInputSerializer(many=True, allow_empty=False)


class ContractCreateSerializer(ContractTermsSerializer):
    customer = _customer_field()
    title = serializers.CharField(max_length=200)
    quotation = serializers.PrimaryKeyRelatedField(queryset=Quotation.objects.all(), required=False, allow_null=True)
    tender = serializers.PrimaryKeyRelatedField(
        queryset=Tender.objects.all(),
        required=False,
        allow_null=True,
    )
    lines = ContractLineInputSerializer(many=True, required=False, allow_empty=False, help_text="从报价单转换时可省略")


class OrderCreateSerializer(serializers.Serializer):
    customer = _customer_field()
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    contract = serializers.PrimaryKeyRelatedField(queryset=Contract.objects.all(), required=False, allow_null=True)
    quotation = serializers.PrimaryKeyRelatedField(queryset=Quotation.objects.all(), required=False, allow_null=True)
    order_date = serializers.DateField(required=False)
    requested_date = serializers.DateField(required=False, allow_null=True)
    ship_to_contact = serializers.CharField(required=False, allow_blank=True, max_length=60)
    ship_to_phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    ship_to_address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    note = serializers.CharField(required=False, allow_blank=True)
    lines = ContractLineInputSerializer(
        many=True, required=False, allow_empty=False, help_text="从合同/报价转换时可省略"
    )


# --- outputs ------------------------------------------------------------------------------------

LINE_FIELDS = ["id", "product", "product_name", "quantity", "list_price", "unit_price", "amount", "discount_pct"]


class _LineOut(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    amount = serializers.DecimalField(read_only=True, **MONEY)
    discount_pct = serializers.DecimalField(read_only=True, max_digits=5, decimal_places=1)


class QuotationLineSerializer(_LineOut):
    class Meta:
        model = QuotationLine
        fields = LINE_FIELDS
        read_only_fields = fields


class ContractLineSerializer(_LineOut):
    class Meta:
        model = ContractLine
        fields = LINE_FIELDS
        read_only_fields = fields


class QuotationSerializer(serializers.ModelSerializer):
    status = inline_choice(QuotationStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    lines = QuotationLineSerializer(many=True, read_only=True)

    class Meta:
        model = Quotation
        fields = [
            "id",
            "number",
            "org_unit",
            "customer",
            "customer_name",
            "inquiry",
            "valid_until",
            "terms",
            "note",
            "total",
            "max_discount_pct",
            "approval_level",
            "status",
            "status_label",
            "created_by",
            "created_at",
            "approved_by",
            "approved_at",
            "decision_note",
            "accepted_at",
            "lines",
            "version",
        ]
        read_only_fields = fields


class ContractReviewSerializer(serializers.ModelSerializer):
    item = inline_choice(ReviewItem.choices, read_only=True)
    result = inline_choice(ReviewResult.choices, read_only=True)
    item_label = serializers.CharField(source="get_item_display", read_only=True)
    department_label = serializers.CharField(source="get_department_display", read_only=True)
    findings = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = ContractReview
        fields = [
            "id",
            "revision",
            "item",
            "item_label",
            "department",
            "department_label",
            "result",
            "findings",
            "note",
            "reviewer",
            "reviewed_at",
        ]
        read_only_fields = fields


class ContractAmendmentSerializer(serializers.ModelSerializer):
    changes = serializers.DictField(read_only=True)

    class Meta:
        model = ContractAmendment
        fields = ["id", "from_revision", "to_revision", "reason", "changes", "created_by", "created_at"]
        read_only_fields = fields


class ContractSerializer(serializers.ModelSerializer):
    status = inline_choice(ContractStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    lines = ContractLineSerializer(many=True, read_only=True)
    reviews = ContractReviewSerializer(many=True, read_only=True)
    amendments = ContractAmendmentSerializer(many=True, read_only=True)
    deposit_outstanding = serializers.DecimalField(read_only=True, **MONEY)

    class Meta:
        model = Contract
        fields = [
            "id",
            "number",
            "org_unit",
            "customer",
            "customer_name",
            "quotation",
            "tender",
            "title",
            "revision",
            "total",
            "delivery_due",
            "delivery_terms",
            "acceptance_terms",
            "payment_terms",
            "deposit_required",
            "deposit_received",
            "deposit_outstanding",
            "installation_required",
            "training_required",
            "protect_to_destination",
            "acceptance_days",
            "status",
            "status_label",
            "created_by",
            "created_at",
            "submitted_at",
            "approved_by",
            "approved_at",
            "signed_on",
            "customer_signatory",
            "signed_by",
            "status_reason",
            "lines",
            "reviews",
            "amendments",
            "version",
        ]
        read_only_fields = fields


class OrderLineSerializer(_LineOut):
    class Meta:
        model = SalesOrderLine
        fields = [*LINE_FIELDS, "allocated_quantity", "shipped_quantity"]
        read_only_fields = fields


class OrderStepSerializer(serializers.ModelSerializer):
    step_label = serializers.CharField(source="get_step_display", read_only=True)
    is_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = OrderStep
        fields = ["id", "step", "step_label", "department", "due_at", "done_at", "is_late"]
        read_only_fields = fields


class SalesOrderSerializer(serializers.ModelSerializer):
    status = inline_choice(OrderStatus.choices, read_only=True)
    confirm_channel = inline_choice(ConfirmChannel.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    lines = OrderLineSerializer(many=True, read_only=True)
    steps = OrderStepSerializer(many=True, read_only=True)
    review_findings = serializers.ListField(child=serializers.DictField(), read_only=True)
    ship_to_phone = MaskedField("phone")
    ship_to_address = MaskedField("address")
    processing_hours = serializers.FloatField(read_only=True, allow_null=True, help_text="SAL-6：录入到配货（小时）")

    class Meta:
        model = SalesOrder
        fields = [
            "id",
            "number",
            "org_unit",
            "customer",
            "customer_name",
            "contract",
            "quotation",
            "warehouse",
            "sales_rep",
            "rep_authorisation",
            "rep_flag",
            "order_date",
            "requested_date",
            "ship_to_contact",
            "ship_to_phone",
            "ship_to_address",
            "note",
            "total",
            "status",
            "status_label",
            "review_findings",
            "reviewed_by",
            "reviewed_at",
            "confirmed_at",
            "confirmed_with",
            "confirm_channel",
            "allocated_at",
            "shipped_at",
            "delivered_at",
            "closed_at",
            "processing_hours",
            "status_reason",
            "created_by",
            "created_at",
            "lines",
            "steps",
            "version",
        ]
        read_only_fields = fields


class PaymentRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentRecord
        fields = ["id", "amount", "received_on", "method", "reference", "recorded_by", "recorded_at"]
        read_only_fields = fields


class ReceivableSerializer(serializers.ModelSerializer):
    kind = inline_choice(ReceivableKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    outstanding = serializers.DecimalField(read_only=True, **MONEY)
    is_overdue = serializers.BooleanField(read_only=True)
    payments = PaymentRecordSerializer(many=True, read_only=True)

    class Meta:
        model = Receivable
        fields = [
            "id",
            "org_unit",
            "customer",
            "customer_name",
            "contract",
            "order",
            "kind",
            "kind_label",
            "amount",
            "due_date",
            "paid_amount",
            "outstanding",
            "is_overdue",
            "paid_at",
            "payments",
            "version",
        ]
        read_only_fields = fields


class SalesRecordSerializer(serializers.ModelSerializer):
    phone = MaskedField("phone")
    address = MaskedField("address")

    class Meta:
        model = SalesRecord
        fields = [
            "id",
            "org_unit",
            "order",
            "order_line",
            "customer",
            "product",
            "lot",
            "shipment_id",
            "shipment_number",
            "sale_date",
            "quantity",
            "unit_price",
            "amount",
            "is_medical_device",
            "product_name",
            "specification",
            "registration_no",
            "lot_number",
            "serial_number",
            "expiry_date",
            "manufacturer",
            "manufacturer_licence_no",
            "buyer_name",
            "buyer_licence_no",
            "contact",
            "phone",
            "address",
            "retain_until",
        ]
        read_only_fields = fields
