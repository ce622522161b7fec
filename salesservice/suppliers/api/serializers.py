"""Suppliers API serializers. Names carry a Supplier…/QualifiedList… prefix so schema components never
collide with other apps'. Inputs are parsed here; one service then runs."""

from rest_framework import serializers

from salesservice.catalog.models import Product, ProductCategory
from salesservice.core.api.fields import inline_choice
from salesservice.core.privacy import mask_phone

from ..choices import DocumentKind, QualifiedListStatus, Standing
from ..models import Evaluation, QualifiedList, QualifiedListEntry, Supplier, SupplierDocument

# --- suppliers ---------------------------------------------------------------------------


class SupplierSerializer(serializers.ModelSerializer):
    standing = inline_choice(Standing.choices, read_only=True)
    standing_label = serializers.CharField(source="get_standing_display", read_only=True)
    phone = serializers.SerializerMethodField(help_text="脱敏（138****0000）")
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)

    class Meta:
        model = Supplier
        fields = [
            "id",
            "number",
            "name",
            "credit_code",
            "contact",
            "phone",
            "address",
            "org_unit",
            "org_unit_name",
            "standing",
            "standing_label",
            "standing_note",
            "evaluated_at",
            "is_suspended",
            "suspended_reason",
            "suspended_at",
            "is_active",
            "version",
        ]
        read_only_fields = fields

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)


class SupplierDocumentSerializer(serializers.ModelSerializer):
    kind = inline_choice(DocumentKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    products = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = SupplierDocument
        fields = ["id", "supplier", "kind", "kind_label", "number", "scope", "products", "valid_from", "expires_on",
                  "version"]  # fmt: skip
        read_only_fields = fields


class SupplierEvaluationSerializer(serializers.ModelSerializer):
    band = inline_choice(Standing.choices, read_only=True, allow_blank=True)
    standing_before = inline_choice(Standing.choices, read_only=True)
    standing_after = inline_choice(Standing.choices, read_only=True)
    scores = serializers.JSONField(read_only=True, help_text="{指标: {score, source: computed|entered, weight}}")
    figures = serializers.JSONField(read_only=True, allow_null=True, help_text="本期执行数据；无交货为 null")
    weights = serializers.JSONField(read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "supplier", "period_start", "period_end", "weights", "scores", "figures", "total", "band",
                  "empty", "standing_before", "standing_after", "summary", "note", "evaluated_by", "evaluated_at"]  # fmt: skip
        read_only_fields = fields


class SupplierDetailSerializer(SupplierSerializer):
    documents = SupplierDocumentSerializer(many=True, read_only=True)

    class Meta(SupplierSerializer.Meta):
        fields = [*SupplierSerializer.Meta.fields, "notes", "documents", "created_at", "updated_at"]
        read_only_fields = fields


class SupplierCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True)
    contact = serializers.CharField(max_length=50, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class SupplierUpdateSerializer(SupplierCreateSerializer):
    name = serializers.CharField(max_length=200, required=False)
    is_active = serializers.BooleanField(required=False)
    version = serializers.IntegerField(required=False, help_text="读取时的版本（或 If-Match 头）；过期 → 409")


class SupplierReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(required=False)


class SupplierNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class SupplierDocumentCreateSerializer(serializers.Serializer):
    kind = inline_choice(DocumentKind.choices)
    number = serializers.CharField(max_length=100)
    scope = serializers.CharField(required=False, allow_blank=True)
    products = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), many=True, required=False)
    valid_from = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True, help_text="留空为长期有效")


class SupplierEvaluationCreateSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=100),
        required=False,
        help_text="录入的评分 {qualification|reputation|capacity|product_quality|certification|brand|service: 0–100}；"
        "有交货数据时产品质量、供货能力、服务由系统计算",
    )
    note = serializers.CharField(required=False, allow_blank=True)


class SupplierReasonOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class SupplierOrderCheckQuerySerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.select_related("category"))


class SupplierOrderCheckSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    reasons = SupplierReasonOutSerializer(many=True, help_text="阻止下单的原因")
    warnings = SupplierReasonOutSerializer(many=True, help_text="提示（不阻止下单）")


# --- qualified lists ---------------------------------------------------------------------


class QualifiedListEntrySerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    products = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    categories = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = QualifiedListEntry
        fields = ["id", "supplier", "supplier_name", "products", "categories", "note"]
        read_only_fields = fields


class QualifiedListSerializer(serializers.ModelSerializer):
    status = inline_choice(QualifiedListStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = QualifiedList
        fields = ["id", "number", "title", "status", "status_label", "org_unit", "created_at", "submitted_at",
                  "approved_by", "approved_at", "superseded_at", "version"]  # fmt: skip
        read_only_fields = fields


class QualifiedListDetailSerializer(QualifiedListSerializer):
    entries = QualifiedListEntrySerializer(many=True, read_only=True)

    class Meta(QualifiedListSerializer.Meta):
        fields = [*QualifiedListSerializer.Meta.fields, "note", "approval_note", "return_reason", "superseded_by",
                  "entries"]  # fmt: skip
        read_only_fields = fields


class QualifiedListCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    note = serializers.CharField(required=False, allow_blank=True)
    copy_current = serializers.BooleanField(required=False, default=True, help_text="复制现行名单的条目")


class QualifiedListVersionedSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="可选：读取时的版本；过期 → 409 conflict.stale")


class QualifiedListNoteSerializer(QualifiedListVersionedSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class QualifiedListReasonSerializer(QualifiedListVersionedSerializer):
    reason = serializers.CharField(max_length=300)


class QualifiedListEntryInputSerializer(QualifiedListVersionedSerializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    products = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), many=True, required=False)
    categories = serializers.PrimaryKeyRelatedField(queryset=ProductCategory.objects.all(), many=True, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["supplier"].queryset = Supplier.objects.visible_to(request.user)


class QualifiedListEntryRemoveSerializer(QualifiedListVersionedSerializer):
    supplier = serializers.IntegerField(help_text="要移除的供应商 ID")
