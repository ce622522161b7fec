"""Staff pages of the feedback app (FBK-1 … FBK-4): follow-ups, coverage, survey templates, the
satisfaction dashboard and the suggestion box triage.

Every page reads through `.visible_to(user)` (out of scope → 404); each action is a POST that calls one
service; a refusal comes back as a Chinese message and changes nothing. The follow-up's and the
suggestion's actions, their buttons and status badges come from their workflows (`workflows.py`); the
kernel's page action view handles them.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesservice.core.exceptions import DomainError
from salesservice.core.input_guards import parse_id, sane_date
from salesservice.core.models import OrgUnit
from salesservice.core.scoping import visible_unit_ids
from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history

from . import selectors, survey_services
from .choices import QuestionKind
from .filtersets import FollowUpFilterSet, SuggestionFilterSet
from .forms import questions_from_post
from .models import FollowUp, Suggestion, SurveyTemplate
from .workflows import FOLLOW_UP_WORKFLOW, SUGGESTION_WORKFLOW

# Follow-up actions that open a record of another app: the page offers them only to users who may create it.
OPENS_RECORD = {"open-request": "service.add_servicerequest", "open-complaint": "complaints.add_complaint"}


def _stores_for(user):
    units = visible_unit_ids(user)
    stores = OrgUnit.objects.filter(kind="store", is_active=True).order_by("code")
    return stores if units is None else stores.filter(pk__in=units)


def _period(request, default_days: int) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()

    def read(name):
        try:
            return sane_date(parse_date(request.GET.get(name) or ""))
        except ValueError:  # well-formed but impossible, e.g. 2026-13-01: use the default
            return None

    end = read("end") or today
    start = read("start") or end - dt.timedelta(days=default_days)
    if start > end:
        start, end = end, start
    return start, end


# --- follow-up list ------------------------------------------------------------------------


def _follow_up_badge(follow_up: FollowUp):
    return FOLLOW_UP_WORKFLOW.badge(follow_up.status)


def _due(follow_up: FollowUp):
    local = timezone.localtime(follow_up.due_at).strftime("%Y-%m-%d %H:%M")
    if not follow_up.is_open:
        return local
    now = timezone.now()
    if follow_up.due_at <= now:
        return format_html('<span class="text-danger fw-bold follow-up-overdue">{} · {}</span>', local, _("已逾期"))
    if follow_up.due_at <= now + dt.timedelta(days=1):
        return format_html('<span class="text-warning fw-bold follow-up-due">{} · {}</span>', local, _("今日到期"))
    return local


class FollowUpListView(ListPageView):
    """FBK-1: follow-ups in scope with due/overdue marks; filters, sorting, Excel export."""

    permission_required = "feedback.view_followup"
    title = gettext_lazy("客户回访")
    filterset_class = FollowUpFilterSet
    default_sort = "due_at"
    export_filename = "follow-ups"
    detail_url_name = "feedback:follow-up-detail"
    actions = [
        (gettext_lazy("回访覆盖率"), "feedback:coverage", "feedback.view_followup"),
        (gettext_lazy("满意度看板"), "feedback:dashboard", "feedback.view_surveyresponse"),
    ]
    columns = [
        Column(gettext_lazy("回访单号"), "number", sort="number", link=True),
        Column(gettext_lazy("应回访时间"), _due, sort="due_at", export="due_at"),
        Column(gettext_lazy("客户"), "customer.name"),
        Column(gettext_lazy("门店"), "store.name"),
        Column(gettext_lazy("类型"), "get_kind_display", sort="kind"),
        Column(gettext_lazy("来源"), "source_number"),
        Column(gettext_lazy("状态"), _follow_up_badge, sort="status", export="get_status_display"),
        Column(gettext_lazy("回访人"), lambda f: f.assignee.name if f.assignee else ""),
        Column(gettext_lazy("尝试"), "attempt_count", sort="attempt_count"),
        Column(gettext_lazy("满意度"), "satisfaction", sort="satisfaction"),
    ]

    def base_queryset(self):
        return FollowUp.objects.visible_to(self.request.user).select_related("customer", "store", "assignee")


# --- follow-up detail and actions ------------------------------------------------------------


def _visible_follow_up(request, pk) -> FollowUp:
    if not request.user.has_perm("feedback.view_followup"):
        raise PermissionDenied
    return get_object_or_404(selectors.follow_up_list(request.user).select_related("completed_by"), pk=pk)


@login_required
def follow_up_detail(request, pk):
    """The follow-up with its attempts; the actions the user may take now come from `FOLLOW_UP_WORKFLOW`."""
    follow_up = _visible_follow_up(request, pk)
    hidden = [name for name, perm in OPENS_RECORD.items() if not request.user.has_perm(perm)]
    context = {
        "fu": follow_up,
        "title": f"{follow_up.number} · {follow_up.customer.name}",
        "overdue": follow_up.is_overdue(),
        "attempts": follow_up.attempts.select_related("recorded_by").order_by("attempted_at", "pk"),
        "hidden_actions": ",".join(hidden),
        **audit_history(follow_up),
    }
    return render(request, "feedback/follow_up_detail.html", context)


def after_open_request(request, follow_up, created):
    """After `open-request`: say which service request was opened (then back to the follow-up)."""
    messages.success(request, _("已转为服务单：%(number)s") % {"number": created.number})


def after_open_complaint(request, follow_up, complaint):
    """After `open-complaint`: say which complaint was opened (then back to the follow-up)."""
    messages.success(request, _("已转为投诉：%(number)s") % {"number": getattr(complaint, "number", complaint.pk)})


# --- coverage (FBK-2) --------------------------------------------------------------------------


@login_required
@permission_required("feedback.view_followup", raise_exception=True)
def coverage(request):
    """FBK-2: closed service requests vs followed up, per store and ISO week, against the target."""
    start, end = _period(request, 8 * 7)
    report = selectors.coverage_report(request.user, start=start, end=end)
    chart = {
        "labels": [row["week"] for row in report["weeks"]],
        "closed": [row["closed"] for row in report["weeks"]],
        "done": [row["done"] for row in report["weeks"]],
        "coverage": [float(row["coverage"]) if row["coverage"] is not None else None for row in report["weeks"]],
        "target": float(report["target"]),
        "names": {"closed": _("已结案"), "done": _("已回访"), "coverage": _("覆盖率 %"), "target": _("目标 %")},
    }
    return render(
        request,
        "feedback/coverage.html",
        {"title": _("回访覆盖率"), "report": report, "chart": chart, "start": start, "end": end},
    )


# --- satisfaction dashboard (FBK-4) ------------------------------------------------------------


@login_required
@permission_required("feedback.view_surveyresponse", raise_exception=True)
def dashboard(request):
    """FBK-4: CSAT & NPS by month (trend) and by store, plus the latest responses — in the user's scope."""
    start, end = _period(request, 183)
    store_id = request.GET.get("store")
    store_id = parse_id(store_id)
    report = selectors.metrics_report(request.user, start=start, end=end, store_id=store_id)

    def num(value):
        return float(value) if value is not None else None

    chart = {
        "months": [row["label"] for row in report["by_month"]],
        "csat": [num(row["csat"]["csat"]) for row in report["by_month"]],
        "average": [num(row["csat"]["average"]) for row in report["by_month"]],
        "nps": [num(row["nps"]["nps"]) for row in report["by_month"]],
        "stores": [row["label"] for row in report["by_store"]],
        "store_csat": [num(row["csat"]["csat"]) for row in report["by_store"]],
        "store_nps": [num(row["nps"]["nps"]) for row in report["by_store"]],
        "names": {"csat": "CSAT %", "nps": "NPS", "average": _("平均分")},
    }
    latest = selectors.survey_response_list(request.user)
    if store_id:
        latest = latest.filter(store_id=store_id)
    return render(
        request,
        "feedback/dashboard.html",
        {
            "title": _("满意度看板"),
            "report": report,
            "chart": chart,
            "latest": latest[:15],
            "start": start,
            "end": end,
            "stores": _stores_for(request.user),
            "store_id": store_id,
        },
    )


# --- survey templates --------------------------------------------------------------------------


class SurveyTemplateListView(ListPageView):
    permission_required = "feedback.view_surveytemplate"
    title = gettext_lazy("满意度问卷")
    default_sort = "key"
    export_filename = "survey-templates"
    detail_url_name = "feedback:template-detail"
    columns = [
        Column(gettext_lazy("名称"), "name", sort="name", link=True),
        Column(gettext_lazy("编码"), "key", sort="key"),
        Column(gettext_lazy("版本"), "revision", sort="revision"),
        Column(gettext_lazy("当前版本"), lambda t: _("是") if t.is_current else _("否")),
        Column(gettext_lazy("启用"), lambda t: _("是") if t.is_active else _("否")),
        Column(gettext_lazy("答复数"), "response_count"),
    ]

    def base_queryset(self):
        return selectors.survey_template_list(self.request.user)


@login_required
@permission_required("feedback.view_surveytemplate", raise_exception=True)
def template_detail(request, pk):
    template = get_object_or_404(SurveyTemplate.objects.visible_to(request.user), pk=pk)
    can_change = request.user.has_perm("feedback.change_surveytemplate")
    questions = list(template.questions.order_by("order"))
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        try:
            revised = survey_services.survey_template_revise(
                actor=request.user,
                template_id=template.pk,
                name=request.POST.get("name", ""),
                description=request.POST.get("description", ""),
                questions=questions_from_post(request.POST),
                expected_version=int(request.POST.get("version") or 0),
            )
        except DomainError as error:
            messages.error(request, error.message, extra_tags=f"code:{error.code}")
            return redirect("feedback:template-detail", template.pk)
        if revised.pk != template.pk:
            messages.success(
                request,
                _("问卷已有答复，已生成新版本 v%(revision)s；旧答复仍对应原题目") % {"revision": revised.revision},
            )
        else:
            messages.success(request, _("已保存问卷"))
        return redirect("feedback:template-detail", revised.pk)
    rows = [
        {"kind": q.kind, "text": q.text, "options": "，".join(q.options), "required": q.required} for q in questions
    ]
    rows += [{"kind": "", "text": "", "options": "", "required": True} for _ in range(3)]
    return render(
        request,
        "feedback/template_detail.html",
        {
            "title": f"{template.name} v{template.revision}",
            "template": template,
            "questions": questions,
            "rows": rows,
            "kinds": QuestionKind.choices,
            "can_change": can_change and template.is_current,
            "has_answers": template.responses.exists(),
            "revisions": SurveyTemplate.objects.filter(key=template.key).order_by("-revision"),
            **audit_history(template),
        },
    )


# --- suggestions (FBK-3) -----------------------------------------------------------------------


def _suggestion_badge(suggestion: Suggestion):
    return SUGGESTION_WORKFLOW.badge(suggestion.status)


class SuggestionListView(ListPageView):
    """FBK-3: the suggestion box / online evaluations of the stores in scope, to triage."""

    permission_required = "feedback.view_suggestion"
    title = gettext_lazy("意见箱 / 在线评价")
    filterset_class = SuggestionFilterSet
    default_sort = "-submitted_at"
    export_filename = "suggestions"
    detail_url_name = "feedback:suggestion-detail"
    columns = [
        Column(gettext_lazy("编号"), "number", sort="number", link=True),
        Column(gettext_lazy("提交时间"), "submitted_at", sort="submitted_at"),
        Column(gettext_lazy("门店"), "store.name"),
        Column(gettext_lazy("类型"), "get_kind_display", sort="kind"),
        Column(gettext_lazy("评价"), lambda s: "★" * s.rating if s.rating else "", export="rating"),
        Column(gettext_lazy("姓名"), "name"),
        Column(gettext_lazy("内容"), lambda s: s.text[:40] + ("…" if len(s.text) > 40 else ""), export="text"),
        Column(gettext_lazy("状态"), _suggestion_badge, sort="status", export="get_status_display"),
    ]

    def base_queryset(self):
        return selectors.suggestion_list(self.request.user)


@login_required
@permission_required("feedback.view_suggestion", raise_exception=True)
def suggestion_detail(request, pk):
    """The entry and its triage (the action of `SUGGESTION_WORKFLOW`). A POST here is the triage too — the
    address the triage form used before it had its own (`suggestions/<pk>/triage/`)."""
    from salesservice.core import privacy

    suggestion = get_object_or_404(selectors.suggestion_list(request.user), pk=pk)
    if request.method == "POST":
        if not request.user.has_perm(SUGGESTION_WORKFLOW.actions["triage"].permission):
            raise PermissionDenied
        return SUGGESTION_WORKFLOW.page_view()(request, pk=suggestion.pk, action="triage")
    return render(
        request,
        "feedback/suggestion_detail.html",
        {
            "title": f"{suggestion.number} · {suggestion.get_kind_display()}",
            "suggestion": suggestion,
            "masked_phone": privacy.mask_phone(suggestion.phone),
            "complaint_url": _complaint_url(suggestion.complaint_id),
            **audit_history(suggestion),
        },
    )


def _complaint_url(complaint_id) -> str:
    if not complaint_id:
        return ""
    from django.urls import NoReverseMatch

    try:
        return reverse("complaints:complaint-detail", args=[complaint_id])
    except NoReverseMatch:
        return ""


@login_required
@require_POST
def survey_link_show(request, pk):
    """Issue 12 §16: the survey link of a record, shown once with a copy button and a QR code to scan."""
    from salesservice.core.links import public_url, qr_svg

    from .models import SurveyLink
    from .survey_services import survey_link_reissue

    try:
        invitation = survey_link_reissue(actor=request.user, link_id=pk)
    except DomainError as error:
        messages.error(request, error.message)
        source = SurveyLink.objects.visible_to(request.user).filter(pk=pk).values_list("service_request_id", flat=True)
        request_id = source.first()
        return redirect("service:request-detail", request_id) if request_id else redirect("feedback:follow-ups")
    link = invitation.link
    url = public_url(invitation.path, request)
    back = None
    if link.service_request_id:
        back = reverse("service:request-detail", args=[link.service_request_id])
    context = {
        "title": _("满意度问卷链接"),
        "link": link,
        "back_url": back,
        "share_title": _("满意度问卷 · %(number)s") % {"number": link.source_number or link.pk},
        "share_url": url,
        "share_qr": qr_svg(url),
        "share_hint": _("请客户用手机扫码，或复制链接发送；有效期至 %(at)s，之前发出的链接已失效。")
        % {"at": timezone.localtime(link.expires_at).strftime("%Y-%m-%d %H:%M")},
    }
    return render(request, "feedback/survey_link.html", context)
