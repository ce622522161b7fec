"""Choices of the purchasing app: requisition, order and receipt statuses, check results, timeline events.

SUP-4 (purchase contract terms), SUP-5 (execution tracking), SUP-6/SUP-7 (receiving inspection, quarantine
until inspected), PRD-3 (lot / serial captured at receipt). The moves between statuses are declared in
workflows.py.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequisitionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已批准")
    ORDERED = "ordered", _("已下单")
    REJECTED = "rejected", _("已驳回")
    CANCELLED = "cancelled", _("已取消")


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已批准")
    PARTIALLY_RECEIVED = "partially_received", _("部分到货")
    RECEIVED = "received", _("已到货")
    CLOSED = "closed", _("已关闭")
    CANCELLED = "cancelled", _("已取消")


class ReceiptStatus(models.TextChoices):
    RECEIVED = "received", _("待检")
    INSPECTED = "inspected", _("已验收")
    PUT_AWAY = "put_away", _("已入库")


class CheckResult(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class EventType(models.TextChoices):
    """Typed timeline events of the purchasing app (registered by the app registry)."""

    REQUISITION_CREATED = "purchasing.requisition_created", _("新建采购申请")
    REQUISITION_UPDATED = "purchasing.requisition_updated", _("修改采购申请")
    REQUISITION_SUBMITTED = "purchasing.requisition_submitted", _("提交采购申请")
    REQUISITION_APPROVED = "purchasing.requisition_approved", _("批准采购申请")
    REQUISITION_REJECTED = "purchasing.requisition_rejected", _("驳回采购申请")
    REQUISITION_CANCELLED = "purchasing.requisition_cancelled", _("取消采购申请")
    REQUISITION_ORDERED = "purchasing.requisition_ordered", _("采购申请已下单")
    ORDER_CREATED = "purchasing.order_created", _("新建采购订单")
    ORDER_UPDATED = "purchasing.order_updated", _("修改采购订单")
    ORDER_SUBMITTED = "purchasing.order_submitted", _("提交采购订单")
    ORDER_APPROVED = "purchasing.order_approved", _("批准采购订单")
    ORDER_REJECTED = "purchasing.order_rejected", _("退回采购订单")
    ORDER_CANCELLED = "purchasing.order_cancelled", _("取消采购订单")
    ORDER_CLOSED = "purchasing.order_closed", _("关闭采购订单")
    ORDER_RECEIVED = "purchasing.order_received", _("采购订单到货")
    RECEIPT_CREATED = "purchasing.receipt_created", _("登记到货（待检）")
    RECEIPT_INSPECTED = "purchasing.receipt_inspected", _("进货验收")
    RECEIPT_PUT_AWAY = "purchasing.receipt_put_away", _("上架入库")
