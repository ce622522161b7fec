"""Supervision pages (Simplified Chinese, server-rendered): lists of checks, findings and cross-department
issues (filters, Excel export), the create pages, the detail pages with the workflow's actions, and the
printable check report (检查报告) as PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesservice.core.attachments import attachments_for
from salesservice.core.exceptions import DomainError
from salesservice.core.forms import apply_domain_error
from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history

from . import services
from .filtersets import CheckFilterSet, FindingFilterSet, IssueFilterSet
from .forms import CheckPlanForm, FindingForm, IssueForm
from .models import CoordinationIssue, Finding, SupervisionCheck
from .workflows import CHECK_WORKFLOW, FINDING_WORKFLOW, ISSUE_WORKFLOW


class CheckListView(ListPageView):
    """SUV-1…SUV-3: every check in scope — unit, method, planned date, checker, status; Excel export."""

    permission_required = "supervision.view_supervisioncheck"
    title = gettext_lazy("服务质量检查")
    filterset_class = CheckFilterSet
    default_sort = "-planned_on"
    export_filename = "supervision-checks"
    detail_url_name = "supervision:check-detail"
    actions = [(gettext_lazy("计划检查"), "supervision:check-create", "supervision.add_supervisioncheck")]
    columns = [
        Column(gettext_lazy("检查编号"), "number", sort="number", link=True),
        Column(gettext_lazy("标题"), "title"),
        Column(gettext_lazy("被检查单位"), "org_unit.name"),
        Column(gettext_lazy("检查方式"), "get_method_display", sort="method"),
        Column(gettext_lazy("计划日期"), "planned_on", sort="planned_on"),
        Column(gettext_lazy("检查人"), "checker.name"),
        Column(
            gettext_lazy("状态"), lambda c: CHECK_WORKFLOW.badge(c.status), sort="status", export="get_status_display"
        ),
    ]

    def base_queryset(self):
        return SupervisionCheck.objects.visible_to(self.request.user).select_related("org_unit", "checker")


class FindingListView(ListPageView):
    """SUV-2: findings in scope — owner, deadline, status; Excel export."""

    permission_required = "supervision.view_finding"
    title = gettext_lazy("整改项")
    filterset_class = FindingFilterSet
    default_sort = "deadline"
    export_filename = "supervision-findings"
    detail_url_name = "supervision:finding-detail"
    columns = [
        Column(gettext_lazy("整改编号"), "number", sort="number", link=True),
        Column(gettext_lazy("问题描述"), "description"),
        Column(gettext_lazy("单位"), "org_unit.name"),
        Column(gettext_lazy("严重程度"), "get_severity_display", sort="severity"),
        Column(gettext_lazy("整改责任人"), "owner.name"),
        Column(gettext_lazy("整改期限"), "deadline", sort="deadline"),
        Column(
            gettext_lazy("状态"), lambda f: FINDING_WORKFLOW.badge(f.status), sort="status", export="get_status_display"
        ),
    ]

    def base_queryset(self):
        return Finding.objects.visible_to(self.request.user).select_related("org_unit", "owner")


class IssueListView(ListPageView):
    """COM-1: cross-department issues in scope — responsible department and person, deadline, status."""

    permission_required = "supervision.view_coordinationissue"
    title = gettext_lazy("跨部门协调事项")
    filterset_class = IssueFilterSet
    default_sort = "deadline"
    export_filename = "coordination-issues"
    detail_url_name = "supervision:issue-detail"
    actions = [(gettext_lazy("登记协调事项"), "supervision:issue-create", "supervision.add_coordinationissue")]
    columns = [
        Column(gettext_lazy("事项编号"), "number", sort="number", link=True),
        Column(gettext_lazy("标题"), "title"),
        Column(gettext_lazy("责任部门"), "responsible_department.name"),
        Column(gettext_lazy("责任人"), "responsible_person.name"),
        Column(gettext_lazy("期限"), "deadline", sort="deadline"),
        Column(
            gettext_lazy("状态"), lambda i: ISSUE_WORKFLOW.badge(i.status), sort="status", export="get_status_display"
        ),
    ]

    def base_queryset(self):
        return CoordinationIssue.objects.visible_to(self.request.user).select_related(
            "responsible_department", "responsible_person"
        )


def _check(request, pk) -> SupervisionCheck:
    if not request.user.has_perm("supervision.view_supervisioncheck"):
        raise PermissionDenied
    queryset = (
        SupervisionCheck.objects.visible_to(request.user)
        .select_related("org_unit", "checker", "created_by")
        .prefetch_related("items", Prefetch("findings", queryset=Finding.objects.select_related("owner")))
    )
    return get_object_or_404(queryset, pk=pk)


@login_required
@permission_required("supervision.add_supervisioncheck", raise_exception=True)
def check_create(request):
    """SUV-1 / SUV-3: plan a check with its checklist."""
    form = CheckPlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.check_plan(actor=request.user, **form.service_kwargs())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已计划检查：%(number)s") % {"number": check.number})
            return redirect("supervision:check-detail", check.pk)
    return render(
        request, "supervision/form.html", {"form": form, "title": _("计划服务质量检查"), "back": "supervision:checks"}
    )


@login_required
def check_detail(request, pk):
    check = _check(request, pk)
    finding_form = None
    if check.status != "planned" and request.user.has_perm("supervision.add_finding"):
        finding_form = FindingForm(request.POST or None, prefix="finding", user=request.user)
        if request.method == "POST" and finding_form.is_valid():
            try:
                finding = services.finding_raise(actor=request.user, check_id=check.pk, **finding_form.cleaned_data)
            except DomainError as error:
                apply_domain_error(finding_form, error)
            else:
                messages.success(request, _("已登记整改项：%(number)s") % {"number": finding.number})
                return redirect("supervision:check-detail", check.pk)
    return render(
        request,
        "supervision/check_detail.html",
        {
            "check": check,
            "title": f"{check.number} · {check.title}",
            "finding_form": finding_form,
            "attachments": list(attachments_for(check)),
            **audit_history(check),
        },
    )


@login_required
@require_POST
@permission_required("supervision.perform_supervisioncheck", raise_exception=True)
def check_attach(request, pk):
    """SUV-2: upload evidence to a check (transcripts of call recordings, photos, reports)."""
    check = _check(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择文件"))
    else:
        try:
            services.check_attach(
                actor=request.user, check_id=check.pk, file=upload, description=request.POST.get("description", "")
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("证据已上传"))
    return redirect("supervision:check-detail", check.pk)


@login_required
def check_report_pdf(request, pk):
    """The printable check report 服务质量检查报告: the checklist, the summary, improvements and findings."""
    from salesservice.core.pdf import Document, render_document

    check = _check(request, pk)
    doc = Document(title="服务质量检查报告", number=check.number)
    doc.fields(
        [
            ("标题", check.title),
            ("被检查单位", check.org_unit.name),
            ("检查方式", check.get_method_display()),
            ("计划日期", check.planned_on),
            ("检查人", check.checker.name),
            ("完成时间", check.completed_at),
            ("状态", check.get_status_display()),
        ]
    )
    doc.table(
        "检查清单",
        ["序号", "检查内容", "结论", "说明"],
        [[i, item.text, item.get_result_display() or "—", item.note] for i, item in enumerate(check.items.all(), 1)],
    )
    doc.text("检查总结", check.summary or "—")
    doc.text("改进建议", check.improvements or "—")
    findings = [
        [f.number, f.description, f.owner.name, f.deadline, f.get_status_display()] for f in check.findings.all()
    ]
    if findings:
        doc.table("整改项", ["编号", "问题", "责任人", "期限", "状态"], findings)
    doc.fields([("检查人签字", ""), ("被检查单位负责人签字", ""), ("打印时间", timezone.now())], title="签字")
    response = HttpResponse(render_document(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{check.number}.pdf"'
    return response


@login_required
def finding_detail(request, pk):
    if not request.user.has_perm("supervision.view_finding"):
        raise PermissionDenied
    finding = get_object_or_404(
        Finding.objects.visible_to(request.user).select_related(
            "org_unit", "owner", "check_record", "item", "rectified_by", "verified_by"
        ),
        pk=pk,
    )
    return render(
        request,
        "supervision/finding_detail.html",
        {"finding": finding, "title": f"{finding.number} · {finding.org_unit.name}", **audit_history(finding)},
    )


@login_required
@permission_required("supervision.add_coordinationissue", raise_exception=True)
def issue_create(request):
    """COM-1: a cross-department issue."""
    form = IssueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_open(actor=request.user, **form.service_kwargs())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已登记协调事项：%(number)s") % {"number": issue.number})
            return redirect("supervision:issue-detail", issue.pk)
    return render(
        request, "supervision/form.html", {"form": form, "title": _("登记跨部门协调事项"), "back": "supervision:issues"}
    )


@login_required
def issue_detail(request, pk):
    if not request.user.has_perm("supervision.view_coordinationissue"):
        raise PermissionDenied
    issue = get_object_or_404(
        CoordinationIssue.objects.visible_to(request.user)
        .select_related("responsible_department", "responsible_person", "created_by")
        .prefetch_related("departments"),
        pk=pk,
    )
    return render(
        request,
        "supervision/issue_detail.html",
        {"issue": issue, "title": f"{issue.number} · {issue.title}", **audit_history(issue)},
    )
