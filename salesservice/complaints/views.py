"""Complaint pages (CMP-1 … CMP-8): the list, intake, the complaint page with its flow actions and the
compensation panel, the after-sales fund, recoveries, improvement actions and analytics.

The complaint page shows the actions the user may take now (from `workflows.py`); each is a POST to
`COMPLAINT_WORKFLOW.page_view()` (or `RECOVERY_WORKFLOW.page_view()`) calling one service; a refusal (illegal
status move, over the authority limit, fund insufficient, stale version, closing without root cause or
improvement action) comes back as a Chinese message and changes nothing.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesservice.core.exceptions import DomainError
from salesservice.core.models import OrgUnit
from salesservice.core.scoping import visible_unit_ids
from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history

from . import compensation, selectors, services
from .choices import (
    ComplaintLevel,
    ComplaintStatus,
    EntryKind,
    RecoveryStatus,
)
from .errors import ComplaintsErrorCode
from .filtersets import ComplaintFilterSet, RecoveryFilterSet
from .forms import ComplaintIntakeForm, PayForm, TopUpForm
from .models import Complaint
from .workflows import COMPENSATION_REQUEST_WORKFLOW, COMPLAINT_WORKFLOW, RECOVERY_WORKFLOW

C = ComplaintStatus
LEVEL_BADGES = {0: "bg-secondary-lt", 1: "bg-yellow-lt", 2: "bg-red-lt"}


def status_badge(complaint):
    return COMPLAINT_WORKFLOW.badge(complaint.status)


def level_badge(complaint):
    major = format_html(' <span class="badge bg-red">{}</span>', _("重大")) if complaint.is_major else ""
    return format_html('<span class="badge {}" data-level="{}">{}</span>{}', LEVEL_BADGES.get(complaint.level, ""),
                       complaint.level, complaint.get_level_display(), major)  # fmt: skip


def deadline(complaint):
    if not complaint.escalation_clock_running:
        return "—"
    now = timezone.now()
    if complaint.first_responded_at is None:
        due, label = complaint.first_response_due_at, _("首次答复")
    else:
        due, label = complaint.escalation_due_at, _("升级")
    local = timezone.localtime(due).strftime("%m-%d %H:%M")
    if due <= now:
        return format_html('<span class="text-danger fw-bold overdue-marker">{} {} · {}</span>', label, local,
                           _("已超时"))  # fmt: skip
    return f"{label} {local}"


# --- list ---------------------------------------------------------------------------------------


class ComplaintListView(ListPageView):
    """CMP-6: every complaint in scope — status, level, overdue marks; Excel export."""

    permission_required = "complaints.view_complaint"
    title = gettext_lazy("投诉")
    filterset_class = ComplaintFilterSet
    default_sort = "-received_at"
    export_filename = "complaints"
    detail_url_name = "complaints:complaint-detail"
    actions = [
        (gettext_lazy("新建投诉"), "complaints:complaint-create", "complaints.add_complaint"),
        (gettext_lazy("统计分析"), "complaints:analytics", "complaints.view_complaint"),
        (gettext_lazy("改进措施"), "complaints:actions", "complaints.view_complaint"),
        (gettext_lazy("售后基金"), "complaints:fund", "complaints.view_compensationentry"),
        (gettext_lazy("追偿"), "complaints:recoveries", "complaints.view_compensationentry"),
    ]
    columns = [
        Column(gettext_lazy("投诉单号"), "number", sort="number", link=True),
        Column(gettext_lazy("受理时间"), "received_at", sort="received_at"),
        Column(gettext_lazy("客户"), "customer.name"),
        Column(gettext_lazy("门店"), "store.name"),
        Column(gettext_lazy("主题"), "subject"),
        Column(gettext_lazy("渠道"), "get_channel_display"),
        Column(gettext_lazy("状态"), status_badge, sort="status", export="get_status_display"),
        Column(gettext_lazy("级别"), level_badge, sort="level", export="get_level_display"),
        Column(gettext_lazy("时限"), deadline, sort="escalation_due_at", export="escalation_due_at"),
        Column(gettext_lazy("处理人"), "handler.name"),
        Column(gettext_lazy("责任方"), "get_responsible_party_display"),
    ]

    def base_queryset(self):
        return selectors.complaint_list(self.request.user)


# --- intake -------------------------------------------------------------------------------------


@login_required
@permission_required("complaints.add_complaint", raise_exception=True)
def complaint_create(request):
    """CMP-1: a complaint from any channel, optionally escalated from a service request."""
    initial = {}
    if request.GET.get("service_request"):
        initial["service_request_number"] = request.GET["service_request"]
    form = ComplaintIntakeForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            customer = data["customer"]
            if customer is None and data["service_request_number"] is None:
                customer = _quick_customer(request.user, data)
            promised = data["promised_by"]
            if promised is not None and timezone.is_naive(promised):
                promised = timezone.make_aware(promised)
            created = services.complaint_create(
                actor=request.user,
                customer=customer,
                channel=data["channel"],
                subject=data["subject"],
                description=data["description"],
                customer_demand=data["customer_demand"],
                service_request=data["service_request_number"],
                product=data["product"],
                promised_by=promised,
                claimed_amount=data["claimed_amount"] or 0,
                media_exposure=data["media_exposure"],
                safety_issue=data["safety_issue"],
                is_major=data["is_major"],
            )
        except DomainError as error:
            from salesservice.core.forms import apply_domain_error

            apply_domain_error(form, error)
        else:
            messages.success(request, _("已受理投诉：%(number)s") % {"number": created.number})
            return redirect("complaints:complaint-detail", created.pk)
    return render(request, "complaints/complaint_form.html", {"form": form, "title": _("受理投诉")})


def _quick_customer(user, data):
    from salesservice.customers.services import customer_create

    units = visible_unit_ids(user)
    stores = OrgUnit.objects.filter(kind="store", is_active=True)
    if units is not None:
        stores = stores.filter(pk__in=units)
    store = stores.order_by("path").first()
    if store is None:
        raise DomainError(ComplaintsErrorCode.COMPLAINT_NO_STORE, _("您没有所属门店，无法快速建档，请选择已有客户"))
    return customer_create(actor=user, name=data["new_customer_name"], customer_type="individual", store=store,
                           phone=data["new_customer_phone"])  # fmt: skip


@login_required
@permission_required("complaints.add_complaint", raise_exception=True)
def customer_lookup(request):
    """htmx: up to 8 customers in scope matching what is typed (the service desk's candidate list)."""
    from salesservice.service.desk_forms import customer_candidates

    query = request.GET.get("customer", "").strip()
    found = list(customer_candidates(request.user, query).select_related("store")[:8]) if query else []
    return render(request, "service/desk/_customer_candidates.html", {"customers": found, "query": query})


# --- the complaint page ------------------------------------------------------------------------


def _visible(request, pk) -> Complaint:
    if not request.user.has_perm("complaints.view_complaint"):
        raise PermissionDenied
    try:
        return selectors.complaint_get(request.user, pk)
    except Complaint.DoesNotExist:
        raise Http404 from None


@login_required
def complaint_detail(request, pk):
    complaint = _visible(request, pk)
    user = request.user
    level, limit = compensation.actor_limit(user)
    pending = [r for r in complaint.compensation_requests.all() if COMPENSATION_REQUEST_WORKFLOW.allows(r, "approve")]
    approvable = {r.pk for r in pending if not compensation.approval_refusals(user, r)}
    context = {
        "c": complaint,
        "title": f"{complaint.number} · {complaint.subject}",
        "level_badge": LEVEL_BADGES.get(complaint.level, ""),
        "now": timezone.now(),
        "major_reasons": services.major_reasons(complaint) if complaint.is_major else [],
        "can_close": user.has_perm("complaints.close_complaint"),
        "fund_balance": compensation.fund_get().balance,
        "pending_requests": pending,
        "approvable": approvable,
        "paid_total": sum((e.amount for e in complaint.compensation_entries.all() if e.kind == EntryKind.PAYOUT), 0),
        # The action forms come from the workflow ({% workflow_actions %}); the payout form shows the authority.
        "pay_form": PayForm(my_level=ComplaintLevel(level).label, my_limit=limit),
        **audit_history(complaint),
    }  # fmt: skip
    return render(request, "complaints/complaint_detail.html", context)


def after_pay(request, complaint, outcome):
    """After `pay`: paid at once, or sent to a higher level for approval (CMP-8)."""
    if outcome.paid:
        messages.success(request, _("已先行赔付 ¥%(amount)s") % {"amount": outcome.entry.amount})
    else:
        messages.warning(
            request,
            _("¥%(amount)s 超出您的权限，已提交%(level)s审批")
            % {"amount": outcome.pending.amount, "level": ComplaintLevel(outcome.pending.required_level).label},
            extra_tags="code:compensation.over_limit",
        )
    return redirect("complaints:complaint-detail", complaint.pk)


# --- the fund, recoveries, improvement actions --------------------------------------------------


@login_required
@permission_required("complaints.view_compensationentry", raise_exception=True)
def fund_page(request):
    """CMP-8: the after-sales fund — balance, the levels' authority, the ledger, top-ups."""
    form = TopUpForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("complaints.manage_compensation_fund"):
            raise PermissionDenied
        if form.is_valid():
            try:
                compensation.fund_top_up(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                from salesservice.core.forms import apply_domain_error

                apply_domain_error(form, error)
            else:
                messages.success(request, _("已注资 ¥%(amount)s") % {"amount": form.cleaned_data["amount"]})
                return redirect("complaints:fund")
    entries = selectors.ledger(request.user)
    kind = request.GET.get("kind", "")
    if kind in EntryKind.values:
        entries = entries.filter(kind=kind)
    page = Paginator(entries.order_by("-created_at", "-id"), 25).get_page(request.GET.get("page"))
    level, limit = compensation.actor_limit(request.user)
    return render(request, "complaints/fund.html", {
        "title": _("售后基金"),
        "fund": compensation.fund_get(),
        "page": page,
        "kind": kind,
        "kinds": EntryKind.choices,
        "limits": [(ComplaintLevel(lv).label, compensation.authority_limit(lv)) for lv in (0, 1, 2)],
        "my_level": ComplaintLevel(level).label,
        "my_limit": limit,
        "form": form,
        "can_top_up": request.user.has_perm("complaints.manage_compensation_fund"),
        "open_recoveries": selectors.recovery_list(request.user).filter(status=RecoveryStatus.OPEN).count(),
    })  # fmt: skip


def _recovery_badge(recovery):
    return RECOVERY_WORKFLOW.badge(recovery.status)


def _settle_button(recovery):
    if not RECOVERY_WORKFLOW.allows(recovery, "settle"):
        return recovery.settled_at
    return format_html('<a class="btn btn-sm btn-outline-primary" href="{}#recoveries">{}</a>',
                       reverse("complaints:complaint-detail", args=[recovery.complaint_id]), _("去结清"))  # fmt: skip


class RecoveryListView(ListPageView):
    """CMP-8: what the fund advanced, tracked until the responsible party paid it back."""

    permission_required = "complaints.view_compensationentry"
    title = gettext_lazy("追偿")
    filterset_class = RecoveryFilterSet
    default_sort = "-opened_at"
    export_filename = "recoveries"
    columns = [
        Column(gettext_lazy("投诉单号"), "complaint.number"),
        Column(gettext_lazy("门店"), "complaint.store.name"),
        Column(gettext_lazy("追偿对象"), "party_name"),
        Column(gettext_lazy("类型"), "get_party_display"),
        Column(gettext_lazy("金额"), "amount", sort="amount"),
        Column(gettext_lazy("状态"), _recovery_badge, sort="status", export="get_status_display"),
        Column(gettext_lazy("开立时间"), "opened_at", sort="opened_at"),
        Column(gettext_lazy("结清"), _settle_button, export="settled_at"),
    ]

    def base_queryset(self):
        return selectors.recovery_list(self.request.user)


@login_required
def recovery_detail(request, pk):
    """A recovery is shown in the recoveries panel of its complaint's page."""
    recovery = selectors.recovery_list(request.user).filter(pk=pk).first()
    if recovery is None:
        raise Http404
    return redirect(reverse("complaints:complaint-detail", args=[recovery.complaint_id]) + "#recoveries")


def after_settle(request, recovery, settled):
    """After `settle`: how much went back to the fund; back to where the form was (`next`) or the complaint."""
    messages.success(request, _("追偿已结清，¥%(amount)s 已回到售后基金") % {"amount": settled.amount})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("complaints:complaint-detail", args=[recovery.complaint_id])
    return redirect(target)


@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def actions_page(request):
    """CMP-5: improvement actions tracked to done — mine, open, overdue."""
    queryset = selectors.improvement_action_list(request.user)
    show = request.GET.get("show", "open")
    today = timezone.localdate()
    if show == "mine":
        queryset = queryset.filter(owner=request.user, done_at__isnull=True)
    elif show == "overdue":
        queryset = queryset.filter(done_at__isnull=True, due_date__lt=today)
    elif show == "done":
        queryset = queryset.filter(done_at__isnull=False)
    elif show != "all":
        show = "open"
        queryset = queryset.filter(done_at__isnull=True)
    page = Paginator(queryset.order_by("due_date", "id"), 25).get_page(request.GET.get("page"))
    return render(request, "complaints/actions.html", {
        "title": _("改进措施"), "page": page, "show": show, "today": today,
        "shows": [("open", _("未完成")), ("mine", _("我负责的")), ("overdue", _("已逾期")), ("done", _("已完成")),
                  ("all", _("全部"))],
        "can_close": request.user.has_perm("complaints.close_complaint"),
    })  # fmt: skip


@login_required
@require_POST
def action_done(request, pk):
    try:
        action = services.improvement_action_done(actor=request.user, action_id=pk, note=request.POST.get("note", ""))
    except DomainError as error:
        if error.status_code == 404:
            raise Http404 from None
        messages.error(request, error.message, extra_tags=f"code:{error.code}")
    else:
        messages.success(request, _("改进措施已确认完成：%(d)s") % {"d": action.description[:30]})
    return redirect(request.POST.get("next") or reverse("complaints:actions"))


# --- analytics (CMP-6) -------------------------------------------------------------------------

ANALYTICS_GROUPS = [
    ("responsible_party", gettext_lazy("按原因（责任方）")),
    ("product", gettext_lazy("按商品")),
    ("store", gettext_lazy("按门店")),
    ("provider", gettext_lazy("按外协网点")),
    ("month", gettext_lazy("按月份")),
]


@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def analytics(request):
    """CMP-6: complaints by cause, product, store, provider and month; complaint rate per 100 service requests."""
    group = request.GET.get("group", "responsible_party")
    if group not in dict(ANALYTICS_GROUPS):
        group = "responsible_party"
    queryset = selectors.complaint_list(request.user)
    filters = ComplaintFilterSet(request.GET or None, queryset=queryset, request=request)
    queryset = filters.qs
    for field in filters.form.fields.values():
        css = "form-select" if getattr(field.widget, "input_type", "select") == "select" else "form-control"
        field.widget.attrs.setdefault("class", css)
    if group == "provider":
        queryset = queryset.filter(responsible_provider__isnull=False)
    table = selectors.complaints_by(queryset, group)
    rate = selectors.complaint_rate(request.user, since=timezone.now() - dt.timedelta(days=365))
    chart = {
        "groups": [str(row["group"]) for row in table],
        "totals": [row["total"] for row in table],
        "closed": [row["closed"] for row in table],
        "rate_labels": sorted({row["month"] for row in rate}),
        "rate_series": _rate_series(rate),
        "labels": {"total": _("投诉数"), "closed": _("已结案"), "rate": _("每百单投诉率")},
    }
    if request.GET.get("export") == "xlsx":
        return _analytics_xlsx(dict(ANALYTICS_GROUPS)[group], table, rate)
    return render(request, "complaints/analytics.html", {
        "title": _("投诉统计分析"), "group": group, "groups": ANALYTICS_GROUPS, "table": table, "rate": rate,
        "chart": chart, "filterset": filters, "query": request.GET.urlencode(),
    })  # fmt: skip


def _rate_series(rate):
    months = sorted({row["month"] for row in rate})
    stores = sorted({row["store"] for row in rate})
    by_key = {(row["store"], row["month"]): row["rate"] for row in rate}
    return [{"name": store, "data": [by_key.get((store, month)) for month in months]} for store in stores]


def _analytics_xlsx(label, table, rate):
    from io import BytesIO

    from django.http import HttpResponse
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("投诉分布")))
    sheet.append([str(label), str(_("投诉数")), str(_("已结案")), str(_("重大"))])
    for row in table:
        sheet.append([str(row["group"]), row["total"], row["closed"], row["major"]])
    sheet = workbook.create_sheet(str(_("投诉率")))
    sheet.append([str(_("门店")), str(_("月份")), str(_("投诉数")), str(_("服务单数")), str(_("每百单投诉率"))])
    for row in rate:
        sheet.append([row["store"], row["month"], row["complaints"], row["requests"], row["rate"]])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="complaint-analytics.xlsx"'
    return response
