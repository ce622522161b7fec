"""Filters of the purchasing documents, shared by the list pages (views.py) and the API."""

import django_filters as filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.filtersets import (
    DayOrMomentFilter,
    IdChoiceFilter,
    ListFilterSet,
    SubtreeFilter,
    YesNoAllWidget,
    scoped_units,
)

from .choices import OrderStatus, ReceiptStatus, RequisitionStatus
from .models import PurchaseOrder, PurchaseOrderLine, PurchaseRequisition, Receipt

OPEN_ORDER = (OrderStatus.APPROVED, OrderStatus.PARTIALLY_RECEIVED)


def _suppliers(request):
    from salesservice.suppliers.models import Supplier

    return Supplier.objects.order_by("number") if request is not None else Supplier.objects.none()


def late_lines():
    """SUP-5: open order lines past their due date with quantity still outstanding."""
    from django.db.models import F

    return PurchaseOrderLine.objects.filter(
        order=OuterRef("pk"),
        due_date__lt=timezone.localdate(),
        received_quantity__lt=F("quantity") + F("rejected_quantity"),
    )


class PurchaseRequisitionFilterSet(ListFilterSet):
    q = filters.CharFilter(method="search", label=_("搜索（单号/商品）"), help_text=_("单号（包含）或商品名称"))
    status = filters.MultipleChoiceFilter(choices=RequisitionStatus.choices, label=_("状态"), distinct=False)

    class Meta:
        model = PurchaseRequisition
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(pk__in=PurchaseRequisition.objects.filter(lines__product__name__icontains=value).values("pk"))
        )


class PurchaseOrderFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search", label=_("搜索（单号/供应商/商品）"), help_text=_("订单号（包含）、供应商名称或商品名称")
    )
    status = filters.MultipleChoiceFilter(choices=OrderStatus.choices, label=_("状态"), distinct=False)
    supplier = IdChoiceFilter(queryset=_suppliers, label=_("供应商"))
    late = filters.BooleanFilter(method="filter_late", label=_("逾期未到"), widget=YesNoAllWidget())
    ordered_after = filters.DateFilter(field_name="order_date", lookup_expr="gte", label=_("订货日期自"))
    ordered_before = filters.DateFilter(field_name="order_date", lookup_expr="lte", label=_("订货日期至"))

    class Meta:
        model = PurchaseOrder
        fields = ["q", "status", "supplier", "late", "ordered_after", "ordered_before"]

    def search(self, queryset, name, value):
        by_product = PurchaseOrderLine.objects.filter(product__name__icontains=value).values("order_id")
        return queryset.filter(Q(number__icontains=value) | Q(supplier__name__icontains=value) | Q(pk__in=by_product))

    def filter_late(self, queryset, name, value):
        late = Exists(late_lines())
        if value:
            return queryset.filter(late, status__in=OPEN_ORDER)
        return queryset.exclude(Q(late) & Q(status__in=OPEN_ORDER))


class ReceiptFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search",
        label=_("搜索（单号/订单/批号/序列号）"),
        help_text=_("入库验收单号、订单号（包含）、批号或序列号"),
    )
    status = filters.MultipleChoiceFilter(choices=ReceiptStatus.choices, label=_("状态"), distinct=False)
    supplier = IdChoiceFilter(queryset=_suppliers, field_name="order__supplier", label=_("供应商"))
    order = filters.NumberFilter(field_name="order_id", label=_("采购订单 ID"))
    received_after = DayOrMomentFilter(field_name="received_at", label=_("到货日期自"))
    received_before = DayOrMomentFilter(field_name="received_at", until=True, label=_("到货日期至"))
    unit = SubtreeFilter(queryset=scoped_units, label=_("组织单位（含下级）"))

    class Meta:
        model = Receipt
        fields = ["q", "status", "supplier", "order", "received_after", "received_before", "unit"]

    link_only = ("order", "unit")

    def search(self, queryset, name, value):
        from .models import ReceiptLot

        by_lot = ReceiptLot.objects.filter(Q(lot__lot_number=value) | Q(lot__serial_number=value)).values(
            "line__receipt_id"
        )
        return queryset.filter(Q(number__icontains=value) | Q(order__number__icontains=value) | Q(pk__in=by_lot))
