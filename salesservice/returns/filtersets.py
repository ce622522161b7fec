"""Filters of the return requests, shared by the list page (views.py) and the API (`/api/v1/returns/`)."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesservice.core.filtersets import (
    DayOrMomentFilter,
    IdChoiceFilter,
    ListFilterSet,
    SubtreeFilter,
    YesNoAllWidget,
    scoped_stores,
    scoped_units,
)
from salesservice.core.models import User

from .choices import ReturnReason, ReturnStatus, SaleChannel
from .models import ReturnRequest


def _handlers(request):
    if request is None:
        return User.objects.none()
    return User.objects.visible_to(request.user).filter(handled_returns__isnull=False).distinct()


class ReturnRequestFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search", label=_("搜索（单号/客户/序列号）"), help_text=_("单号 / 客户名称 / 序列号")
    )
    # distinct=False: an IN on the row's own column needs no DISTINCT.
    status = filters.MultipleChoiceFilter(choices=ReturnStatus.choices, label=_("状态"), distinct=False)
    reason = filters.ChoiceFilter(choices=ReturnReason.choices, label=_("原因"))
    sale_channel = filters.ChoiceFilter(choices=SaleChannel.choices, label=_("销售方式"))
    eligible = filters.BooleanFilter(label=_("符合规则"), widget=YesNoAllWidget())
    store = IdChoiceFilter(queryset=scoped_stores, label=_("门店"))
    handler = IdChoiceFilter(queryset=_handlers, label=_("经办人"))
    customer = filters.NumberFilter(field_name="customer_id", label=_("客户 ID"))
    requested_after = DayOrMomentFilter(field_name="requested_at", label=_("申请日期自"))
    requested_before = DayOrMomentFilter(field_name="requested_at", until=True, label=_("申请日期至"))
    unit = SubtreeFilter(queryset=scoped_units, label=_("组织单位（含下级）"))

    class Meta:
        model = ReturnRequest
        fields = [
            "q",
            "status",
            "reason",
            "sale_channel",
            "eligible",
            "store",
            "handler",
            "customer",
            "requested_after",
            "requested_before",
            "unit",
        ]

    link_only = ("customer", "unit")

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(customer__name__icontains=value) | Q(serial_number=value))
