"""Filters of the sales documents, shared by the list pages (views.py) and the API."""

import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.filtersets import ListFilterSet, SubtreeFilter, YesNoAllWidget, scoped_units

from .choices import ContractStatus, OrderStatus, QuotationStatus, ReceivableKind
from .models import Contract, Quotation, Receivable, SalesOrder, SalesRecord


def _search(queryset, value, *fields):
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__icontains": value})
    return queryset.filter(query)


class QuotationFilterSet(ListFilterSet):
    q = filters.CharFilter(method="search", label=_("搜索（单号/客户）"))
    status = filters.MultipleChoiceFilter(choices=QuotationStatus.choices, label=_("状态"), distinct=False)
    expiring = filters.BooleanFilter(method="filter_expiring", label=_("7 天内到期"), widget=YesNoAllWidget())

    class Meta:
        model = Quotation
        fields = ["q", "status", "expiring"]

    def search(self, queryset, name, value):
        return _search(queryset, value, "number", "customer__name")

    def filter_expiring(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        soon = Q(
            status__in=[QuotationStatus.APPROVED, QuotationStatus.ACCEPTED],
            valid_until__gte=today,
            valid_until__lte=today + timezone.timedelta(days=7),
        )
        return queryset.filter(soon) if value else queryset.exclude(soon)


class ContractFilterSet(ListFilterSet):
    q = filters.CharFilter(method="search", label=_("搜索（编号/名称/客户）"))
    status = filters.MultipleChoiceFilter(choices=ContractStatus.choices, label=_("状态"), distinct=False)
    signed_after = filters.DateFilter(field_name="signed_on", lookup_expr="gte", label=_("签订日期自"))
    signed_before = filters.DateFilter(field_name="signed_on", lookup_expr="lte", label=_("签订日期至"))

    class Meta:
        model = Contract
        fields = ["q", "status", "signed_after", "signed_before"]

    def search(self, queryset, name, value):
        return _search(queryset, value, "number", "title", "customer__name")


class SalesOrderFilterSet(ListFilterSet):
    q = filters.CharFilter(method="search", label=_("搜索（单号/客户）"))
    status = filters.MultipleChoiceFilter(choices=OrderStatus.choices, label=_("状态"), distinct=False)
    rep_flagged = filters.BooleanFilter(method="filter_flagged", label=_("销售无有效授权"), widget=YesNoAllWidget())
    ordered_after = filters.DateFilter(field_name="order_date", lookup_expr="gte", label=_("订货日期自"))
    ordered_before = filters.DateFilter(field_name="order_date", lookup_expr="lte", label=_("订货日期至"))
    unit = SubtreeFilter(queryset=scoped_units, label=_("组织单位（含下级）"))

    class Meta:
        model = SalesOrder
        fields = ["q", "status", "rep_flagged", "ordered_after", "ordered_before", "unit"]

    link_only = ("unit",)

    def search(self, queryset, name, value):
        return _search(queryset, value, "number", "customer__name")

    def filter_flagged(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(rep_flag="") if value else queryset.filter(rep_flag="")


class ReceivableFilterSet(ListFilterSet):
    q = filters.CharFilter(method="search", label=_("搜索（客户/订单/合同）"))
    kind = filters.MultipleChoiceFilter(choices=ReceivableKind.choices, label=_("款项"), distinct=False)
    open = filters.BooleanFilter(method="filter_open", label=_("未收齐"), widget=YesNoAllWidget())
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("已逾期"), widget=YesNoAllWidget())
    unit = SubtreeFilter(queryset=scoped_units, label=_("组织单位（含下级）"))

    class Meta:
        model = Receivable
        fields = ["q", "kind", "open", "overdue", "unit"]

    link_only = ("unit",)

    def search(self, queryset, name, value):
        return _search(queryset, value, "customer__name", "order__number", "contract__number")

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(paid_at__isnull=value)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(paid_at__isnull=True, due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class SalesRecordFilterSet(ListFilterSet):
    q = filters.CharFilter(method="search", label=_("搜索（产品/批号/序列号/购货单位）"))
    medical = filters.BooleanFilter(field_name="is_medical_device", label=_("医疗器械"), widget=YesNoAllWidget())
    sold_after = filters.DateFilter(field_name="sale_date", lookup_expr="gte", label=_("销售日期自"))
    sold_before = filters.DateFilter(field_name="sale_date", lookup_expr="lte", label=_("销售日期至"))

    class Meta:
        model = SalesRecord
        fields = ["q", "medical", "sold_after", "sold_before"]

    def search(self, queryset, name, value):
        return _search(queryset, value, "product_name", "lot_number", "serial_number", "buyer_name")
