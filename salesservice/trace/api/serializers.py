"""Trace API serializers (TRC-2). Names carry a Trace…/Recall… prefix so schema components never collide with
other apps'. Inputs are parsed here; one service or selector then runs."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from salesservice.core.api.fields import inline_choice

from ..choices import RecallLevel, RecallStatus, RecallTaskStatus, TraceKind
from ..models import RecallCampaign, RecallTask, RecallTaskLot

# --- the trace ----------------------------------------------------------------------------------


class TraceQuerySerializer(serializers.Serializer):
    """Exactly one of `lot` (lot id or lot number), `serial` or `customer` (customer id)."""

    lot = serializers.CharField(required=False, max_length=80, help_text="批次 ID 或批号")
    serial = serializers.CharField(required=False, max_length=80, help_text="序列号")
    customer = serializers.IntegerField(required=False, min_value=1, help_text="客户 ID")


class TraceReceiptSerializer(serializers.Serializer):
    """Backward path: the receipt that brought the lot in, its purchase order and supplier."""

    receipt = serializers.IntegerField(source="line.receipt_id")
    receipt_number = serializers.CharField(source="line.receipt.number")
    received_at = serializers.DateTimeField(source="line.receipt.received_at")
    delivery_note = serializers.CharField(source="line.receipt.delivery_note")
    purchase_order = serializers.IntegerField(source="line.receipt.order_id")
    purchase_order_number = serializers.CharField(source="line.receipt.order.number")
    supplier = serializers.IntegerField(source="line.receipt.order.supplier_id")
    supplier_name = serializers.CharField(source="line.receipt.order.supplier.name")
    quantity = serializers.IntegerField()
    accepted = serializers.IntegerField()


class TraceOutboundSerializer(serializers.Serializer):
    """An outbound stock move 出库 of the lot (the outbound slip's ledger row)."""

    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    warehouse_code = serializers.CharField(source="warehouse.code")
    quantity = serializers.IntegerField()
    reference_number = serializers.CharField()


class TraceLotSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="lot.pk")
    product = serializers.IntegerField(source="lot.product_id")
    product_code = serializers.CharField(source="lot.product.code")
    product_name = serializers.CharField(source="lot.product.name")
    lot_number = serializers.CharField(source="lot.lot_number")
    serial_number = serializers.CharField(source="lot.serial_number")
    expiry_date = serializers.DateField(source="lot.expiry_date", allow_null=True)
    held = serializers.BooleanField(source="lot.held")
    suppliers = serializers.ListField(child=serializers.CharField())
    shipped = serializers.IntegerField(help_text="在您范围内的销售记录发货数量合计")
    customers = serializers.IntegerField(help_text="收货客户数")
    orders = serializers.ListField(child=serializers.CharField())
    receipts = TraceReceiptSerializer(many=True)
    outbound = TraceOutboundSerializer(many=True)


class TraceRecordSerializer(serializers.Serializer):
    """One GSP sales record on the path: outbound → shipping note → order / contract → customer."""

    id = serializers.IntegerField()
    lot = serializers.IntegerField(source="lot_id")
    lot_number = serializers.CharField()
    serial_number = serializers.CharField()
    product_name = serializers.CharField()
    customer = serializers.IntegerField(source="customer_id")
    buyer_name = serializers.CharField()
    order = serializers.IntegerField(source="order_id")
    order_number = serializers.CharField(source="order.number")
    contract = serializers.IntegerField(source="order.contract_id", allow_null=True)
    contract_number = serializers.SerializerMethodField()
    shipment_number = serializers.CharField()
    sale_date = serializers.DateField()
    quantity = serializers.IntegerField()
    contact = serializers.CharField()
    phone = serializers.SerializerMethodField()

    def get_contract_number(self, obj) -> str:
        return obj.order.contract.number if obj.order.contract_id else ""

    def get_phone(self, obj) -> str:
        from salesservice.core.privacy import mask_phone

        return obj.phone if self.context.get("revealed") else mask_phone(obj.phone)


class TraceCustomerSerializer(serializers.Serializer):
    customer = serializers.IntegerField(source="customer_id")
    name = serializers.CharField()
    code = serializers.CharField()
    quantity = serializers.IntegerField()
    orders = serializers.ListField(child=serializers.CharField())
    contracts = serializers.ListField(child=serializers.CharField())
    lots = serializers.ListField(child=serializers.CharField())
    last_sale_date = serializers.DateField(allow_null=True)
    contact = serializers.CharField()
    phone = serializers.CharField(help_text="默认脱敏（138****0000）")


class TraceResultSerializer(serializers.Serializer):
    """TRC-2: the lots with their supply path, the customers who received them and the sales records."""

    kind = inline_choice(TraceKind.choices, read_only=True)
    value = serializers.CharField()
    truncated = serializers.BooleanField(help_text="销售记录超过 2000 条，只返回最近的 2000 条")
    shipped = serializers.IntegerField()
    lots = TraceLotSerializer(many=True)
    customers = TraceCustomerSerializer(many=True)
    records = TraceRecordSerializer(many=True)


# --- recalls ------------------------------------------------------------------------------------


class RecallReconciliationSerializer(serializers.Serializer):
    """Per lot: shipped = recovered + outstanding; in stock (our warehouses, quarantine included) beside it."""

    lot = serializers.IntegerField(source="lot.pk")
    lot_number = serializers.CharField(source="lot.lot_number")
    serial_number = serializers.CharField(source="lot.serial_number")
    product_name = serializers.CharField(source="lot.product.name")
    held = serializers.BooleanField()
    shipped = serializers.IntegerField()
    recovered = serializers.IntegerField()
    outstanding = serializers.IntegerField()
    in_stock = serializers.IntegerField()


class RecallLotBriefSerializer(serializers.Serializer):
    lot = serializers.IntegerField(source="lot_id")
    lot_number = serializers.CharField(source="lot.lot_number")
    serial_number = serializers.CharField(source="lot.serial_number")
    product_name = serializers.CharField(source="lot.product.name")
    held_by_recall = serializers.BooleanField()


class RecallSerializer(serializers.ModelSerializer):
    status = inline_choice(RecallStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    level = inline_choice(RecallLevel.choices, read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)

    class Meta:
        model = RecallCampaign
        fields = [
            "id",
            "number",
            "title",
            "level",
            "level_label",
            "reason",
            "org_unit",
            "org_unit_name",
            "status",
            "status_label",
            "launched_at",
            "closed_at",
            "close_note",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class RecallDetailSerializer(RecallSerializer):
    lots = RecallLotBriefSerializer(source="recall_lots", many=True, read_only=True)
    reconciliation = serializers.SerializerMethodField()
    tasks_total = serializers.SerializerMethodField()
    tasks_open = serializers.SerializerMethodField()

    class Meta(RecallSerializer.Meta):
        fields = [*RecallSerializer.Meta.fields, "lots", "tasks_total", "tasks_open", "reconciliation"]
        read_only_fields = fields

    @extend_schema_field(RecallReconciliationSerializer(many=True))
    def get_reconciliation(self, obj):
        from ..selectors import reconciliation

        return RecallReconciliationSerializer(reconciliation(obj), many=True).data

    def get_tasks_total(self, obj) -> int:
        return obj.tasks.count()

    def get_tasks_open(self, obj) -> int:
        from ..choices import TASK_CLOSED

        return obj.tasks.exclude(status__in=TASK_CLOSED).count()


class RecallCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    level = serializers.ChoiceField(choices=RecallLevel.choices, default=RecallLevel.LEVEL_2)
    reason = serializers.CharField(max_length=2000)
    lots = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=200)


class RecallVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)


class RecallCloseSerializer(RecallVersionSerializer):
    close_note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class RecallTaskLotSerializer(serializers.ModelSerializer):
    lot_number = serializers.CharField(source="lot.lot_number", read_only=True)
    serial_number = serializers.CharField(source="lot.serial_number", read_only=True)
    outstanding = serializers.IntegerField(read_only=True)

    class Meta:
        model = RecallTaskLot
        fields = [
            "lot",
            "lot_number",
            "serial_number",
            "shipped_quantity",
            "recovered_quantity",
            "outstanding",
            "orders",
        ]
        read_only_fields = fields


class RecallTaskSerializer(serializers.ModelSerializer):
    status = inline_choice(RecallTaskStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    campaign_number = serializers.CharField(source="campaign.number", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    assignee_name = serializers.SerializerMethodField()
    outstanding = serializers.IntegerField(read_only=True)
    phone = serializers.SerializerMethodField(help_text="脱敏（138****0000）")

    class Meta:
        model = RecallTask
        fields = [
            "id",
            "campaign",
            "campaign_number",
            "customer",
            "customer_name",
            "org_unit",
            "assignee",
            "assignee_name",
            "contact",
            "phone",
            "shipped_quantity",
            "recovered_quantity",
            "outstanding",
            "status",
            "status_label",
            "due_at",
            "contacted_at",
            "contact_note",
            "closed_at",
            "close_note",
            "version",
        ]
        read_only_fields = fields

    def get_assignee_name(self, obj) -> str:
        return obj.assignee.name if obj.assignee_id else ""

    def get_phone(self, obj) -> str:
        from salesservice.core.privacy import mask_phone

        return mask_phone(obj.phone)


class RecallTaskDetailSerializer(RecallTaskSerializer):
    lots = RecallTaskLotSerializer(source="task_lots", many=True, read_only=True)

    class Meta(RecallTaskSerializer.Meta):
        fields = [*RecallTaskSerializer.Meta.fields, "address", "lots"]
        read_only_fields = fields


class TaskContactSerializer(RecallVersionSerializer):
    note = serializers.CharField(max_length=500)
    contacted_at = serializers.DateTimeField(required=False)


class TaskNoteSerializer(RecallVersionSerializer):
    note = serializers.CharField(max_length=500)


class TaskRecoverSerializer(RecallVersionSerializer):
    quantity = serializers.IntegerField(min_value=1, max_value=10**9)
    lot = serializers.IntegerField(required=False, min_value=1, help_text="批次 ID（客户收到多个召回批次时必填）")
    warehouse = serializers.IntegerField(
        required=False, min_value=1, help_text="仓库 ID：同时把收回的货物收入该仓库待验区（需库存操作权限）"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
