"""Choices of the returns app: the return request's statuses, and the inputs of the return policy (sale
channel, reason, requested kind, goods condition).

DESIGN §4: requested → approved | rejected → goods_received → inspected → refunded | exchanged | repaired
→ closed; cancelled before the goods come back. The moves between them are declared in workflows.py.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SaleChannel(models.TextChoices):
    """RET-1: no-reason returns apply to distance sales (消费者权益保护法 第二十五条)."""

    DISTANCE = "distance", _("远程销售（网络/电话/电视）")
    IN_STORE = "in_store", _("门店现场销售")


class ReturnReason(models.TextChoices):
    NO_REASON = "no_reason", _("无理由退货")
    QUALITY = "quality", _("质量问题")
    OTHER = "other", _("其他原因")


class RequestedKind(models.TextChoices):
    REFUND = "refund", _("退货退款")
    EXCHANGE = "exchange", _("换货")
    REPAIR = "repair", _("维修")


class GoodsCondition(models.TextChoices):
    UNOPENED = "unopened", _("未拆封")
    OPENED_INTACT = "opened_intact", _("已拆封，商品及包装完好")
    USED = "used", _("已使用")
    DAMAGED_BY_CUSTOMER = "damaged_by_customer", _("人为损坏")


class Outcome(models.TextChoices):
    """What the return policy grants for a request (Eligibility.outcome)."""

    REFUND = "refund", _("退货退款")
    EXCHANGE = "exchange", _("换货")
    REPAIR = "repair", _("免费维修")
    NONE = "none", _("不适用（协商处理）")


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("申请")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已拒绝")
    GOODS_RECEIVED = "goods_received", _("已收货")
    INSPECTED = "inspected", _("已检验")
    REFUNDED = "refunded", _("已退款")
    EXCHANGED = "exchanged", _("已换货")
    REPAIRED = "repaired", _("已维修")
    CLOSED = "closed", _("已结案")
    CANCELLED = "cancelled", _("已取消")


R = ReturnStatus

# The resolution a closed request carries: success for the metrics (RET-2) when it is one of these.
RESOLVED_STATUSES = (R.REFUNDED, R.EXCHANGED, R.REPAIRED)


class EventType(models.TextChoices):
    """Typed timeline events of the returns app (registered in ReturnsConfig.ready)."""

    REQUESTED = "returns.requested", _("退换货申请")
    APPROVED = "returns.approved", _("批准退换货")
    OVERRIDDEN = "returns.overridden", _("特批（不符合退换货规则）")
    REJECTED = "returns.rejected", _("拒绝退换货")
    GOODS_RECEIVED = "returns.goods_received", _("收到退回商品")
    INSPECTED = "returns.inspected", _("检验退回商品")
    REFUNDED = "returns.refunded", _("退款")
    EXCHANGED = "returns.exchanged", _("换货")
    REPAIRED = "returns.repaired", _("维修")
    CLOSED = "returns.closed", _("退换货结案")
    CANCELLED = "returns.cancelled", _("取消退换货")
    HANDLING_BREACHED = "returns.handling_breached", _("退换货处理超时")
    ESCALATED = "returns.escalated", _("退换货升级")
