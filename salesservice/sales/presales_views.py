"""Pre-sales pages (Simplified Chinese, server-rendered + htmx, phone-friendly): inquiries (PRE-1, PRE-3),
product claims (PRE-2), tenders (SAL-3), sales-rep authorisation letters (BUY-2) and annual sales plans
(SAL-4) — list with filters and Excel export, create form, record page. The inquiry, claim and tender actions
are their workflows' (presales_workflows.py); revoking a letter and approving a plan post to views of their
own. Each calls one service; a refusal comes back as a Chinese message and changes nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesservice.core import privacy
from salesservice.core.exceptions import DomainError
from salesservice.core.forms import apply_domain_error
from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history
from salesservice.core.views.workflow import build_form, form_error, form_values

from . import presales as services
from .choices import InquiryStatus
from .models import Inquiry, ProductClaim, RepAuthorisation, SalesPlan, Tender
from .presales_filtersets import (
    InquiryFilterSet,
    ProductClaimFilterSet,
    RepAuthorisationFilterSet,
    SalesPlanFilterSet,
    TenderFilterSet,
)
from .presales_forms import (
    AuthorisationForm,
    AuthorisationRevokeForm,
    ClaimForm,
    InquiryForm,
    PlanApproveForm,
    PlanForm,
    TenderForm,
)
from .presales_selectors import approved_claims, letter_state, plan_progress, rep_authorisation_for
from .presales_workflows import CLAIM_WORKFLOW, INQUIRY_WORKFLOW, TENDER_WORKFLOW


def _version(request):
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _need(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


# --- inquiries (PRE-1, PRE-3) ---------------------------------------------------------------


def _contact(inquiry) -> str:
    if inquiry.customer_id:
        return inquiry.customer.name
    return f"{inquiry.prospect_name} {privacy.mask_phone(inquiry.prospect_phone)}".strip()


def _due_badge(inquiry):
    if inquiry.status == InquiryStatus.OPEN and inquiry.reply_due_at and inquiry.reply_due_at < timezone.now():
        return format_html('<span class="badge bg-red-lt" data-overdue="true">{}</span>', _("超时"))
    return ""


class InquiryListView(ListPageView):
    """PRE-1: inquiries in scope with their reply clock; the overdue ones are marked."""

    permission_required = "sales.view_inquiry"
    title = gettext_lazy("客户咨询")
    filterset_class = InquiryFilterSet
    default_sort = "-received_at"
    export_filename = "inquiries"
    detail_url_name = "sales:inquiry-detail"
    actions = [(gettext_lazy("登记咨询"), "sales:inquiry-create", "sales.add_inquiry")]
    columns = [
        Column(gettext_lazy("单号"), "number", sort="number", link=True),
        Column(gettext_lazy("咨询时间"), "received_at", sort="received_at"),
        Column(gettext_lazy("方式"), "get_channel_display"),
        Column(gettext_lazy("客户/咨询人"), _contact),
        Column(gettext_lazy("需求"), lambda i: i.needs[:40]),
        Column(gettext_lazy("转交部门"), "get_department_display"),
        Column(gettext_lazy("负责人"), "assignee.name"),
        Column(gettext_lazy("应答复时间"), "reply_due_at", sort="reply_due_at"),
        Column(gettext_lazy("超时"), _due_badge, export=lambda i: "是" if _due_badge(i) else ""),
        Column(
            gettext_lazy("状态"),
            lambda i: INQUIRY_WORKFLOW.badge(i.status),
            sort="status",
            export="get_status_display",
        ),
    ]

    def base_queryset(self):
        return Inquiry.objects.visible_to(self.request.user).select_related("customer", "assignee")


@login_required
@permission_required("sales.add_inquiry", raise_exception=True)
def inquiry_create(request):
    """PRE-1: register an inquiry (phone / online / walk-in / email) with needs and special requirements."""
    initial = {}
    customer_id = request.GET.get("customer", "")
    if customer_id.isdigit():
        initial["customer"] = customer_id
    form = InquiryForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.inquiry_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("已登记咨询：%(number)s，请于 %(due)s 前答复")
                % {"number": created.number, "due": timezone.localtime(created.reply_due_at).strftime("%m-%d %H:%M")},
            )
            return redirect("sales:inquiry-detail", created.pk)
    return render(request, "sales/presales/inquiry_form.html", {"form": form, "title": _("登记客户咨询")})


@login_required
def inquiry_detail(request, pk):
    _need(request, "sales.view_inquiry")
    inquiry = get_object_or_404(
        Inquiry.objects.visible_to(request.user).select_related(
            "customer", "product", "assignee", "org_unit", "created_by"
        ),
        pk=pk,
    )
    claims = approved_claims([inquiry.product_id]).get(inquiry.product_id, []) if inquiry.product_id else []
    context = {
        "inquiry": inquiry,
        "masked_phone": privacy.mask_phone(inquiry.prospect_phone),
        "can_reveal": bool(inquiry.prospect_phone) and privacy.can_reveal(request.user, inquiry),
        "overdue": bool(_due_badge(inquiry)),
        "claims": claims,
        "title": f"{inquiry.number} · {_contact(inquiry)}",
        **audit_history(inquiry),
    }
    return render(request, "sales/presales/inquiry_detail.html", context)


@login_required
@require_POST
def inquiry_reveal(request, pk, field):
    """htmx: the prospect's full phone; the reveal is written to the access log."""
    _need(request, "sales.view_inquiry")
    inquiry = get_object_or_404(Inquiry.objects.visible_to(request.user), pk=pk)
    try:
        value = privacy.reveal(actor=request.user, obj=inquiry, field=field, purpose=request.POST.get("purpose", ""))
    except DomainError as error:
        return HttpResponse(format_html('<span class="text-danger">{}</span>', error.message), status=403)
    return HttpResponse(format_html('<span class="revealed">{}</span>', value))


# --- product claims (PRE-2) -----------------------------------------------------------------


class ProductClaimListView(ListPageView):
    """PRE-2: claims by product and status; only approved ones may be shown to customers."""

    permission_required = "sales.view_productclaim"
    title = gettext_lazy("产品宣传用语")
    filterset_class = ProductClaimFilterSet
    default_sort = "-created_at"
    export_filename = "product-claims"
    detail_url_name = "sales:productclaim-detail"
    actions = [(gettext_lazy("提交宣传用语"), "sales:productclaim-create", "sales.add_productclaim")]
    columns = [
        Column(gettext_lazy("商品"), lambda c: f"{c.product.code} {c.product.name}", link=True),
        Column(gettext_lazy("宣传内容"), lambda c: c.text[:60]),
        Column(gettext_lazy("依据"), "evidence"),
        Column(gettext_lazy("提交人"), "submitted_by.name"),
        Column(gettext_lazy("提交时间"), "created_at", sort="created_at"),
        Column(gettext_lazy("审核人"), "decided_by.name"),
        Column(
            gettext_lazy("状态"), lambda c: CLAIM_WORKFLOW.badge(c.status), sort="status", export="get_status_display"
        ),
    ]

    def base_queryset(self):
        return ProductClaim.objects.select_related("product", "submitted_by", "decided_by")


@login_required
@permission_required("sales.add_productclaim", raise_exception=True)
def claim_create(request):
    initial = {}
    product_id = request.GET.get("product", "")
    if product_id.isdigit():
        initial["product"] = product_id
    form = ClaimForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.claim_submit(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已提交，待质量部审核"))
            return redirect("sales:productclaim-detail", created.pk)
    return render(request, "sales/presales/claim_form.html", {"form": form, "title": _("提交产品宣传用语")})


@login_required
def claim_detail(request, pk):
    _need(request, "sales.view_productclaim")
    claim = get_object_or_404(ProductClaim.objects.select_related("product", "submitted_by", "decided_by"), pk=pk)
    context = {"claim": claim, "title": _("宣传用语 · %(product)s") % {"product": claim.product.name}}
    return render(request, "sales/presales/claim_detail.html", {**context, **audit_history(claim)})


@login_required
@require_POST
def claim_action(request, pk, action):
    """The claims' workflow actions (the kernel's page handler, for a company-wide record: claims belong to a
    product, not an org unit, so whoever may view claims reaches every one)."""
    workflow = CLAIM_WORKFLOW
    if action not in workflow.actions or not workflow.actions[action].page:
        raise Http404
    _need(request, workflow.view_permission)
    claim = ProductClaim.objects.select_related(*workflow.related).filter(pk=pk).first()
    if claim is None:
        raise Http404
    try:
        form = build_form(workflow.actions[action], claim, request.user, request.POST, request.FILES)
        if form is not None and not form.is_valid():
            raise form_error(form)
        result = workflow.run(
            action, actor=request.user, obj=claim, values=form_values(form), expected_version=_version(request)
        )
    except DomainError as error:
        messages.error(request, error.message, extra_tags=f"code:{error.code}")
        return redirect("sales:productclaim-detail", claim.pk)
    if isinstance(result, HttpResponseBase):
        return result
    if workflow.actions[action].success:
        messages.success(request, workflow.actions[action].success)
    return redirect("sales:productclaim-detail", claim.pk)


# --- tenders (SAL-3) ------------------------------------------------------------------------


class TenderListView(ListPageView):
    """SAL-3: tenders from announcement to award and contract."""

    permission_required = "sales.view_tender"
    title = gettext_lazy("招投标")
    filterset_class = TenderFilterSet
    default_sort = "-announced_on"
    export_filename = "tenders"
    detail_url_name = "sales:tender-detail"
    actions = [(gettext_lazy("登记招标"), "sales:tender-create", "sales.add_tender")]
    columns = [
        Column(gettext_lazy("登记号"), "number", sort="number", link=True),
        Column(gettext_lazy("项目名称"), "title"),
        Column(gettext_lazy("招标单位"), "customer.name"),
        Column(gettext_lazy("公告日期"), "announced_on", sort="announced_on"),
        Column(gettext_lazy("投标截止"), "deadline", sort="deadline"),
        Column(gettext_lazy("预算（元）"), "budget", sort="budget"),
        Column(gettext_lazy("投标报价（元）"), "bid_amount"),
        Column(gettext_lazy("报总经理"), "reported_at"),
        Column(
            gettext_lazy("状态"), lambda t: TENDER_WORKFLOW.badge(t.status), sort="status", export="get_status_display"
        ),
    ]

    def base_queryset(self):
        return Tender.objects.visible_to(self.request.user).select_related("customer")


@login_required
@permission_required("sales.add_tender", raise_exception=True)
def tender_create(request):
    form = TenderForm(request.POST or None, user=request.user, initial={"announced_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.tender_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已登记招标：%(number)s，请报总经理") % {"number": created.number})
            return redirect("sales:tender-detail", created.pk)
    return render(request, "sales/presales/tender_form.html", {"form": form, "title": _("登记招标项目")})


@login_required
def tender_detail(request, pk):
    _need(request, "sales.view_tender")
    tender = get_object_or_404(
        Tender.objects.visible_to(request.user).select_related("customer", "org_unit", "reported_to", "created_by"),
        pk=pk,
    )
    contracts = list(tender.contracts.order_by("id")) if request.user.has_perm("sales.view_contract") else []
    context = {"tender": tender, "contracts": contracts, "title": f"{tender.number} · {tender.title}"}
    return render(request, "sales/presales/tender_detail.html", {**context, **audit_history(tender)})


# --- sales-rep authorisation letters (BUY-2) ------------------------------------------------


def _letter_badge(letter):
    state, label, color = letter_state(letter)
    return format_html('<span class="badge {}" data-state="{}">{}</span>', color, state, label)


class RepAuthorisationListView(ListPageView):
    """BUY-2: letters with their validity; filter those expiring within N days."""

    permission_required = "sales.view_repauthorisation"
    title = gettext_lazy("销售授权书")
    filterset_class = RepAuthorisationFilterSet
    default_sort = "-valid_until"
    export_filename = "rep-authorisations"
    detail_url_name = "sales:repauthorisation-detail"
    actions = [(gettext_lazy("签发授权书"), "sales:repauthorisation-create", "sales.add_repauthorisation")]
    columns = [
        Column(gettext_lazy("编号"), "number", sort="number", link=True),
        Column(gettext_lazy("销售人员"), "rep.name"),
        Column(gettext_lazy("授权单位"), "org_unit.name"),
        Column(gettext_lazy("授权范围"), "scope"),
        Column(gettext_lazy("有效期起"), "valid_from", sort="valid_from"),
        Column(gettext_lazy("有效期至"), "valid_until", sort="valid_until"),
        Column(gettext_lazy("状态"), _letter_badge, export=lambda letter: letter_state(letter)[1]),
    ]

    def base_queryset(self):
        return RepAuthorisation.objects.visible_to(self.request.user).select_related("rep", "org_unit")


@login_required
@permission_required("sales.add_repauthorisation", raise_exception=True)
def authorisation_create(request):
    today = timezone.localdate()
    initial = {"valid_from": today, "valid_until": today.replace(month=12, day=31)}
    form = AuthorisationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.authorisation_issue(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已签发授权书：%(number)s") % {"number": created.number})
            return redirect("sales:repauthorisation-detail", created.pk)
    return render(request, "sales/presales/authorisation_form.html", {"form": form, "title": _("签发销售授权书")})


def _visible_letter(request, pk):
    _need(request, "sales.view_repauthorisation")
    return get_object_or_404(
        RepAuthorisation.objects.visible_to(request.user).select_related("rep", "org_unit", "issued_by"), pk=pk
    )


@login_required
def authorisation_detail(request, pk):
    letter = _visible_letter(request, pk)
    may_revoke = letter.revoked_at is None and request.user.has_perm("sales.change_repauthorisation")
    context = {
        "letter": letter,
        "state": _letter_badge(letter),
        "current": rep_authorisation_for(letter.rep, timezone.localdate()),
        "revoke_form": AuthorisationRevokeForm() if may_revoke else None,
        "title": f"{letter.number} · {letter.rep.name}",
    }
    return render(request, "sales/presales/authorisation_detail.html", {**context, **audit_history(letter)})


@login_required
@require_POST
def authorisation_revoke(request, pk):
    """BUY-2: take the letter back, with a reason."""
    letter = _visible_letter(request, pk)
    form = AuthorisationRevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise form_error(form)
        services.authorisation_revoke(
            actor=request.user,
            authorisation_id=letter.pk,
            reason=form.cleaned_data["reason"],
            expected_version=_version(request),
        )
    except DomainError as error:
        messages.error(request, error.message, extra_tags=f"code:{error.code}")
    else:
        messages.success(request, _("已收回授权书"))
    return redirect("sales:repauthorisation-detail", letter.pk)


# --- annual sales plans (SAL-4) -------------------------------------------------------------


class SalesPlanListView(ListPageView):
    """SAL-4: the plans of the units in scope, by year."""

    permission_required = "sales.view_salesplan"
    title = gettext_lazy("年度销售计划")
    filterset_class = SalesPlanFilterSet
    default_sort = "-year"
    export_filename = "sales-plans"
    detail_url_name = "sales:salesplan-detail"
    actions = [(gettext_lazy("编制销售计划"), "sales:salesplan-create", "sales.add_salesplan")]
    columns = [
        Column(gettext_lazy("年度"), "year", sort="year", link=True),
        Column(gettext_lazy("单位"), "org_unit.name"),
        Column(gettext_lazy("上年实际（元）"), "last_year_actual"),
        Column(gettext_lazy("公司下达目标（元）"), "company_target"),
        Column(gettext_lazy("计划销售额（元）"), "target", sort="target"),
        Column(gettext_lazy("编制人"), "created_by.name"),
        Column(
            gettext_lazy("批准"),
            lambda p: f"{p.approved_by.name} {timezone.localtime(p.approved_at):%Y-%m-%d}" if p.approved_by else "",
        ),
    ]

    def base_queryset(self):
        return SalesPlan.objects.visible_to(self.request.user).select_related("org_unit", "created_by", "approved_by")


@login_required
@permission_required("sales.add_salesplan", raise_exception=True)
def plan_create(request):
    initial = {"year": PlanForm.default_year(), "org_unit": getattr(services.unit_of(request.user), "pk", None)}
    form = PlanForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ("org_unit", "year", "company_target", "target", "basis")}
        try:
            created = services.plan_create(actor=request.user, months=form.months(), **values)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已编制销售计划，待总经理批准"))
            return redirect("sales:salesplan-detail", created.pk)
    return render(request, "sales/presales/plan_form.html", {"form": form, "title": _("编制年度销售计划")})


def _visible_plan(request, pk):
    _need(request, "sales.view_salesplan")
    return get_object_or_404(
        SalesPlan.objects.visible_to(request.user)
        .select_related("org_unit", "created_by", "approved_by")
        .prefetch_related("months"),
        pk=pk,
    )


@login_required
def plan_detail(request, pk):
    """SAL-4: the plan with its monthly targets against the actual sales (computed from orders)."""
    plan = _visible_plan(request, pk)
    may_approve = plan.approved_at is None and request.user.has_perm("sales.approve_salesplan")
    context = {
        "plan": plan,
        "rows": plan_progress(plan),
        "approve_form": PlanApproveForm() if may_approve else None,
        "own_plan": plan.created_by_id == request.user.pk,
        "title": _("%(unit)s %(year)s 年度销售计划") % {"unit": plan.org_unit.name, "year": plan.year},
    }
    return render(request, "sales/presales/plan_detail.html", {**context, **audit_history(plan)})


@login_required
@require_POST
def plan_approve(request, pk):
    plan = _visible_plan(request, pk)
    form = PlanApproveForm(request.POST)
    try:
        if not form.is_valid():
            raise form_error(form)
        services.plan_approve(
            actor=request.user, plan_id=plan.pk, note=form.cleaned_data["note"], expected_version=_version(request)
        )
    except DomainError as error:
        messages.error(request, error.message, extra_tags=f"code:{error.code}")
    else:
        messages.success(request, _("已批准"))
    return redirect("sales:salesplan-detail", plan.pk)
