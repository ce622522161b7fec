"""Document-control pages (DOC-1, Simplified Chinese): the list of controlled documents (filters, search,
Excel export), a new document, its page with the version history, a version's page (file, approval actions,
acknowledgement progress: who has and has not read it), new revision / draft edit, and 我的待确认."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesservice.core.attachments import attachments_for
from salesservice.core.exceptions import DomainError
from salesservice.core.forms import apply_domain_error
from salesservice.core.roles import ROLES_BY_CODE
from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history

from . import services
from .choices import OPEN_STATUSES, VersionStatus
from .filtersets import DocumentFilterSet
from .forms import DocumentForm, VersionForm
from .models import Acknowledgement, ControlledDocument, DocumentVersion
from .workflows import VERSION_WORKFLOW

VIEW = "documents.view_controlleddocument"


def _current_label(document) -> str:
    current = getattr(document, "current", None)
    return current.label if current else "—"


def _latest_badge(document):
    latest = getattr(document, "latest", None)
    return VERSION_WORKFLOW.badge(latest.status) if latest else "—"


class DocumentListView(ListPageView):
    """DOC-1: the controlled documents the user may read — code, title, kind, unit, current version, the latest
    version's status, clauses; Excel export."""

    permission_required = VIEW
    title = gettext_lazy("受控文件")
    filterset_class = DocumentFilterSet
    default_sort = "code"
    export_filename = "controlled-documents"
    detail_url_name = "documents:document-detail"
    actions = [
        (gettext_lazy("我的待确认"), "documents:mine", VIEW),
        (gettext_lazy("新建文件"), "documents:document-create", "documents.add_controlleddocument"),
    ]
    columns = [
        Column(gettext_lazy("文件编号"), "code", sort="code", link=True),
        Column(gettext_lazy("文件名称"), "title", sort="title"),
        Column(gettext_lazy("类别"), "get_kind_display", sort="kind"),
        Column(gettext_lazy("归口单位"), "org_unit.name"),
        Column(gettext_lazy("现行版本"), _current_label, export=_current_label),
        Column(
            gettext_lazy("最新版本状态"),
            _latest_badge,
            export=lambda d: d.latest.get_status_display() if d.latest else "",
        ),
        Column(gettext_lazy("覆盖条款"), lambda d: " ".join(d.clause_ids)),
    ]

    def base_queryset(self):
        return (
            ControlledDocument.objects.visible_to(self.request.user)
            .select_related("org_unit")
            .prefetch_related("versions", "clauses")
        )

    def prepare_rows(self, rows) -> None:
        today = timezone.localdate()
        for document in rows:
            versions = list(document.versions.all())
            document.current = document.current_version(today)
            document.latest = max(versions, key=lambda v: v.revision, default=None)


def _document(request, pk) -> ControlledDocument:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    queryset = (
        ControlledDocument.objects.visible_to(request.user)
        .select_related("org_unit", "created_by")
        .prefetch_related(
            "clauses", Prefetch("versions", queryset=DocumentVersion.objects.select_related("author", "approver"))
        )
    )
    return get_object_or_404(queryset, pk=pk)


def _version(request, pk) -> DocumentVersion:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    queryset = DocumentVersion.objects.visible_to(request.user).select_related(
        "document", "document__org_unit", "author", "approver", "issued_by", "superseded_by"
    )
    return get_object_or_404(queryset, pk=pk)


def _can_manage(user, document) -> bool:
    return ControlledDocument.objects.managed_by(user).filter(pk=document.pk).exists()


@login_required
@permission_required("documents.add_controlleddocument", raise_exception=True)
def document_create(request):
    """DOC-1: a new controlled document with its first draft (and its file)."""
    form = DocumentForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(actor=request.user, **form.service_kwargs())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已建立受控文件 %(code)s，草稿 V1 待提交审批") % {"code": document.code})
            return redirect("documents:version-detail", document.versions.get().pk)
    return render(
        request,
        "documents/form.html",
        {"form": form, "title": _("新建受控文件"), "back": "documents:documents", "multipart": True},
    )


@login_required
def document_detail(request, pk):
    document = _document(request, pk)
    today = timezone.localdate()
    current = document.current_version(today)
    versions = sorted(document.versions.all(), key=lambda v: v.revision, reverse=True)
    can_revise = (
        request.user.has_perm("documents.change_controlleddocument")
        and not any(v.status in OPEN_STATUSES for v in versions)
        and _can_manage(request.user, document)
    )
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "title": f"{document.code} · {document.title}",
            "current": current,
            "versions": versions,
            "roles": [ROLES_BY_CODE[c].label for c in document.concerned_roles if c in ROLES_BY_CODE],
            "can_revise": can_revise,
            "today": today,
            **audit_history(document),
        },
    )


@login_required
def version_detail(request, pk):
    version = _version(request, pk)
    document = version.document
    rows = list(
        Acknowledgement.objects.filter(version=version).select_related("user").order_by("acknowledged_at", "user_id")
    )
    done = [row for row in rows if row.acknowledged_at]
    mine = next((row for row in rows if row.user_id == request.user.pk), None)
    concerned = services.concerned_users(document).filter(pk=request.user.pk).exists()
    can_acknowledge = version.status == VersionStatus.ISSUED and concerned and not (mine and mine.acknowledged_at)
    edit_form = None
    if (
        version.status == VersionStatus.DRAFT
        and request.user.has_perm("documents.change_controlleddocument")
        and _can_manage(request.user, document)
    ):
        edit_form = VersionForm(initial={"change_summary": version.change_summary})
    current = document.current_version()
    return render(
        request,
        "documents/version_detail.html",
        {
            "version": version,
            "document": document,
            "title": f"{document.code} {version.label} · {document.title}",
            "attachments": list(attachments_for(version)),
            "acknowledgements": rows,
            "acknowledged": len(done),
            "percent": round(100 * len(done) / len(rows)) if rows else 0,
            "mine": mine,
            "can_acknowledge": can_acknowledge,
            "is_current": current is not None and current.pk == version.pk,
            "edit_form": edit_form,
            **audit_history(version),
        },
    )


@login_required
@permission_required("documents.change_controlleddocument", raise_exception=True)
def version_create(request, pk):
    """DOC-1: a new revision of a document (its next version as a draft)."""
    document = _document(request, pk)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_draft(actor=request.user, document_id=document.pk, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已起草 %(label)s") % {"label": version.label})
            return redirect("documents:version-detail", version.pk)
    return render(
        request,
        "documents/form.html",
        {
            "form": form,
            "title": _("修订 %(code)s %(title)s") % {"code": document.code, "title": document.title},
            "back_url": document.pk,
            "back": "documents:documents",
            "multipart": True,
        },
    )


@login_required
@require_POST
@permission_required("documents.change_controlleddocument", raise_exception=True)
def version_edit(request, pk):
    version = _version(request, pk)
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请写明修订说明"))
        return redirect("documents:version-detail", version.pk)
    try:
        services.version_edit(
            actor=request.user,
            version_id=version.pk,
            expected_version=int(request.POST.get("version") or 0) or None,
            **form.cleaned_data,
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("草稿已保存"))
    return redirect("documents:version-detail", version.pk)


@login_required
@require_POST
def version_acknowledge(request, pk):
    """DOC-1: I have read this version."""
    version = _version(request, pk)
    try:
        services.version_acknowledge(actor=request.user, version_id=version.pk)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已确认阅读 %(doc)s") % {"doc": version})
    return redirect("documents:version-detail", version.pk)


@login_required
def mine(request):
    """我的待确认: the issued versions I must read and have not confirmed yet, and those I confirmed lately."""
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    rows = (
        Acknowledgement.objects.visible_to(request.user)
        .filter(user=request.user, version__status=VersionStatus.ISSUED)
        .select_related("version", "version__document", "version__document__org_unit")
    )
    pending = list(rows.filter(acknowledged_at__isnull=True).order_by("version__issued_at", "pk"))
    done = list(rows.filter(acknowledged_at__isnull=False).order_by("-acknowledged_at")[:20])
    return render(request, "documents/mine.html", {"title": _("我的待确认"), "pending": pending, "done": done})
