"""Filters of the delivery list, shared by the list page (views.py) and the API."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesservice.core.filtersets import DayOrMomentFilter, ListFilterSet, SubtreeFilter, scoped_units

from .choices import DeliveryStatus
from .models import Delivery


class DeliveryFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search",
        label=_("搜索（单号/运单号/客户/订单）"),
        help_text=_("交付单号、运单号、订单号（包含）或客户名称"),
    )
    status = filters.MultipleChoiceFilter(choices=DeliveryStatus.choices, label=_("状态"), distinct=False)
    carrier = filters.CharFilter(field_name="carrier", lookup_expr="icontains", label=_("承运方"))
    shipped_after = DayOrMomentFilter(field_name="shipped_at", label=_("发货日期自"))
    shipped_before = DayOrMomentFilter(field_name="shipped_at", until=True, label=_("发货日期至"))
    unit = SubtreeFilter(queryset=scoped_units, label=_("组织单位（含下级）"))

    class Meta:
        model = Delivery
        fields = ["q", "status", "carrier", "shipped_after", "shipped_before", "unit"]

    link_only = ("unit",)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(number__icontains=value)
            | Q(tracking_no__icontains=value)
            | Q(order__number__icontains=value)
            | Q(customer__name__icontains=value)
        )
