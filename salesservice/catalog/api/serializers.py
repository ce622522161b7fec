"""API serializers of the catalog (input and output kept apart where they differ)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from salesservice.catalog.services import PRODUCT_FIELDS

from ..choices import InspectionGroup, RestrictionReason
from ..models import InspectionItem, InspectionTemplate, Product, ProductCategory, ProductRestriction
from ..sellability import product_sellability

# --- categories and acceptance standards ------------------------------------------------


class ProductCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductCategory
        fields = ["id", "code", "name", "parent", "path", "is_active", "version", "created_at", "updated_at"]
        read_only_fields = fields


class ProductCategoryCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=100)
    parent = serializers.PrimaryKeyRelatedField(queryset=ProductCategory.objects.all(), required=False, allow_null=True)


class ProductCategoryUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("读取时的版本号；与当前不符返回 409"))
    name = serializers.CharField(max_length=100, required=False)
    is_active = serializers.BooleanField(required=False)


class InspectionItemSerializer(serializers.ModelSerializer):
    group = serializers.ChoiceField(choices=InspectionGroup.choices)
    group_display = serializers.CharField(source="get_group_display", read_only=True)
    order = serializers.IntegerField(required=False, min_value=0)

    class Meta:
        model = InspectionItem
        fields = ["id", "group", "group_display", "text", "order"]
        read_only_fields = ["id", "group_display"]


class InspectionTemplateSerializer(serializers.ModelSerializer):
    items = InspectionItemSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionTemplate
        fields = ["id", "name", "description", "is_active", "items", "version", "created_at", "updated_at"]
        read_only_fields = fields


class InspectionTemplateCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True)
    items = InspectionItemSerializer(many=True, required=False)


class InspectionTemplateUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("读取时的版本号；与当前不符返回 409"))
    name = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    items = InspectionItemSerializer(many=True, required=False, help_text=_("提供时整体替换验收要点"))


# --- sellability ------------------------------------------------------------------------


class SellabilityReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ProductSellabilitySerializer(serializers.Serializer):
    sellable = serializers.BooleanField()
    at = serializers.DateField()
    reasons = SellabilityReasonSerializer(many=True)


class ProductRestrictionSerializer(serializers.ModelSerializer):
    reason_code_display = serializers.CharField(source="get_reason_code_display", read_only=True)
    set_by_name = serializers.CharField(source="set_by.name", read_only=True)
    lifted_by_name = serializers.CharField(source="lifted_by.name", read_only=True, default=None)
    evidence_name = serializers.CharField(source="evidence.original_name", read_only=True, default=None)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ProductRestriction
        fields = [
            "id",
            "product",
            "reason_code",
            "reason_code_display",
            "reason",
            "evidence",
            "evidence_name",
            "set_by",
            "set_by_name",
            "set_at",
            "is_active",
            "lifted_by",
            "lifted_by_name",
            "lifted_at",
            "lift_reason",
        ]
        read_only_fields = fields


class ProductRestrictRequestSerializer(serializers.Serializer):
    reason_code = serializers.ChoiceField(choices=RestrictionReason.choices)
    reason = serializers.CharField(help_text=_("禁售说明（必填）"))
    evidence = serializers.FileField(required=False, help_text=_("证据文件（PDF、图片等，≤20 MB）"))


class ProductRestrictionLiftRequestSerializer(serializers.Serializer):
    restriction = serializers.IntegerField(help_text=_("要解除的禁售标记 id"))
    reason = serializers.CharField(help_text=_("解除原因（必填）"))


# --- products ---------------------------------------------------------------------------

PRODUCT_WRITABLE = list(PRODUCT_FIELDS)  # what the product services accept


class ProductSerializer(serializers.ModelSerializer):
    """A product with its sellability today (computed from prefetched flags: no extra query per row)."""

    category_name = serializers.CharField(source="category.name", read_only=True)
    device_class_display = serializers.CharField(source="get_device_class_display", read_only=True)
    tracking_mode_display = serializers.CharField(source="get_tracking_mode_display", read_only=True)
    sellable = serializers.SerializerMethodField(help_text=_("今天是否可销售"))
    unsellable_reasons = serializers.SerializerMethodField(help_text=_("今天不可销售的全部原因"))

    class Meta:
        model = Product
        fields = [
            "id",
            "code",
            *PRODUCT_WRITABLE,
            "category_name",
            "device_class_display",
            "tracking_mode_display",
            "sellable",
            "unsellable_reasons",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _reasons(self, obj):
        cache = self.context.setdefault("_reasons", {})
        if obj.pk not in cache:
            cache[obj.pk] = product_sellability(obj, timezone.localdate())
        return cache[obj.pk]

    def get_sellable(self, obj) -> bool:
        return not self._reasons(obj)

    def get_unsellable_reasons(self, obj) -> list[dict[str, str]]:
        return [reason.as_dict() for reason in self._reasons(obj)]


class ProductDetailSerializer(ProductSerializer):
    restrictions = ProductRestrictionSerializer(many=True, read_only=True, help_text=_("禁售标记（含已解除）"))

    class Meta(ProductSerializer.Meta):
        fields = [*ProductSerializer.Meta.fields, "restrictions"]
        read_only_fields = fields


class ProductWriteSerializer(serializers.ModelSerializer):
    """Create input: every attribute; `code` is required and fixed afterwards."""

    class Meta:
        model = Product
        fields = ["code", *PRODUCT_WRITABLE]
        extra_kwargs = {"code": {"validators": []}}  # the service reports a duplicate code with its own code


class ProductUpdateSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(help_text=_("读取时的版本号；与当前不符返回 409"))

    class Meta:
        model = Product
        fields = ["version", *PRODUCT_WRITABLE]
        extra_kwargs = {name: {"required": False} for name in PRODUCT_WRITABLE}


class ProductImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    message = serializers.CharField()


class ProductImportReportSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = ProductImportErrorSerializer(many=True)


class ProductImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("按模板填写的 .xlsx"))
