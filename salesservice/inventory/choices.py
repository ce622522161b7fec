"""Choices of the inventory app: location kinds, stock move kinds, allocation and stock count statuses,
reading sources and the typed timeline events.

INV-4 (004 §3.5): the warehouse keeps the stock accounts — every movement is a `StockMove` of one of the
kinds below. SUP-7: received goods land in the quarantine location (待验区) and leave it only through the
inspection's release (合格 → 合格待上架区, 不合格 → 不合格品区). INV-2: a stock count 库存盘点 moves
draft → counting → submitted → approved (the workflow in workflows.py).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LocationKind(models.TextChoices):
    """Where stock may stand. Only `storage` stock is allocatable (SUP-7, INV-1)."""

    QUARANTINE = "quarantine", _("待验区")
    STAGING = "staging", _("合格待上架区")
    STORAGE = "storage", _("储位")
    REJECTED = "rejected", _("不合格品区")


# The locations every warehouse gets when it is created: kind → (code, name).
SPECIAL_LOCATIONS = {
    LocationKind.QUARANTINE: ("QUARANTINE", _("待验区")),
    LocationKind.STAGING: ("STAGING", _("合格待上架区")),
    LocationKind.REJECTED: ("REJECTED", _("不合格品区")),
}


class MoveKind(models.TextChoices):
    """The kinds of movement the ledger records (issue 13: receipt, put-away, transfer, issue, return,
    adjustment, scrap …). Allocations reserve stock without moving it: they live in `Allocation`."""

    RECEIVE = "receive", _("到货入待验区")
    RELEASE = "release", _("检验合格放行")
    REJECT = "reject", _("检验不合格隔离")
    PUT_AWAY = "put_away", _("上架")
    TRANSFER = "transfer", _("移库")
    SHIP = "ship", _("出库")
    RETURN_TO_SUPPLIER = "return_to_supplier", _("退供方")
    SCRAP = "scrap", _("报废")
    ADJUST = "adjust", _("调整")
    COUNT = "count", _("盘点调整")


class AllocationStatus(models.TextChoices):
    OPEN = "open", _("已分配")
    RELEASED = "released", _("已释放")
    ISSUED = "issued", _("已出库")


class StockCountStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    COUNTING = "counting", _("盘点中")
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已审批")
    CANCELLED = "cancelled", _("已取消")


class ReadingSource(models.TextChoices):
    MANUAL = "manual", _("人工录入")
    SENSOR = "sensor", _("传感器网关")
    IMPORT = "import", _("Excel 导入")


class EventType(models.TextChoices):
    """Typed timeline events of the inventory app (registered by DomainAppConfig.ready)."""

    WAREHOUSE_CREATED = "inventory.warehouse_created", _("新建仓库")
    LOCATION_CREATED = "inventory.location_created", _("新建库位")
    RECEIVED = "inventory.received", _("到货入待验区")
    RELEASED = "inventory.released", _("检验放行")
    REJECTED = "inventory.rejected", _("检验不合格隔离")
    PUT_AWAY = "inventory.put_away", _("上架")
    ALLOCATED = "inventory.allocated", _("分配库存")
    ALLOCATION_RELEASED = "inventory.allocation_released", _("释放分配")
    ISSUED = "inventory.issued", _("出库")
    HELD = "inventory.held", _("冻结批次")
    HOLD_RELEASED = "inventory.hold_released", _("解除冻结")
    DISPOSED = "inventory.disposed", _("执行不合格品处置")
    COUNT_CREATED = "inventory.count_created", _("新建盘点单")
    COUNT_STARTED = "inventory.count_started", _("开始盘点")
    COUNT_RECORDED = "inventory.count_recorded", _("录入实盘数")
    COUNT_SUBMITTED = "inventory.count_submitted", _("提交盘点")
    COUNT_APPROVED = "inventory.count_approved", _("审批盘点差异")
    COUNT_RETURNED = "inventory.count_returned", _("退回重盘")
    COUNT_CANCELLED = "inventory.count_cancelled", _("取消盘点")
    READING_RECORDED = "inventory.reading_recorded", _("记录储存环境")
    EXCURSION = "inventory.excursion", _("储存环境超限")
    OPENING_STOCK = "inventory.opening_stock", _("期初库存入账")
