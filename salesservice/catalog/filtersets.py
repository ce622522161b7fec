"""Filters of the product list, shared by the page and the API (`/api/v1/products/`)."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import DeviceClass, TrackingMode
from .models import InspectionTemplate, Product, ProductCategory
from .sellability import sellable_q, unsellable_q

SELLABLE_CHOICES = [("true", _("可销售")), ("false", _("禁止销售"))]


class ProductFilterSet(filters.FilterSet):
    q = filters.CharFilter(
        method="search", label=_("搜索"), help_text=_("编码、名称、规格型号、品牌、生产企业或注册证号")
    )
    category = filters.ModelChoiceFilter(
        queryset=ProductCategory.objects.all(),
        method="in_category",
        label=_("分类"),
        help_text=_("分类 id，含下级分类"),
    )
    device_class = filters.ChoiceFilter(choices=DeviceClass.choices, label=_("医疗器械类别"))
    tracking_mode = filters.ChoiceFilter(choices=TrackingMode.choices, label=_("追踪方式"))
    sellable = filters.ChoiceFilter(
        choices=SELLABLE_CHOICES, method="filter_sellable", label=_("销售状态"), help_text=_("按今天判断")
    )
    is_active = filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = Product
        fields = ["q", "category", "device_class", "tracking_mode", "sellable", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value)
            | Q(name__icontains=value)
            | Q(specification__icontains=value)
            | Q(brand__icontains=value)
            | Q(manufacturer__icontains=value)
            | Q(registration_no__icontains=value)
        )

    def in_category(self, queryset, name, value):
        return queryset.filter(category__path__startswith=value.path)

    def filter_sellable(self, queryset, name, value):
        return queryset.filter(sellable_q() if value == "true" else unsellable_q())


class CategoryFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("名称/编码"))
    parent = filters.ModelChoiceFilter(queryset=ProductCategory.objects.all(), label=_("上级分类"))
    is_active = filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = ProductCategory
        fields = ["q", "parent", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class InspectionTemplateFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("名称"))
    is_active = filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = InspectionTemplate
        fields = ["q", "is_active"]
