"""Filters of the nonconformances, shared by the list page (views.py) and the API (`/api/v1/nonconformances/`)."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesservice.core.filtersets import ListFilterSet, SubtreeFilter, scoped_units

from .choices import Disposition, NonconformanceSource, NonconformanceStatus
from .models import Nonconformance


class NonconformanceFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search", label=_("搜索（单号/批号/序列号）"), help_text=_("单号（包含）、批号或序列号")
    )
    # distinct=False: an IN on the row's own column needs no DISTINCT.
    status = filters.MultipleChoiceFilter(choices=NonconformanceStatus.choices, label=_("状态"), distinct=False)
    source = filters.ChoiceFilter(choices=NonconformanceSource.choices, label=_("来源"))
    disposition = filters.ChoiceFilter(choices=Disposition.choices, label=_("处置方式"))
    product = filters.NumberFilter(field_name="product_id", label=_("商品 ID"))
    source_return = filters.NumberFilter(field_name="source_return_id", label=_("来源退换货单 ID"))
    unit = SubtreeFilter(queryset=scoped_units, label=_("组织单位（含下级）"))

    class Meta:
        model = Nonconformance
        fields = ["q", "status", "source", "disposition", "product", "source_return", "unit"]

    link_only = ("product", "source_return", "unit")

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(batch_number=value) | Q(serial_number=value))
