"""Inventory API serializers. Names carry an Inventory…/Stock… prefix so schema components never collide
with other apps'. Inputs are parsed here; one service then runs."""

from rest_framework import serializers

from salesservice.core.api.fields import inline_choice

from ..choices import LocationKind, MoveKind, ReadingSource, StockCountStatus
from ..models import Location, Lot, StockCount, StockCountLine, StockMove, StockQuant, StorageReading, Warehouse

# --- reads --------------------------------------------------------------------------------------


class InventoryLocationSerializer(serializers.ModelSerializer):
    kind = inline_choice(LocationKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Location
        fields = ["id", "warehouse", "code", "name", "kind", "kind_label", "conditions", "is_active"]
        read_only_fields = fields


class InventoryWarehouseSerializer(serializers.ModelSerializer):
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)

    class Meta:
        model = Warehouse
        fields = ["id", "code", "name", "org_unit", "org_unit_name", "address", "is_active", "version"]
        read_only_fields = fields


class InventoryWarehouseDetailSerializer(InventoryWarehouseSerializer):
    locations = InventoryLocationSerializer(many=True, read_only=True)

    class Meta(InventoryWarehouseSerializer.Meta):
        fields = [*InventoryWarehouseSerializer.Meta.fields, "locations"]
        read_only_fields = fields


class InventoryLotSerializer(serializers.ModelSerializer):
    """PRD-3: a lot / serial with its dates and supplier id; `expired`, `held` → never allocated."""

    product_code = serializers.CharField(source="product.code", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    expired = serializers.BooleanField(read_only=True)
    hold_nonconformance_number = serializers.SerializerMethodField()

    class Meta:
        model = Lot
        fields = [
            "id",
            "product",
            "product_code",
            "product_name",
            "lot_number",
            "serial_number",
            "production_date",
            "expiry_date",
            "supplier_id",
            "held",
            "hold_reason",
            "hold_nonconformance",
            "hold_nonconformance_number",
            "expired",
            "created_at",
        ]
        read_only_fields = fields

    def get_hold_nonconformance_number(self, obj) -> str:
        return obj.hold_nonconformance.number if obj.hold_nonconformance_id else ""


class StockQuantSerializer(serializers.ModelSerializer):
    """On hand of one lot at one location; `available` = quantity − reserved."""

    product_code = serializers.CharField(source="product.code", read_only=True)
    lot_number = serializers.CharField(source="lot.lot_number", read_only=True)
    serial_number = serializers.CharField(source="lot.serial_number", read_only=True)
    expiry_date = serializers.DateField(source="lot.expiry_date", read_only=True, allow_null=True)
    held = serializers.BooleanField(source="lot.held", read_only=True)
    location_code = serializers.CharField(source="location.code", read_only=True)
    location_kind = inline_choice(LocationKind.choices, source="location.kind", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    available = serializers.IntegerField(read_only=True)

    class Meta:
        model = StockQuant
        fields = [
            "id",
            "product",
            "product_code",
            "lot",
            "lot_number",
            "serial_number",
            "expiry_date",
            "held",
            "warehouse",
            "warehouse_code",
            "location",
            "location_code",
            "location_kind",
            "quantity",
            "reserved",
            "available",
            "updated_at",
        ]
        read_only_fields = fields


class StockMoveSerializer(serializers.ModelSerializer):
    """One signed ledger row (INV-4, TRC-3)."""

    kind = inline_choice(MoveKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    actor_name = serializers.SerializerMethodField()
    nonconformance_number = serializers.SerializerMethodField()

    class Meta:
        model = StockMove
        fields = [
            "id",
            "at",
            "kind",
            "kind_label",
            "product",
            "lot",
            "warehouse",
            "from_location",
            "to_location",
            "quantity",
            "reference_number",
            "reference_id",
            "nonconformance",
            "nonconformance_number",
            "note",
            "actor",
            "actor_name",
        ]
        read_only_fields = fields

    def get_actor_name(self, obj) -> str:
        return obj.actor.name if obj.actor_id else ""

    def get_nonconformance_number(self, obj) -> str:
        return obj.nonconformance.number if obj.nonconformance_id else ""


class StockAvailabilitySerializer(serializers.Serializer):
    product = serializers.IntegerField()
    warehouse = serializers.IntegerField(allow_null=True)
    available = serializers.IntegerField(help_text="可分配数量：储位中未冻结、未过期批次的在库减已分配")


class StockAvailabilityQuerySerializer(serializers.Serializer):
    product = serializers.IntegerField()
    warehouse = serializers.IntegerField(required=False, allow_null=True)


class StockAnalysisQuerySerializer(serializers.Serializer):
    start = serializers.CharField(
        required=False, max_length=20, help_text="分析期间开始日期 YYYY-MM-DD（默认：结束日期前 89 天）"
    )
    end = serializers.CharField(required=False, max_length=20, help_text="分析期间结束日期 YYYY-MM-DD（含；默认今天）")
    warehouse = serializers.IntegerField(
        required=False, allow_null=True, help_text="只分析该仓库（默认：您范围内的全部仓库）"
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="商品编码或名称")
    flag = serializers.ChoiceField(
        required=False,
        allow_blank=True,
        choices=["slow", "risk", "reorder"],
        help_text="只看呆滞 / 缺货风险 / 建议补货",
    )


class StockAnalysisRowSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    product_code = serializers.CharField()
    product_name = serializers.CharField()
    on_hand = serializers.IntegerField(help_text="现在的在库数（待验区、合格待上架区、储位；不含不合格品区）")
    opening = serializers.IntegerField(help_text="期初在库数（由库存流水推算）")
    closing = serializers.IntegerField(help_text="期末在库数（由库存流水推算）")
    issued = serializers.IntegerField(help_text="期间出库数量")
    average_on_hand = serializers.DecimalField(max_digits=14, decimal_places=1, help_text="(期初 + 期末) ÷ 2")
    turnover = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="周转次数 = 期间出库 ÷ 平均库存"
    )
    cover_days = serializers.DecimalField(
        max_digits=14, decimal_places=1, allow_null=True, help_text="可供天数 = 在库 ÷ 日均出库；期间无出库为 null"
    )
    last_issue = serializers.DateTimeField(allow_null=True)
    slow = serializers.BooleanField(help_text="呆滞：有库存但 inventory.slow_moving_days 天内无出库")
    at_risk = serializers.BooleanField(help_text="缺货风险：可供天数低于 inventory.lead_time_days")
    reorder = serializers.IntegerField(help_text="建议补货数量：补到可供 inventory.target_cover_days 天")


class StockAnalysisSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    days = serializers.IntegerField()
    slow_moving_days = serializers.IntegerField()
    lead_time_days = serializers.IntegerField()
    target_cover_days = serializers.IntegerField()
    results = StockAnalysisRowSerializer(many=True)


# --- stock counts (INV-2) ----------------------------------------------------------------------


class StockCountLineSerializer(serializers.ModelSerializer):
    difference = serializers.IntegerField(read_only=True, allow_null=True)
    location_code = serializers.CharField(source="location.code", read_only=True)
    lot_label = serializers.CharField(source="lot.__str__", read_only=True)
    product = serializers.IntegerField(source="lot.product_id", read_only=True)

    class Meta:
        model = StockCountLine
        fields = [
            "id",
            "location",
            "location_code",
            "lot",
            "lot_label",
            "product",
            "system_quantity",
            "counted_quantity",
            "difference",
            "reason",
        ]
        read_only_fields = fields


class StockCountSerializer(serializers.ModelSerializer):
    status = inline_choice(StockCountStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)

    class Meta:
        model = StockCount
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "warehouse",
            "warehouse_code",
            "location",
            "note",
            "created_by",
            "created_at",
            "started_at",
            "submitted_by",
            "submitted_at",
            "approved_by",
            "approved_at",
            "approval_note",
            "version",
        ]
        read_only_fields = fields


class StockCountDetailSerializer(StockCountSerializer):
    lines = StockCountLineSerializer(many=True, read_only=True)

    class Meta(StockCountSerializer.Meta):
        fields = [*StockCountSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class StockCountCreateSerializer(serializers.Serializer):
    warehouse = serializers.IntegerField(help_text="仓库 ID（须在您的范围内）")
    location = serializers.IntegerField(required=False, allow_null=True, help_text="库位 ID；空：整个仓库")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class StockCountVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="可选：读取时的版本；过期 → 409 conflict.stale")


class StockCountRecordLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="盘点行 ID")
    counted_quantity = serializers.IntegerField(min_value=0, allow_null=True, help_text="实盘数")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text="差异原因")


class StockCountRecordSerializer(StockCountVersionSerializer):
    lines = StockCountRecordLineSerializer(many=True)


class StockCountApproveSerializer(StockCountVersionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class StockCountReasonSerializer(StockCountVersionSerializer):
    reason = serializers.CharField(max_length=300)


class StockCountCancelSerializer(StockCountVersionSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


# --- storage readings (INV-1) ------------------------------------------------------------------


class StorageReadingSerializer(serializers.ModelSerializer):
    source = inline_choice(ReadingSource.choices, read_only=True)
    location_code = serializers.CharField(source="location.code", read_only=True)
    nonconformance_numbers = serializers.SerializerMethodField()

    class Meta:
        model = StorageReading
        fields = [
            "id",
            "warehouse",
            "location",
            "location_code",
            "temperature",
            "humidity",
            "recorded_at",
            "recorded_by",
            "source",
            "excursion",
            "excursion_detail",
            "nonconformance_numbers",
            "note",
        ]
        read_only_fields = fields

    def get_nonconformance_numbers(self, obj) -> list[str]:
        return [nc.number for nc in obj.nonconformances.all()]


class StorageReadingCreateSerializer(serializers.Serializer):
    location = serializers.IntegerField(help_text="库位 ID（须在您的范围内）")
    temperature = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True)
    humidity = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=100)
    recorded_at = serializers.DateTimeField(required=False, allow_null=True, help_text="默认当前时间")
    source = inline_choice(ReadingSource.choices, required=False, default=ReadingSource.SENSOR)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
