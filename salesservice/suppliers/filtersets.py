"""Filters of suppliers and qualified lists, shared by the list pages (views.py) and the API."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesservice.core.filtersets import ListFilterSet, YesNoAllWidget

from .choices import QualifiedListStatus, Standing
from .models import QualifiedList, Supplier


class SupplierFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search", label=_("搜索（编号/名称/信用代码）"), help_text=_("编号或名称（包含）、统一社会信用代码")
    )
    standing = filters.MultipleChoiceFilter(choices=Standing.choices, label=_("评价结果"), distinct=False)
    is_suspended = filters.BooleanFilter(label=_("暂停采购"), widget=YesNoAllWidget())
    is_active = filters.BooleanFilter(label=_("启用"), widget=YesNoAllWidget())

    class Meta:
        model = Supplier
        fields = ["q", "standing", "is_suspended", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(number__icontains=value) | Q(name__icontains=value) | Q(credit_code=value.upper()))


class QualifiedListFilterSet(ListFilterSet):
    q = filters.CharFilter(method="search", label=_("搜索（编号/名称）"), help_text=_("编号或名称（包含）"))
    status = filters.MultipleChoiceFilter(choices=QualifiedListStatus.choices, label=_("状态"), distinct=False)

    class Meta:
        model = QualifiedList
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))
