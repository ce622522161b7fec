"""The archive of compliance reports as they were printed or exported (issue 16 §4): who took which report, for
which period and unit, when, on which clause-inventory version, with its figures — the download history an auditor
asks for. Reports are computed from the records on demand; a snapshot keeps what was handed out."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet


class SnapshotQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """A company-wide snapshot (no unit) is HQ's; a unit's snapshot follows the unit's scope."""
        from salesservice.core.scoping import visible_unit_ids

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser or visible_unit_ids(user) is None:
            return self
        return self.filter(org_unit_id__in=visible_unit_ids(user))


class ComplianceSnapshot(models.Model):
    """One compliance report handed out (printed as PDF or exported to Excel)."""

    scope_field = "org_unit"

    org_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("组织单位")
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    fmt = models.CharField(_("格式"), max_length=10, choices=[("pdf", "PDF"), ("xlsx", "Excel")])
    inventory_version = models.CharField(_("条款清单版本"), max_length=20)
    met = models.PositiveSmallIntegerField(_("达标"))
    short = models.PositiveSmallIntegerField(_("未达标"))
    no_data = models.PositiveSmallIntegerField(_("无数据"))
    result = models.JSONField(_("报告内容"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("导出人")
    )
    taken_at = models.DateTimeField(_("导出时间"), auto_now_add=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("合规报告存档")
        verbose_name_plural = _("合规报告存档")
        ordering = ["-taken_at", "-id"]
        indexes = [models.Index(fields=["-taken_at"], name="dash_snapshot_taken")]
        permissions = [
            ("view_compliance_report", _("查看制度执行合规报告")),
            ("view_dashboards", _("查看管理看板")),
        ]

    def __str__(self):
        return f"{self.start}…{self.end} {self.org_unit or '全公司'}"
