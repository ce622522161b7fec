"""Supervision: service-quality checks, their findings to rectify, and cross-department issues.

- `SupervisionCheck` 服务质量检查 (SUV-1…SUV-3): the unit checked, the method (observation, call recordings,
  customer feedback, data analysis, mystery shopping, cross-check, store-manager spot check, internal audit),
  the checker and a checklist; the summary with improvements when completed.
- `CheckItem`: one line of the checklist — pass / fail / n.a. with a note (a failure needs one).
- `Finding` 检查发现/整改项 (SUV-2): what was found, its owner and rectification deadline; closed only after
  someone other than the owner verified the rectification.
- `CoordinationIssue` 跨部门协调事项 (COM-1): a responsible department and person, the departments involved
  and a deadline; overdue and unresolved, escalated once to the heads of those departments.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from .choices import CheckMethod, CheckStatus, FindingStatus, IssueStatus, ItemResult, Severity

USER = settings.AUTH_USER_MODEL


class SupervisionCheck(VersionedModel):
    """A service-quality check 服务质量检查 (SUV-1, SUV-2, SUV-3): planned → in_progress → completed.

    Scoped to the unit checked (`org_unit`)."""

    number = models.CharField(_("检查编号"), max_length=30, unique=True)
    org_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("被检查单位")
    )
    method = models.CharField(_("检查方式"), max_length=30, choices=CheckMethod.choices)
    title = models.CharField(_("标题"), max_length=200)
    planned_on = models.DateField(_("计划日期"))
    checker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("检查人"))
    status = models.CharField(_("状态"), max_length=20, choices=CheckStatus.choices, default=CheckStatus.PLANNED)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    summary = models.TextField(_("检查总结"), blank=True)
    improvements = models.TextField(_("改进建议"), blank=True)
    created_by = models.ForeignKey(
        USER, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("计划人")
    )

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("服务质量检查")
        verbose_name_plural = _("服务质量检查")
        ordering = ["-planned_on", "-id"]
        permissions = [
            ("perform_supervisioncheck", "可执行服务质量检查"),
            ("plan_any_check", "可按任意方式计划检查（监督岗）"),
        ]
        indexes = [models.Index(fields=["status", "planned_on"], name="supervision_check_due")]

    def __str__(self):
        return self.number


class CheckItem(models.Model):
    """One checklist line of a check: pass / fail / n.a. (blank: not answered yet) with a note."""

    check_record = models.ForeignKey(
        SupervisionCheck, on_delete=models.CASCADE, related_name="items", verbose_name=_("检查")
    )
    position = models.PositiveIntegerField(_("序号"), default=0)
    text = models.CharField(_("检查内容"), max_length=300)
    result = models.CharField(_("结论"), max_length=10, choices=ItemResult.choices, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["check_record", "position", "id"]

    def __str__(self):
        return self.text


class Finding(VersionedModel):
    """A finding to rectify 检查发现/整改项 (SUV-2): open → rectified → verified → closed; a failed
    verification sends it back to open. Scoped to the unit checked."""

    number = models.CharField(_("整改编号"), max_length=30, unique=True)
    check_record = models.ForeignKey(
        SupervisionCheck, on_delete=models.PROTECT, related_name="findings", verbose_name=_("检查")
    )
    item = models.ForeignKey(
        CheckItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("检查项")
    )
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    description = models.TextField(_("问题描述"))
    severity = models.CharField(_("严重程度"), max_length=20, choices=Severity.choices, default=Severity.MINOR)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("整改责任人"))
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    rectification = models.TextField(_("整改措施"), blank=True)
    rectified_at = models.DateTimeField(_("整改时间"), null=True, blank=True)
    rectified_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("整改人")
    )
    verified_at = models.DateTimeField(_("验证时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("验证人")
    )
    verification_note = models.CharField(_("验证意见"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    reminded_on = models.DateField(_("最近提醒日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("整改项")
        verbose_name_plural = _("整改项")
        ordering = ["deadline", "-id"]
        permissions = [
            ("rectify_finding", "可登记整改"),
            ("verify_finding", "可验证并关闭整改项"),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="supervision_finding_due")]

    def __str__(self):
        return self.number


class CoordinationIssue(VersionedModel):
    """A cross-department issue 跨部门协调事项 (COM-1): open → resolved → closed; escalated once to the heads
    of the departments involved when overdue. Scoped to the responsible department."""

    number = models.CharField(_("事项编号"), max_length=30, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("事项说明"))
    responsible_department = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("责任部门")
    )
    responsible_person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任人"))
    departments = models.ManyToManyField("core.OrgUnit", related_name="+", blank=True, verbose_name=_("涉及部门"))
    deadline = models.DateField(_("期限"))
    status = models.CharField(_("状态"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    resolution = models.TextField(_("解决情况"), blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )

    objects = ScopedQuerySet.as_manager()
    scope_field = "responsible_department"

    class Meta:
        verbose_name = _("跨部门协调事项")
        verbose_name_plural = _("跨部门协调事项")
        ordering = ["deadline", "-id"]
        permissions = [("resolve_coordinationissue", "可登记协调事项解决情况")]

    def __str__(self):
        return self.number
