"""Document control (DOC-1): controlled documents, their versions, and read acknowledgements.

- `ControlledDocument` 受控文件: a policy, procedure, form or record template with its document code
  (文件编号, e.g. 「SS-QP-001」), the unit that owns it, the policy clauses it covers (`DocumentClause`) and the
  roles who must read it.
- `DocumentVersion` 文件版本: draft → submitted → approved (not by its author) → issued (issue date, effective
  date) → superseded. The current version (现行版本) is the latest issued one whose effective date has come;
  superseded versions stay readable and are marked. A version approved or issued may set policy parameters
  (`core.policy.policy_set`).
- `Acknowledgement` 阅读确认: one row per issued version and concerned user — pending until the user confirms
  having read it; reminded once a day at most.

Scope: a document belongs to its owning unit. A user reads the documents of the units they see (store, region,
HQ) and those issued above them that apply to them (a company policy, a quality-department procedure); they
write only within the units they see.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.choices import OrgUnitKind
from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from .choices import OPEN_STATUSES, DocumentKind, VersionStatus

USER = settings.AUTH_USER_MODEL


def readable_unit_filter(user, prefix: str) -> Q | None:
    """Q over `<prefix>` (an org-unit path) for the documents `user` may read; None: everything (HQ).

    The units the user sees, plus the units above the user's own (their documents apply down the tree) and
    the departments of those (a department's document applies to its parent's subtree)."""
    from salesservice.core.roles import ROLES_BY_GROUP
    from salesservice.core.scoping import visible_unit_ids

    visible = visible_unit_ids(user)
    if visible is None:
        return None
    above: set[int] = set()
    for membership in user.memberships.select_related("org_unit", "role"):
        role = ROLES_BY_GROUP.get(membership.role.name)
        if role is not None and not role.org_scoped:
            continue
        above.update(membership.org_unit.ancestor_ids() or [membership.org_unit_id])
    return Q(**{f"{prefix}__in": visible | above}) | Q(
        **{f"{prefix}__kind": OrgUnitKind.DEPARTMENT, f"{prefix}__parent__in": above}
    )


class DocumentQuerySet(ScopedQuerySet):
    """`visible_to(user)`: the documents a user may read (see the module docstring); `managed_by(user)`: those
    within the units the user sees — where they may write."""

    unit_path = "org_unit"

    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        condition = readable_unit_filter(user, self.unit_path)
        return self if condition is None else self.filter(condition)

    def managed_by(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        from salesservice.core.scoping import visible_unit_ids

        ids = None if user.is_superuser else visible_unit_ids(user)
        return self if ids is None else self.filter(**{f"{self.unit_path}__in": ids})


class ControlledDocument(VersionedModel):
    """A controlled document 受控文件 (DOC-1): code, title, kind, owning unit, clauses covered, roles concerned."""

    code = models.CharField(_("文件编号"), max_length=40, unique=True)
    title = models.CharField(_("文件名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=20, choices=DocumentKind.choices)
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("归口单位"))
    concerned_roles = models.JSONField(_("须阅读的岗位"), default=list, blank=True)
    description = models.TextField(_("适用范围"), blank=True)
    created_by = models.ForeignKey(
        USER, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )

    objects = DocumentQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("受控文件")
        verbose_name_plural = _("受控文件")
        ordering = ["code"]
        permissions = [
            ("approve_documentversion", "可批准文件版本"),
            ("issue_documentversion", "可发布、废止文件版本"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def clause_ids(self) -> list[str]:
        return [row.clause for row in self.clauses.all()]

    def current_version(self, today=None):
        """DOC-1: the latest issued version whose effective date has come (None before the first)."""
        today = today or timezone.localdate()
        versions = [v for v in self.versions.all() if v.status == VersionStatus.ISSUED and v.effective_date]
        current = [v for v in versions if v.effective_date <= today]
        return max(current, key=lambda v: (v.effective_date, v.revision), default=None)


class DocumentClause(models.Model):
    """A policy clause (inventory id, e.g. SRV-2) a controlled document covers."""

    document = models.ForeignKey(ControlledDocument, on_delete=models.CASCADE, related_name="clauses")
    clause = models.CharField(_("条款"), max_length=12, db_index=True)

    class Meta:
        verbose_name = _("覆盖条款")
        verbose_name_plural = _("覆盖条款")
        ordering = ["document", "clause"]
        constraints = [models.UniqueConstraint(fields=["document", "clause"], name="uniq_document_clause")]

    def __str__(self):
        return self.clause


class VersionQuerySet(DocumentQuerySet):
    unit_path = "document__org_unit"


class AcknowledgementQuerySet(DocumentQuerySet):
    unit_path = "version__document__org_unit"


class DocumentVersion(VersionedModel):
    """One revision of a controlled document (DOC-1). The file (PDF / Word) is a core attachment on it."""

    document = models.ForeignKey(
        ControlledDocument, on_delete=models.PROTECT, related_name="versions", verbose_name=_("文件")
    )
    revision = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    change_summary = models.TextField(_("修订说明"))
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("编制人"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approver = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("批准人")
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    approval_note = models.CharField(_("审批意见"), max_length=500, blank=True)
    issued_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布人")
    )
    issued_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    issue_date = models.DateField(_("发布日期"), null=True, blank=True)
    effective_date = models.DateField(_("生效日期"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("被替代为")
    )
    retired_at = models.DateTimeField(_("废止/作废时间"), null=True, blank=True)
    retire_reason = models.CharField(_("废止/作废原因"), max_length=500, blank=True)

    objects = VersionQuerySet.as_manager()
    scope_field = "document__org_unit"

    class Meta:
        verbose_name = _("文件版本")
        verbose_name_plural = _("文件版本")
        ordering = ["document", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["document", "revision"], name="uniq_document_revision"),
            # at most one version being drafted, reviewed or awaiting issue per document
            models.UniqueConstraint(
                fields=["document"], condition=Q(status__in=OPEN_STATUSES), name="uniq_document_open_revision"
            ),
        ]
        indexes = [models.Index(fields=["status", "effective_date"], name="documents_version_in_force")]

    def __str__(self):
        return f"{self.document.code} {self.label}"

    @property
    def label(self) -> str:
        return f"V{self.revision}"

    @property
    def in_force_label(self) -> str:
        """现行 / 待生效 for an issued version; the status label otherwise."""
        if self.status == VersionStatus.ISSUED:
            if self.effective_date and self.effective_date > timezone.localdate():
                return str(_("待生效"))
            return str(_("现行"))
        return self.get_status_display()


class Acknowledgement(models.Model):
    """A concerned user's read confirmation 阅读确认 of an issued version (DOC-1): pending until
    `acknowledged_at`; `reminded_on` keeps the reminder to one a day."""

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="acknowledgements", verbose_name=_("文件版本")
    )
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("阅读人"))
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    reminded_on = models.DateField(_("最近提醒日期"), null=True, blank=True)
    reminders = models.PositiveIntegerField(_("提醒次数"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AcknowledgementQuerySet.as_manager()
    scope_field = "version__document__org_unit"

    class Meta:
        verbose_name = _("阅读确认")
        verbose_name_plural = _("阅读确认")
        ordering = ["version", "user"]
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="uniq_acknowledgement")]

    def __str__(self):
        return f"{self.version} · {self.user}"
