"""Every error code the reports app raises (CONVENTIONS: a per-app error-code enum; docs/reports.md lists them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportsErrorCode(models.TextChoices):
    INVALID_KIND = "reports.invalid_kind", _("无效的报告类型")
    INVALID_FORMAT = "reports.invalid_format", _("下载格式只能是 pdf 或 xlsx")
    INVALID_DATE = "reports.invalid_date", _("请填写有效日期（YYYY-MM-DD）")
    PERIOD_NOT_OVER = "reports.period_not_over", _("报告期间尚未结束，不能生成（请选择之后的日期）")
    UNIT_NOT_FOUND = "reports.unit_not_found", _("所选组织单位不存在、不在您的范围内或不出此报告（404）")
    NOT_GENERATED = "reports.not_generated", _("该报告生成失败，没有可下载的文件")
    FORBIDDEN = "reports.forbidden", _("您没有生成此类报告的权限")
