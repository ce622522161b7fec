"""Choices of the delivery app: the delivery status, acceptance checklist items and results, incident kinds,
how the customer was told, and the timeline events (DEL-1…DEL-7, TRC-1). The moves between statuses are
declared in workflows.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    SHIPPED = "shipped", _("已发货")
    ACCEPTED = "accepted", _("已验收")
    RELEASED = "released", _("已放行交付")


class CheckItem(models.TextChoices):
    """DEL-3 (002 §6.5.1): the joint final check at handover."""

    PACKING_LIST = "packing_list", _("装箱单核对")
    APPEARANCE = "appearance", _("外观")
    INSTALLATION = "installation", _("安装调试")
    FUNCTION = "function", _("功能")


class CheckResult(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")
    NA = "na", _("不适用")


class IncidentKind(models.TextChoices):
    """DEL-2 (seed 000 商品交付): what went wrong in transit."""

    DELAY = "delay", _("运输延误")
    DAMAGE = "damage", _("商品损坏")
    SHORTAGE = "shortage", _("数量短缺")
    OTHER = "other", _("其他")


class InformChannel(models.TextChoices):
    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    WECHAT = "wechat", _("微信")
    EMAIL = "email", _("邮件")
    IN_PERSON = "in_person", _("当面")


class Requirement(models.TextChoices):
    """DEL-6: what the release gate asks for before the goods are released."""

    ACCEPTANCE = "acceptance", _("客户验收（DEL-3）")
    SIGNATURE = "signature", _("客户在验收单上签字（DEL-3）")
    INSTALLATION = "installation", _("安装调试（合同要求）")
    TRAINING = "training", _("客户培训记录（合同要求，DEL-4）")


class EventType(models.TextChoices):
    """Typed timeline events of the delivery app (registered by the app registry)."""

    SHIPPED = "delivery.shipped", _("发货（生成交付单）")
    INCIDENT_REPORTED = "delivery.incident_reported", _("登记交付异常")
    INCIDENT_INFORMED = "delivery.incident_informed", _("交付异常已告知客户")
    INCIDENT_REMINDED = "delivery.incident_reminded", _("交付异常未告知客户提醒")
    ACCEPTED = "delivery.accepted", _("客户验收")
    UNIT_REPLACED = "delivery.unit_replaced", _("缺陷品以库存更换")
    TRAINING_RECORDED = "delivery.training_recorded", _("登记客户培训")
    CONCESSION_APPROVED = "delivery.concession_approved", _("客户批准让步放行")
    RELEASED = "delivery.released", _("放行交付")
    FOLLOW_UP_SKIPPED = "delivery.follow_up_skipped", _("客户已撤回回访同意，未安排交付回访")
