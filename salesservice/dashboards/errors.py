"""Every error code the dashboards app raises (CONVENTIONS: a per-app error-code enum; docs/compliance.md lists them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DashboardsErrorCode(models.TextChoices):
    PERIOD_INVALID = "report.period_invalid", _("请填写有效的开始和结束日期（YYYY-MM-DD），开始不能晚于结束")
    PERIOD_TOO_LONG = "report.period_too_long", _("报告期间最长 3 年")
    UNIT_NOT_FOUND = "report.unit_not_found", _("所选组织单位不存在或不在您的范围内（404）")
