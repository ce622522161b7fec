"""Purchasing API serializers (Purchase… / Receipt… prefixes: schema components never collide)."""

from rest_framework import serializers

from salesservice.catalog.models import InspectionItem, Product
from salesservice.core.api.fields import inline_choice
from salesservice.core.models import OrgUnit

from ..choices import CheckResult, OrderStatus, ReceiptStatus, RequisitionStatus
from ..models import (
    CheckResultRow,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequisition,
    Receipt,
    ReceiptLine,
    ReceiptLot,
    RequisitionLine,
)

VERSION = serializers.IntegerField(required=False, help_text="可选：读取时的版本；过期 → 409")


# --- action inputs ---------------------------------------------------------------------------


class PurchaseVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="可选：读取时的版本；过期 → 409")


class PurchaseNoteSerializer(PurchaseVersionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class PurchaseReasonSerializer(PurchaseVersionSerializer):
    reason = serializers.CharField(max_length=300)


class PurchaseCloseSerializer(PurchaseVersionSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text="未到齐时必填")


# --- requisitions ----------------------------------------------------------------------------


class PurchaseRequisitionLineSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = RequisitionLine
        fields = ["id", "product", "product_name", "quantity", "needed_by", "note"]
        read_only_fields = ["id"]


class PurchaseRequisitionSerializer(serializers.ModelSerializer):
    status = inline_choice(RequisitionStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    lines = PurchaseRequisitionLineSerializer(many=True, read_only=True)

    class Meta:
        model = PurchaseRequisition
        fields = [
            "id",
            "number",
            "org_unit",
            "org_unit_name",
            "reason",
            "status",
            "status_label",
            "created_by",
            "created_at",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "lines",
            "version",
        ]
        read_only_fields = fields


class PurchaseRequisitionLineInputSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    quantity = serializers.IntegerField(min_value=1)
    needed_by = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class PurchaseRequisitionCreateSerializer(serializers.Serializer):
    org_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True, help_text="默认：申请人所在单位"
    )
    reason = serializers.CharField(required=False, allow_blank=True)
    lines = PurchaseRequisitionLineInputSerializer(many=True, allow_empty=False)


# --- purchase orders -------------------------------------------------------------------------


class PurchaseOrderLineSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    outstanding = serializers.IntegerField(read_only=True, help_text="未到数量 = 订购 −（到货 − 不合格）")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    on_time = serializers.BooleanField(read_only=True, allow_null=True, help_text="SUP-5 按期（未到期未到齐为 null）")
    quality_rate = serializers.FloatField(read_only=True, allow_null=True, help_text="SUP-5 合格率（合格/已检）")
    in_quantity = serializers.BooleanField(read_only=True, help_text="SUP-5 数量到齐")

    class Meta:
        model = PurchaseOrderLine
        fields = [
            "id",
            "product",
            "product_name",
            "quantity",
            "unit_price",
            "amount",
            "due_date",
            "received_quantity",
            "accepted_quantity",
            "rejected_quantity",
            "outstanding",
            "first_received_at",
            "completed_at",
            "on_time",
            "quality_rate",
            "in_quantity",
        ]
        read_only_fields = fields


class PurchaseOrderSerializer(serializers.ModelSerializer):
    status = inline_choice(OrderStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    lines = PurchaseOrderLineSerializer(many=True, read_only=True)
    warnings = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = PurchaseOrder
        fields = [
            "id",
            "number",
            "supplier",
            "supplier_name",
            "org_unit",
            "warehouse",
            "warehouse_name",
            "requisition",
            "order_date",
            "quality_standard",
            "acceptance_method",
            "return_terms",
            "payment_terms",
            "note",
            "total",
            "status",
            "status_label",
            "created_by",
            "created_at",
            "submitted_by",
            "submitted_at",
            "approved_by",
            "approved_at",
            "approval_note",
            "status_reason",
            "closed_at",
            "warnings",
            "lines",
            "version",
        ]
        read_only_fields = fields


class PurchaseOrderLineInputSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    quantity = serializers.IntegerField(min_value=1)
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    due_date = serializers.DateField()


def _supplier_field(**kwargs):
    from salesservice.suppliers.models import Supplier

    return serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all(), **kwargs)


def _warehouse_field(**kwargs):
    from salesservice.inventory.models import Warehouse

    return serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all(), **kwargs)


class PurchaseOrderCreateSerializer(serializers.Serializer):
    """A draft order with its lines (nested). SUP-4 terms may be empty in a draft; submission requires them."""

    supplier = _supplier_field()
    warehouse = _warehouse_field()
    requisition = serializers.PrimaryKeyRelatedField(
        queryset=PurchaseRequisition.objects.all(), required=False, allow_null=True, help_text="已批准的采购申请"
    )
    order_date = serializers.DateField(required=False)
    quality_standard = serializers.CharField(required=False, allow_blank=True)
    acceptance_method = serializers.CharField(required=False, allow_blank=True)
    return_terms = serializers.CharField(required=False, allow_blank=True)
    payment_terms = serializers.CharField(required=False, allow_blank=True, max_length=300)
    note = serializers.CharField(required=False, allow_blank=True)
    lines = PurchaseOrderLineInputSerializer(many=True, allow_empty=False)


class PurchaseOrderUpdateSerializer(serializers.Serializer):
    """Edit a draft (version required: body `version` or `If-Match`). `lines`, when given, replace all."""

    supplier = _supplier_field(required=False)
    warehouse = _warehouse_field(required=False)
    order_date = serializers.DateField(required=False)
    quality_standard = serializers.CharField(required=False, allow_blank=True)
    acceptance_method = serializers.CharField(required=False, allow_blank=True)
    return_terms = serializers.CharField(required=False, allow_blank=True)
    payment_terms = serializers.CharField(required=False, allow_blank=True, max_length=300)
    note = serializers.CharField(required=False, allow_blank=True)
    lines = PurchaseOrderLineInputSerializer(many=True, required=False, allow_empty=False)
    version = serializers.IntegerField(required=False, help_text="读取时的版本（或 If-Match）；过期 → 409")


# --- receipts ---------------------------------------------------------------------------------


class ReceiptLotSerializer(serializers.ModelSerializer):
    lot_number = serializers.CharField(source="lot.lot_number", read_only=True)
    serial_number = serializers.CharField(source="lot.serial_number", read_only=True)

    class Meta:
        model = ReceiptLot
        fields = ["id", "lot", "lot_number", "serial_number", "quantity", "accepted", "rejected", "location"]
        read_only_fields = fields


class ReceiptCheckSerializer(serializers.ModelSerializer):
    result = inline_choice(CheckResult.choices, read_only=True)

    class Meta:
        model = CheckResultRow
        fields = ["id", "item", "group", "text", "result", "note"]
        read_only_fields = fields


class ReceiptLineSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    serial_numbers = serializers.ListField(child=serializers.CharField(), read_only=True)
    rejected_serials = serializers.ListField(child=serializers.CharField(), read_only=True)
    nonconformance_number = serializers.SerializerMethodField()
    lots = ReceiptLotSerializer(many=True, read_only=True)
    checks = ReceiptCheckSerializer(many=True, read_only=True)

    class Meta:
        model = ReceiptLine
        fields = [
            "id",
            "order_line",
            "product",
            "product_name",
            "quantity",
            "lot_number",
            "serial_numbers",
            "production_date",
            "expiry_date",
            "accepted_quantity",
            "rejected_quantity",
            "rejected_serials",
            "inspection_note",
            "inspector",
            "inspected_at",
            "nonconformance",
            "nonconformance_number",
            "lots",
            "checks",
        ]
        read_only_fields = fields

    def get_nonconformance_number(self, obj) -> str:
        return obj.nonconformance.number if obj.nonconformance_id else ""


class ReceiptSerializer(serializers.ModelSerializer):
    status = inline_choice(ReceiptStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    order_number = serializers.CharField(source="order.number", read_only=True)
    supplier = serializers.IntegerField(source="order.supplier_id", read_only=True)
    supplier_name = serializers.CharField(source="order.supplier.name", read_only=True)
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    lines = ReceiptLineSerializer(many=True, read_only=True)

    class Meta:
        model = Receipt
        fields = [
            "id",
            "number",
            "order",
            "order_number",
            "supplier",
            "supplier_name",
            "warehouse",
            "warehouse_name",
            "delivery_note",
            "received_at",
            "received_by",
            "status",
            "status_label",
            "inspected_by",
            "inspected_at",
            "inspection_note",
            "put_away_by",
            "put_away_at",
            "note",
            "lines",
            "version",
        ]
        read_only_fields = fields


class ReceiptLineInputSerializer(serializers.Serializer):
    order_line = serializers.IntegerField(help_text="采购订单明细 id")
    quantity = serializers.IntegerField(min_value=1, required=False, help_text="按序列号追踪时可省略（= 序列号个数）")
    lot_number = serializers.CharField(required=False, allow_blank=True, max_length=80)
    serial_numbers = serializers.ListField(child=serializers.CharField(max_length=80), required=False)
    production_date = serializers.DateField(required=False, allow_null=True)
    expiry_date = serializers.DateField(required=False, allow_null=True)


class ReceiptCreateSerializer(serializers.Serializer):
    """Goods received against an approved order (PRD-3 lot / serial / dates per tracking mode)."""

    order = serializers.IntegerField(help_text="已批准的采购订单 id")
    delivery_note = serializers.CharField(required=False, allow_blank=True, max_length=60)
    note = serializers.CharField(required=False, allow_blank=True)
    lines = ReceiptLineInputSerializer(many=True, allow_empty=False)


class ReceiptCheckInputSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=InspectionItem.objects.all(), help_text="验收标准要点 id")
    result = inline_choice(CheckResult.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReceiptInspectLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="到货明细 id")
    accepted = serializers.IntegerField(min_value=0)
    rejected = serializers.IntegerField(min_value=0)
    note = serializers.CharField(required=False, allow_blank=True, help_text="有不合格数时必填：不合格描述")
    rejected_serials = serializers.ListField(child=serializers.CharField(), required=False)
    checks = ReceiptCheckInputSerializer(many=True, required=False)


class ReceiptInspectSerializer(serializers.Serializer):
    """SUP-6/SUP-7: every line, accepted + rejected = received, each checklist item pass/fail."""

    lines = ReceiptInspectLineSerializer(many=True)
    note = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, help_text="可选：读取时的版本；过期 → 409")


class ReceiptPutAwayLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="到货明细 id")
    location = serializers.IntegerField(help_text="本仓库的货位 id（kind=storage）")


class ReceiptPutAwaySerializer(serializers.Serializer):
    lines = ReceiptPutAwayLineSerializer(many=True, required=False)
    location = serializers.IntegerField(required=False, help_text="所有行上架到同一货位时可只给此项")
    version = serializers.IntegerField(required=False, help_text="可选：读取时的版本；过期 → 409")
