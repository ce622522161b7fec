"""Choices of the scheduled reports (issue 16 §2): the report kinds, a run's outcome, the download formats and the
timeline events."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    """The three scheduled reports; their schedule, recipients and contents are declared in `kinds.py`."""

    WEEKLY_SERVICE = "weekly_service", _("周服务质量报告")
    MONTHLY_KPI = "monthly_kpi", _("月度KPI考核汇总")
    MONTHLY_MANAGEMENT = "monthly_management", _("月度经营管理报告")


class RunOutcome(models.TextChoices):
    """What generating a report came to. Not a document lifecycle (no one moves it): a failed run is retried by
    the next run of its job, which overwrites the outcome — so it is `outcome`, not a workflow `status`."""

    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


class ReportFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Excel")


class EventType(models.TextChoices):
    """Typed timeline events of the reports app (registered by the app registry)."""

    GENERATED = "reports.generated", _("生成定期报告")
    FAILED = "reports.failed", _("定期报告生成失败")
    DOWNLOADED = "reports.downloaded", _("下载定期报告")
