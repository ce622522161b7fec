"""Inspection API serializers (Nonconformance… prefix: schema components never collide)."""

from rest_framework import serializers

from salesservice.catalog.models import Product
from salesservice.core.api.fields import inline_choice
from salesservice.core.models import OrgUnit

from ..choices import Disposition, NonconformanceSource, NonconformanceStatus
from ..models import Nonconformance


class NonconformanceSerializer(serializers.ModelSerializer):
    source = inline_choice(NonconformanceSource.choices, read_only=True)
    status = inline_choice(NonconformanceStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    disposition = serializers.CharField(
        read_only=True, help_text="return_to_supplier / rework / scrap / concession 或空"
    )
    disposition_label = serializers.CharField(source="get_disposition_display", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    source_return_number = serializers.SerializerMethodField()

    class Meta:
        model = Nonconformance
        fields = [
            "id",
            "number",
            "source",
            "source_return",
            "source_return_number",
            "org_unit",
            "org_unit_name",
            "product",
            "product_name",
            "batch_number",
            "serial_number",
            "quantity",
            "description",
            "status",
            "status_label",
            "disposition",
            "disposition_label",
            "disposition_note",
            "decided_by",
            "decided_at",
            "opened_at",
            "opened_by",
            "closed_at",
            "closing_note",
            "root_cause",
            "corrective_action",
            "preventive_action",
            "verification",
            "capa_by",
            "capa_at",
            "version",
        ]
        read_only_fields = fields

    def get_source_return_number(self, obj) -> str:
        return obj.source_return.number if obj.source_return_id else ""


class NonconformanceCreateSerializer(serializers.Serializer):
    source = inline_choice(
        [(v, label) for v, label in NonconformanceSource.choices if v != NonconformanceSource.RETURN],
        help_text="退换货的不合格品由退换货检验自动登记",
    )
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    description = serializers.CharField()
    org_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True, help_text="默认总部"
    )
    batch_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    serial_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    quantity = serializers.IntegerField(min_value=1, required=False, default=1)


class NonconformanceDisposeSerializer(serializers.Serializer):
    disposition = inline_choice(Disposition.choices)
    note = serializers.CharField(required=False, allow_blank=True, help_text="让步接收时必填")
    version = serializers.IntegerField(required=False, help_text="可选：读取时的版本；过期 → 409")


class NonconformanceCloseSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    version = serializers.IntegerField(required=False)


class NonconformanceCapaSerializer(serializers.Serializer):
    """SUP-8 CAPA: root cause and corrective action required; preventive action and verification optional."""

    root_cause = serializers.CharField()
    corrective_action = serializers.CharField()
    preventive_action = serializers.CharField(required=False, allow_blank=True)
    verification = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, help_text="可选：读取时的版本；过期 → 409")
