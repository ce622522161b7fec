"""工作台 queues of the sales app: orders to review (SAL-5), orders to allocate and ship (warehouse,
SAL-6), quotations waiting price approval or expiring within 7 days (SAL-2), contract review items for the
user's department (SAL-1) and payments due or overdue (DEL-5). Pre-sales queues (inquiries to answer —
PRE-1) are in presales_workbench.py when present."""

import datetime as dt
from importlib.util import find_spec

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.workbench import PanelRow, queue_panel, workbench_panel

from .choices import ContractStatus, OrderStatus, QuotationStatus, ReviewResult
from .models import Contract, ContractReview, Quotation, Receivable, SalesOrder

if find_spec("salesservice.sales.presales_workbench"):
    from . import presales_workbench  # noqa: F401 — registers its panels


def _panel(key, title, queryset, row, more_url):
    return queue_panel(key, title, queryset, row, more_url)


def _order_row(badge, badge_class):
    return lambda o: PanelRow(
        text=f"{o.number} · {o.customer.name}",
        url=reverse("sales:order-detail", args=[o.pk]),
        meta=f"{o.total} 元",
        badge=badge,
        badge_class=badge_class,
    )


@workbench_panel(order=20)
def orders_to_review(request):
    user = request.user
    if not user.has_perm("sales.review_salesorder"):
        return None
    queryset = (
        SalesOrder.objects.visible_to(user)
        .filter(status=OrderStatus.DRAFT)
        .exclude(created_by=user)
        .select_related("customer")
        .order_by("created_at", "id")
    )
    return _panel(
        "sales-orders-to-review",
        _("待评审的销售订单"),
        queryset,
        _order_row(_("待评审"), "bg-blue-lt"),
        reverse("sales:orders") + "?status=draft",
    )


@workbench_panel(order=21)
def orders_to_ship(request):
    user = request.user
    if not user.has_perm("sales.allocate_salesorder"):
        return None
    queryset = (
        SalesOrder.objects.visible_to(user)
        .filter(status__in=[OrderStatus.CONFIRMED, OrderStatus.ALLOCATED])
        .select_related("customer")
        .order_by("created_at", "id")
    )
    return _panel(
        "sales-orders-to-ship",
        _("待配货/发货的订单"),
        queryset,
        lambda o: PanelRow(
            text=f"{o.number} · {o.customer.name}",
            url=reverse("sales:order-detail", args=[o.pk]),
            meta=o.get_status_display(),
            badge=_("发货") if o.status == OrderStatus.ALLOCATED else _("配货"),
            badge_class="bg-indigo-lt",
        ),
        reverse("sales:orders") + "?status=confirmed&status=allocated",
    )


@workbench_panel(order=22)
def quotations_to_watch(request):
    user = request.user
    if not user.has_perm("sales.view_quotation"):
        return None
    today = timezone.localdate()
    queryset = Quotation.objects.visible_to(user).select_related("customer")
    if user.has_perm("sales.approve_quotation"):
        pending = queryset.filter(status=QuotationStatus.PENDING_APPROVAL).exclude(created_by=user)
        if not user.has_perm("sales.approve_quotation_top"):
            pending = pending.filter(approval_level__lte=1)
    else:
        pending = queryset.none()
    expiring = queryset.filter(
        created_by=user,
        status__in=[QuotationStatus.APPROVED, QuotationStatus.ACCEPTED],
        valid_until__gte=today,
        valid_until__lte=today + dt.timedelta(days=7),
    )
    combined = (pending | expiring).order_by("valid_until", "id")
    return _panel(
        "quotations",
        _("待审批/即将到期的报价"),
        combined,
        lambda q: PanelRow(
            text=f"{q.number} · {q.customer.name}",
            url=reverse("sales:quotation-detail", args=[q.pk]),
            meta=_("有效期至 %(d)s") % {"d": q.valid_until},
            badge=q.get_status_display(),
            badge_class="bg-orange-lt" if q.status == QuotationStatus.PENDING_APPROVAL else "bg-azure-lt",
        ),
        reverse("sales:quotations"),
    )


@workbench_panel(order=23)
def contract_reviews(request):
    user = request.user
    if not user.has_perm("sales.review_contract"):
        return None
    from .services import _departments_of

    departments = _departments_of(user)
    queryset = (
        ContractReview.objects.filter(
            contract__in=Contract.objects.visible_to(user).filter(status=ContractStatus.IN_REVIEW),
            revision=F("contract__revision"),
            result=ReviewResult.PENDING,
            department__in=departments,
        )
        .select_related("contract__customer")
        .order_by("contract__submitted_at", "id")
    )
    return _panel(
        "contract-reviews",
        _("待我部门评审的合同"),
        queryset,
        lambda r: PanelRow(
            text=f"{r.contract.number} · {r.contract.customer.name}",
            url=reverse("sales:contract-detail", args=[r.contract_id]),
            meta=r.get_item_display(),
            badge=r.get_department_display(),
            badge_class="bg-orange-lt",
        ),
        reverse("sales:contracts") + "?status=in_review",
    )


@workbench_panel(order=24)
def payments_due(request):
    user = request.user
    if not user.has_perm("sales.record_payment"):
        return None
    soon = timezone.localdate() + dt.timedelta(days=7)
    queryset = (
        Receivable.objects.visible_to(user)
        .filter(paid_at__isnull=True, due_date__lte=soon)
        .select_related("customer", "order")
        .order_by("due_date", "id")
    )
    return _panel(
        "payments-due",
        _("到期/逾期应收"),
        queryset,
        lambda r: PanelRow(
            text=f"{r.customer.name} · {r.outstanding} 元",
            url=reverse("sales:order-detail", args=[r.order_id]) if r.order_id else reverse("sales:receivables"),
            meta=_("%(d)s 到期") % {"d": r.due_date},
            badge=_("逾期") if r.is_overdue else _("将到期"),
            badge_class="bg-red-lt" if r.is_overdue else "bg-yellow-lt",
        ),
        reverse("sales:receivables") + "?open=true",
    )
