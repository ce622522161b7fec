"""Returns pages (RET-1, RET-2): the list, intake with a live eligibility check, the request page with its
flow actions, and the metrics page. The actions are the workflow's (workflows.py): the page shows the forms
the user may use now, and each is a POST to `RETURN_WORKFLOW.page_view()` calling one service; a refusal
comes back as a Chinese message and changes nothing."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesservice.catalog.models import Product
from salesservice.core.exceptions import DomainError
from salesservice.core.forms import apply_domain_error
from salesservice.core.input_guards import parse_id
from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history
from salesservice.inspection.models import Nonconformance

from . import selectors, services
from .choices import GoodsCondition, ReturnReason, ReturnStatus, SaleChannel
from .filtersets import ReturnRequestFilterSet
from .forms import MetricsForm, ReturnRequestForm
from .models import ReturnRequest
from .rules import return_eligibility
from .workflows import RETURN_WORKFLOW

R = ReturnStatus


# --- list -------------------------------------------------------------------------------


def _status_badge(item: ReturnRequest):
    return RETURN_WORKFLOW.badge(item.status)


def _eligible_badge(item: ReturnRequest):
    if item.eligible:
        return format_html('<span class="badge bg-green-lt">{}</span>', _("符合"))
    if item.override_reason:
        return format_html('<span class="badge bg-orange-lt">{}</span>', _("特批"))
    return format_html('<span class="badge bg-red-lt">{}</span>', _("不符合"))


class ReturnListView(ListPageView):
    """RET-2: every return in scope, by status, store and handler; Excel export."""

    permission_required = "returns.view_returnrequest"
    title = gettext_lazy("退换货")
    filterset_class = ReturnRequestFilterSet
    default_sort = "-requested_at"
    export_filename = "returns"
    detail_url_name = "returns:return-detail"
    actions = [
        (gettext_lazy("新建退换货"), "returns:return-create", "returns.add_returnrequest"),
        (gettext_lazy("统计"), "returns:metrics", "returns.view_returnrequest"),
    ]
    columns = [
        Column(gettext_lazy("单号"), "number", sort="number", link=True),
        Column(gettext_lazy("申请时间"), "requested_at", sort="requested_at"),
        Column(gettext_lazy("客户"), "customer.name"),
        Column(gettext_lazy("门店"), "store.name"),
        Column(gettext_lazy("商品"), "product.name"),
        Column(gettext_lazy("原因"), "get_reason_display", sort="reason"),
        Column(gettext_lazy("诉求"), "get_requested_kind_display"),
        Column(gettext_lazy("规则"), _eligible_badge, export="eligible"),
        Column(gettext_lazy("状态"), _status_badge, sort="status", export="get_status_display"),
        Column(gettext_lazy("经办人"), lambda r: r.handler.name if r.handler else ""),
        Column(gettext_lazy("处理时长（小时）"), "handling_hours", sort="handling_seconds"),
    ]

    def base_queryset(self):
        return selectors.return_request_list(self.request.user)


# --- intake -----------------------------------------------------------------------------


@login_required
@permission_required("returns.add_returnrequest", raise_exception=True)
def return_create(request):
    """RET-1 intake: the rules' answer is shown while typing (htmx) and stored with the request."""
    form = ReturnRequestForm(request.POST or None, user=request.user)
    answer = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.return_request_create(
                actor=request.user,
                customer=data["customer"],
                product=data["product"],
                purchase_date=data["purchase_date"],
                sale_channel=data["sale_channel"],
                reason=data["reason"],
                requested_kind=data["requested_kind"],
                condition=data["condition"],
                serial_number=data["serial_number"],
                batch_number=data["batch_number"],
                description=data["description"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已登记退换货申请：%(number)s") % {"number": created.number})
            return redirect("returns:return-detail", created.pk)
    if request.method == "POST":
        answer = _answer_from(request.POST)
    return render(request, "returns/return_form.html", {"form": form, "title": _("新建退换货"), "answer": answer})


def _answer_from(params):
    """The rules' answer for what the form holds so far; None until product and date are given."""
    product_id = params.get("product") or ""
    try:
        purchase_date = parse_date(params.get("purchase_date") or "")
    except ValueError:  # well-formed but impossible, e.g. 2026-13-40
        purchase_date = None
    product_id = parse_id(product_id)
    product = Product.objects.select_related("category").filter(pk=product_id).first() if product_id else None
    if product is None or purchase_date is None:
        return None
    return return_eligibility(
        product=product,
        purchase_date=purchase_date,
        sale_channel=params.get("sale_channel") or SaleChannel.DISTANCE,
        reason=params.get("reason") or ReturnReason.NO_REASON,
        requested_kind=params.get("requested_kind") or "refund",
        condition=params.get("condition") or GoodsCondition.UNOPENED,
    )


@login_required
@permission_required("returns.view_returnrequest", raise_exception=True)
def eligibility_check(request):
    """htmx: eligible or not, the reasons and the rule cited — before anything is submitted (RET-1)."""
    return render(request, "returns/_eligibility.html", {"answer": _answer_from(request.GET)})


@login_required
@permission_required("returns.add_returnrequest", raise_exception=True)
def customer_lookup(request):
    """htmx: up to 8 customers in scope matching what is typed (the service desk's suggestion list)."""
    from salesservice.service.desk_forms import customer_candidates

    query = request.GET.get("customer", "").strip()
    found = list(customer_candidates(request.user, query).select_related("store")[:8]) if query else []
    return render(request, "service/desk/_customer_candidates.html", {"customers": found, "query": query})


# --- the request page -------------------------------------------------------------------


def _visible(request, pk) -> ReturnRequest:
    if not request.user.has_perm("returns.view_returnrequest"):
        raise PermissionDenied
    return get_object_or_404(
        ReturnRequest.objects.visible_to(request.user)
        .select_related("customer", "store", "product", "product__category", "handler", "decided_by", "received_by")
        .prefetch_related(Prefetch("nonconformances", queryset=Nonconformance.objects.order_by("id"))),
        pk=pk,
    )


@login_required
def return_detail(request, pk):
    """The request page: its facts, the rules' answer, and the forms of the actions the user may take now
    (`{% workflow_actions rr %}`); the actions post to `RETURN_WORKFLOW.page_view()` (urls.py)."""
    item = _visible(request, pk)
    context = {
        "rr": item,
        "title": f"{item.number} · {item.customer.name}",
        "reasons": item.eligibility.get("reasons", []),
        **audit_history(item),
    }
    return render(request, "returns/return_detail.html", context)


def after_inspect(request, item, inspected):
    """After `inspect` (the workflow's `after`): a quality problem opened a nonconformance (SUP-8) — say so
    instead of the plain success message."""
    if inspected.quality_problem:
        messages.success(request, _("已检验，发现质量问题，已登记不合格品"))
        return redirect("returns:return-detail", item.pk)
    return None


# --- metrics (RET-2) --------------------------------------------------------------------


@login_required
@permission_required("returns.view_returnrequest", raise_exception=True)
def metrics(request):
    """Success rate and average handling time per handler and per store over a date range."""
    today = timezone.localdate()
    initial = {"start": today - dt.timedelta(days=30), "end": today, "group_by": "handler"}
    form = MetricsForm(request.GET or None, initial=initial)
    values = dict(initial)
    if form.is_bound and form.is_valid():  # invalid input shows its errors; the default range is used meanwhile
        values.update({key: value for key, value in form.cleaned_data.items() if value})
    by_handler, total = selectors.return_metrics(
        request.user, start=values["start"], end=values["end"], group_by="handler"
    )
    by_store, _total = selectors.return_metrics(
        request.user, start=values["start"], end=values["end"], group_by="store"
    )
    return render(
        request,
        "returns/metrics.html",
        {
            "title": _("退换货统计"),
            "form": form,
            "start": values["start"],
            "end": values["end"],
            "by_handler": by_handler,
            "by_store": by_store,
            "total": total,
        },
    )
