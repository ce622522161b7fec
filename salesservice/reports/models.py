"""The archive of scheduled reports (issue 16 §2): each report generated for a period and an org unit, who it was
delivered to, and who downloaded it when (the download history)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet

from .choices import ReportFormat, ReportKind, RunOutcome

USER = settings.AUTH_USER_MODEL

# Who may read which kind: a store's cs supervisor reads its service report, not its people's appraisal results.
KIND_PERMS = {
    ReportKind.WEEKLY_SERVICE: "reports.view_weekly_service",
    ReportKind.MONTHLY_KPI: "reports.view_monthly_kpi",
    ReportKind.MONTHLY_MANAGEMENT: "reports.view_monthly_management",
}


def readable_kinds(user) -> list[str]:
    return [kind for kind, perm in KIND_PERMS.items() if user.has_perm(perm)]


def report_file_path(instance, filename: str) -> str:
    """Files are stored under an unguessable name (like attachments); downloads go through the scoped view."""
    suffix = filename.rsplit(".", 1)[-1][:5]
    return f"reports/{instance.period_start:%Y/%m}/{instance.kind}-{uuid.uuid4().hex}.{suffix}"


class ReportRunQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """INF-1: a unit's report follows the unit's scope, a company-wide one (no unit) is HQ's — and only the
        kinds the user's role reads."""
        from salesservice.core.scoping import visible_unit_ids

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        queryset = self.filter(kind__in=readable_kinds(user))
        unit_ids = visible_unit_ids(user)
        if unit_ids is None:
            return queryset
        return queryset.filter(org_unit_id__in=unit_ids)


class ReportRun(models.Model):
    """One scheduled report for a period and an org unit (None: the whole company): the figures as read at
    `as_of`, the PDF and Excel rendered from them, or the error that stopped it. One per (kind, period start, unit):
    a rerun of the beat job finds it and does nothing (a failed one is retried)."""

    scope_field = "org_unit"

    kind = models.CharField(_("报告类型"), max_length=30, choices=ReportKind.choices)
    period_start = models.DateField(_("期间开始"))
    period_end = models.DateField(_("期间结束"))
    org_unit = models.ForeignKey(
        "core.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    outcome = models.CharField(_("生成结果"), max_length=10, choices=RunOutcome.choices, default=RunOutcome.DONE)
    generated_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    as_of = models.DateTimeField(_("数据截至"))
    figures = models.JSONField(_("报告数据"), default=dict)
    pdf = models.FileField(_("PDF 文件"), upload_to=report_file_path, max_length=200, blank=True)
    xlsx = models.FileField(_("Excel 文件"), upload_to=report_file_path, max_length=200, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    generated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("生成人")
    )

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("定期报告")
        verbose_name_plural = _("定期报告")
        ordering = ["-period_start", "kind", "org_unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start", "org_unit"],
                condition=Q(org_unit__isnull=False),
                name="report_run_kind_start_unit_unique",
            ),
            # NULL never equals NULL in a unique index: the company-wide run needs its own constraint.
            models.UniqueConstraint(
                fields=["kind", "period_start"],
                condition=Q(org_unit__isnull=True),
                name="report_run_kind_start_company_unique",
            ),
        ]
        indexes = [models.Index(fields=["-period_start", "kind"], name="report_run_start_kind")]
        permissions = [
            ("view_weekly_service", _("可查看周服务质量报告")),
            ("view_monthly_kpi", _("可查看月度KPI考核汇总")),
            ("view_monthly_management", _("可查看月度经营管理报告")),
            ("generate_report", _("可立即生成定期报告")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_label} {self.unit_name}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reports:detail", args=[self.pk])

    @property
    def unit_name(self) -> str:
        return self.org_unit.name if self.org_unit_id else "全公司"

    @property
    def period_label(self) -> str:
        if self.kind == ReportKind.WEEKLY_SERVICE:
            year, week, _day = self.period_start.isocalendar()
            return f"{year}-W{week:02d}（{self.period_start:%m-%d}–{self.period_end:%m-%d}）"
        return f"{self.period_start:%Y-%m}"

    def file_of(self, fmt: str):
        return self.pdf if fmt == ReportFormat.PDF else self.xlsx


class ReportDelivery(models.Model):
    """A report sent to one recipient (an in-app notification linking to it): when, and when they opened or
    downloaded it."""

    run = models.ForeignKey(ReportRun, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("报告"))
    recipient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("接收人"))
    notified_at = models.DateTimeField(_("通知时间"))
    read_at = models.DateTimeField(_("首次查看"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("首次下载"), null=True, blank=True)

    class Meta:
        verbose_name = _("报告送达")
        verbose_name_plural = _("报告送达")
        ordering = ["run", "recipient_id"]
        constraints = [models.UniqueConstraint(fields=["run", "recipient"], name="report_delivery_unique")]

    def __str__(self):
        return f"{self.run} → {self.recipient}"


class ReportDownload(models.Model):
    """The download history: who downloaded which report in which format, when."""

    run = models.ForeignKey(ReportRun, on_delete=models.CASCADE, related_name="downloads", verbose_name=_("报告"))
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("下载人"))
    fmt = models.CharField(_("格式"), max_length=10, choices=ReportFormat.choices)
    at = models.DateTimeField(_("下载时间"), default=timezone.now)

    class Meta:
        verbose_name = _("报告下载记录")
        verbose_name_plural = _("报告下载记录")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.run} {self.fmt} {self.user}"
