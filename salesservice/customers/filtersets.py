"""Filters of the customers list pages (side form)."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from salesservice.core.choices import OrgUnitKind
from salesservice.core.models import OrgUnit

from .choices import CustomerType, PropertyKind, PropertyStatus
from .models import Customer, CustomerProperty, CustomerTag
from .selectors import customer_search


class CustomerFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("搜索（名称/拼音/首字母/编码/电话）"))
    customer_type = filters.ChoiceFilter(choices=CustomerType.choices, label=_("客户类型"))
    store = filters.ModelChoiceFilter(queryset=OrgUnit.objects.none(), label=_("门店"))
    is_key_account = filters.BooleanFilter(label=_("重点客户"))
    tag = filters.ModelChoiceFilter(
        field_name="tags", queryset=CustomerTag.objects.all(), label=_("标签"), method="filter_tag"
    )

    class Meta:
        model = Customer
        fields = ["q", "customer_type", "store", "is_key_account", "tag"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["store"].queryset = OrgUnit.objects.visible_to(request.user).filter(kind=OrgUnitKind.STORE)

    def search(self, queryset, name, value):
        return customer_search(queryset, value)

    def filter_tag(self, queryset, name, value):
        # A pk subquery, not a join: keeps one row per customer without DISTINCT.
        through = Customer.tags.through.objects.filter(customertag=value).values("customer_id")
        return queryset.filter(pk__in=through)


class PropertyFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("客户/描述/序列号"))
    kind = filters.ChoiceFilter(choices=PropertyKind.choices, label=_("类别"))
    status = filters.ChoiceFilter(choices=PropertyStatus.choices, label=_("状态"))

    class Meta:
        model = CustomerProperty
        fields = ["q", "kind", "status"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(
            Q(description__icontains=value) | Q(identifier__icontains=value) | Q(customer__name__icontains=value)
        )
