"""Choices of the service app: request statuses, channels, categories, clocks, event types.

Which status moves a request may make is declared once, with the actions that make them, in
`workflows.py` (the document kernel); nothing else assigns `ServiceRequest.status`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceRequestStatus(models.TextChoices):
    """Seed 001 第八条: 服务请求 → 受理 → 派遣 → 实施 → 验收 → (反馈/案例总结)."""

    RECEIVED = "received", _("受理")
    CONTACTED = "contacted", _("已联系")
    DISPATCHED = "dispatched", _("已派工")
    IN_PROGRESS = "in_progress", _("处理中")
    WAITING_CUSTOMER = "waiting_customer", _("等待客户")
    RESOLVED = "resolved", _("待验收")
    CLOSED = "closed", _("已结案")
    CANCELLED = "cancelled", _("已取消")


S = ServiceRequestStatus

# Statuses whose SLA clocks run (the sweep looks only at these). `waiting_customer` is paused;
# `resolved` waits for the customer's acceptance and stops the escalation clock.
RUNNING_STATUSES = (S.RECEIVED, S.CONTACTED, S.DISPATCHED, S.IN_PROGRESS)
OPEN_STATUSES = (*RUNNING_STATUSES, S.WAITING_CUSTOMER, S.RESOLVED)
FINAL_STATUSES = (S.CLOSED, S.CANCELLED)


class Channel(models.TextChoices):
    """SRV-1: how the request reached us (seed 001 第八条; 002 §6.6.1)."""

    HOTLINE = "hotline", _("400热线")
    WALK_IN = "walk_in", _("到店")
    STORE = "store", _("门店登记")
    EMAIL = "email", _("邮件")
    ONLINE = "online", _("在线表单")
    API = "api", _("API")


class ServiceCategory(models.TextChoices):
    INSTALLATION = "installation", _("安装")
    REPAIR = "repair", _("维修")
    MAINTENANCE = "maintenance", _("保养")
    CONSULTATION = "consultation", _("咨询")
    OTHER = "other", _("其他")


class DispatchMode(models.TextChoices):
    """SRV-4: on-site or remote by our engineer, or to an outsourced provider (NET-3)."""

    ONSITE = "onsite", _("上门")
    REMOTE = "remote", _("远程")
    PROVIDER = "provider", _("外协网点")


class SlaClock(models.TextChoices):
    """SRV-2: the two clocks of a request."""

    FIRST_CONTACT = "first_contact", _("首次联系")
    ESCALATION = "escalation", _("升级/解决")


class EscalationLevel(models.IntegerChoices):
    STORE = 0, _("门店")
    REGION = 1, _("区部")
    HQ = 2, _("总部")


MAX_ESCALATION_LEVEL = EscalationLevel.HQ


class WarrantyStatus(models.TextChoices):
    """SRV-11: computed from the purchase date and the product's warranty months, never stored."""

    IN_WARRANTY = "in_warranty", _("保修期内")
    EXPIRED = "expired", _("已过保")
    UNKNOWN = "unknown", _("未知")


class AcceptanceMethod(models.TextChoices):
    """SRV-5/SRV-6: how the customer gave the acceptance."""

    LINK = "link", _("链接签字")
    ONSITE = "onsite", _("现场签字")
    PHONE = "phone", _("电话确认")
    OTHER = "other", _("其他")


class KnowledgeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class EventType(models.TextChoices):
    """Typed timeline events of the service app (registered in ServiceConfig.ready)."""

    REQUEST_CREATED = "service.request_created", _("受理服务请求")
    REQUEST_UPDATED = "service.request_updated", _("修改服务请求")
    REQUEST_CONTACTED = "service.request_contacted", _("首次联系客户")
    REQUEST_PAUSED = "service.request_paused", _("等待客户（暂停计时）")
    REQUEST_RESUMED = "service.request_resumed", _("恢复处理（继续计时）")
    REQUEST_DISPATCHED = "service.request_dispatched", _("派工")
    REQUEST_STARTED = "service.request_started", _("开始处理")
    WORK_RECORDED = "service.work_recorded", _("登记服务记录")
    REQUEST_RESOLVED = "service.request_resolved", _("处理完成，待验收")
    REQUEST_ACCEPTED = "service.request_accepted", _("客户验收")
    REQUEST_REJECTED = "service.request_rejected", _("客户不认可，退回处理")
    ACCEPTANCE_LINK_CREATED = "service.acceptance_link_created", _("生成验收链接")
    REQUEST_CLOSED = "service.request_closed", _("结案")
    REQUEST_CANCELLED = "service.request_cancelled", _("取消服务请求")
    SLA_BREACHED = "service.sla_breached", _("SLA 超时")
    REQUEST_ESCALATED = "service.request_escalated", _("升级")
    SLA_WARNED = "service.sla_warned", _("SLA 到期提醒")
    KNOWLEDGE_CREATED = "service.knowledge_created", _("新建知识库文章")
    KNOWLEDGE_UPDATED = "service.knowledge_updated", _("修改知识库文章")
    KNOWLEDGE_PUBLISHED = "service.knowledge_published", _("发布知识库文章")
    KNOWLEDGE_WITHDRAWN = "service.knowledge_withdrawn", _("撤回知识库文章")
