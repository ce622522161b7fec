"""Choices of the inspection app: nonconformance sources, dispositions and statuses.

SUP-8 (seed 002 §6.3.4; 004 §4.2): a nonconforming product is recorded, reviewed and disposed of —
returned to the supplier, reworked, scrapped or accepted under concession — and the record is closed.
The moves between the statuses are declared in workflows.py.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NonconformanceSource(models.TextChoices):
    RETURN = "return", _("客户退换货")
    RECEIVING = "receiving", _("进货检验")
    STORAGE = "storage", _("储存异常")
    OTHER = "other", _("其他")


class Disposition(models.TextChoices):
    """The four dispositions of the nonconformance procedure (002 §6.3.4)."""

    RETURN_TO_SUPPLIER = "return_to_supplier", _("退供方")
    REWORK = "rework", _("返工")
    SCRAP = "scrap", _("报废")
    CONCESSION = "concession", _("让步接收")


class NonconformanceStatus(models.TextChoices):
    OPEN = "open", _("待处置")
    DISPOSITIONED = "dispositioned", _("已处置")
    CLOSED = "closed", _("已关闭")


class EventType(models.TextChoices):
    """Typed timeline events of the inspection app (registered in InspectionConfig.ready)."""

    NC_OPENED = "inspection.nc_opened", _("登记不合格品")
    NC_DISPOSITIONED = "inspection.nc_dispositioned", _("不合格品处置")
    NC_CLOSED = "inspection.nc_closed", _("关闭不合格品记录")
    NC_CAPA = "inspection.nc_capa", _("纠正预防措施（CAPA）")
