"""Delivery API serializers (Delivery… / Ship… prefixes: schema components never collide).

Inputs of the workflow actions (ship on the sales order; accept, record-training, report-incident,
inform-customer, approve-concession, release on the delivery) and the delivery as read.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from salesservice.core.api.fields import inline_choice

from ..choices import CheckItem, CheckResult, DeliveryStatus, IncidentKind, InformChannel, Requirement
from ..models import AcceptanceCheck, Delivery, DeliveryIncident, DeliveryLine, Replacement, TrainingRecord

ID_MAX = 2**31 - 1
SIGNATURE_MAX = 1_500_000  # a 1 MB PNG as base64, with its data-URL prefix


def _version():
    return serializers.IntegerField(required=False, help_text="可选：读取时的版本；过期 → 409（也可用 If-Match）")


# --- action inputs ---------------------------------------------------------------------------


class ShipSerializer(serializers.Serializer):
    """DEL-1: `POST /api/v1/sales-orders/{id}/ship/`."""

    version = _version()
    carrier = serializers.CharField(max_length=100, help_text="承运方（物流公司或门店自送）")
    tracking_no = serializers.CharField(max_length=60, help_text="运单号")
    packing = serializers.CharField(max_length=200, help_text="包装方式：适合运输（DEL-1）")
    package_count = serializers.IntegerField(min_value=1, max_value=100_000, help_text="件数")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class DeliveryNoteSerializer(serializers.Serializer):
    version = _version()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class DeliveryCheckInputSerializer(serializers.Serializer):
    item = inline_choice(CheckItem.choices)
    result = inline_choice(CheckResult.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class DeliveryReplacementInputSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="交付明细 id（lines[].id）")
    quantity = serializers.IntegerField(min_value=1, max_value=100_000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text="缺陷说明")


class DeliveryAcceptSerializer(serializers.Serializer):
    """DEL-3: the four checklist items, replacements of defective units, the signature or why not."""

    version = _version()
    checks = DeliveryCheckInputSerializer(many=True, help_text="装箱单核对、外观、安装调试、功能各一项")
    replacements = DeliveryReplacementInputSerializer(many=True, required=False, help_text="以库存更换的缺陷品")
    signer_name = serializers.CharField(required=False, allow_blank=True, max_length=60)
    signature = serializers.CharField(
        required=False, allow_blank=True, max_length=SIGNATURE_MAX, help_text="签名板的 data:image/png;base64,… "
    )
    signature_declined_reason = serializers.CharField(required=False, allow_blank=True, max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)

    def service_kwargs(self, values: dict) -> dict:
        values["checks"] = [dict(row) for row in values.get("checks", [])]
        values["replacements"] = [dict(row) for row in values.get("replacements", [])]
        values["signature_data_url"] = values.pop("signature", "")
        return values


class DeliveryTrainingSerializer(serializers.Serializer):
    """DEL-4: the customer training record."""

    version = _version()
    trained_on = serializers.DateField()
    trainer_name = serializers.CharField(required=False, allow_blank=True, max_length=60, help_text="默认：本人")
    trainees = serializers.CharField(max_length=300)
    content = serializers.CharField(max_length=5000)
    customer_signer_name = serializers.CharField(required=False, allow_blank=True, max_length=60)
    signature = serializers.CharField(required=False, allow_blank=True, max_length=SIGNATURE_MAX)

    def service_kwargs(self, values: dict) -> dict:
        values["signature_data_url"] = values.pop("signature", "")
        return values


class DeliveryIncidentInputSerializer(serializers.Serializer):
    """DEL-2: a delay or damage; the customer told (time, channel, remedy) now or later."""

    version = _version()
    kind = inline_choice(IncidentKind.choices)
    description = serializers.CharField(max_length=2000)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    customer_informed_at = serializers.DateTimeField(required=False, allow_null=True)
    informed_how = inline_choice(InformChannel.choices, required=False, allow_blank=True)
    remedy = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DeliveryInformSerializer(serializers.Serializer):
    version = _version()
    incident = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="incidents[].id")
    customer_informed_at = serializers.DateTimeField(required=False, allow_null=True, help_text="默认：现在")
    informed_how = inline_choice(InformChannel.choices)
    remedy = serializers.CharField(max_length=2000)


class DeliveryConcessionSerializer(serializers.Serializer):
    """DEL-6 (004 §4.6.2): who at the customer approved, why; lawful and recallable both true."""

    version = _version()
    customer_representative = serializers.CharField(max_length=60)
    reason = serializers.CharField(max_length=300)
    lawful = serializers.BooleanField(help_text="放行和交付符合法律法规的要求（须为 true）")
    recallable = serializers.BooleanField(help_text="产品追溯清楚，一旦出现不合格可以立即追回（须为 true）")


# --- the delivery as read --------------------------------------------------------------------


class DeliveryLineSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    lot_number = serializers.CharField(source="lot.lot_number", read_only=True)
    serial_number = serializers.CharField(source="lot.serial_number", read_only=True)
    expiry_date = serializers.DateField(source="lot.expiry_date", read_only=True, allow_null=True)

    class Meta:
        model = DeliveryLine
        fields = [
            "id",
            "order_line",
            "product",
            "product_name",
            "lot",
            "lot_number",
            "serial_number",
            "expiry_date",
            "location_code",
            "quantity",
            "replaced_quantity",
        ]
        read_only_fields = fields


class DeliveryCheckSerializer(serializers.ModelSerializer):
    item = inline_choice(CheckItem.choices, read_only=True)
    result = inline_choice(CheckResult.choices, read_only=True)

    class Meta:
        model = AcceptanceCheck
        fields = ["item", "result", "note"]
        read_only_fields = fields


class DeliveryReplacementSerializer(serializers.ModelSerializer):
    defective = serializers.CharField(source="defective_lot.__str__", read_only=True)
    replacement = serializers.CharField(source="replacement_lot.__str__", read_only=True)

    class Meta:
        model = Replacement
        fields = [
            "id",
            "line",
            "defective_lot",
            "defective",
            "replacement_lot",
            "replacement",
            "quantity",
            "note",
            "replaced_at",
        ]
        read_only_fields = fields


class DeliveryTrainingRecordSerializer(serializers.ModelSerializer):
    signed = serializers.SerializerMethodField()

    class Meta:
        model = TrainingRecord
        fields = [
            "id",
            "trained_on",
            "trainer_name",
            "trainees",
            "content",
            "customer_signer_name",
            "signed",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_signed(self, obj) -> bool:
        return bool(obj.signature)


class DeliveryIncidentSerializer(serializers.ModelSerializer):
    kind = inline_choice(IncidentKind.choices, read_only=True)
    informed_how = inline_choice(InformChannel.choices, read_only=True)

    class Meta:
        model = DeliveryIncident
        fields = [
            "id",
            "kind",
            "description",
            "occurred_at",
            "reported_at",
            "customer_informed_at",
            "informed_how",
            "remedy",
            "reminded_at",
        ]
        read_only_fields = fields


@extend_schema_field({"type": "array", "items": {"type": "string", "enum": list(Requirement.values)}})
class _MissingField(serializers.ReadOnlyField):
    pass


class DeliverySerializer(serializers.ModelSerializer):
    status = inline_choice(DeliveryStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    order_number = serializers.CharField(source="order.number", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    signed = serializers.BooleanField(source="is_signed", read_only=True)
    missing = _MissingField(source="release_missing", help_text="DEL-6：放行前尚未完成的规定活动")
    lines = DeliveryLineSerializer(many=True, read_only=True)
    checks = DeliveryCheckSerializer(many=True, read_only=True)
    replacements = DeliveryReplacementSerializer(many=True, read_only=True)
    trainings = DeliveryTrainingRecordSerializer(many=True, read_only=True)
    incidents = DeliveryIncidentSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "number",
            "org_unit",
            "order",
            "order_number",
            "customer",
            "customer_name",
            "warehouse",
            "warehouse_name",
            "status",
            "status_label",
            "shipped_at",
            "shipped_by",
            "carrier",
            "tracking_no",
            "packing",
            "package_count",
            "note",
            "protect_to_destination",
            "installation_required",
            "training_required",
            "acceptance_terms",
            "accepted_at",
            "accepted_by",
            "acceptance_note",
            "signer_name",
            "signed",
            "signature_declined_reason",
            "concession_representative",
            "concession_reason",
            "concession_lawful",
            "concession_recallable",
            "concession_missing",
            "concession_approved_by",
            "concession_approved_at",
            "released_at",
            "released_by",
            "missing",
            "lines",
            "checks",
            "replacements",
            "trainings",
            "incidents",
            "version",
        ]
        read_only_fields = fields
