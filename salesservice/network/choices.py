"""Choices of the network app: the provider statuses (DESIGN §4, NET-3; the ladder between them is declared in
`workflows.py`) and timeline events."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderStatus(models.TextChoices):
    """Sanction ladder of an outsourced service point (seed 004; NET-3)."""

    ACTIVE = "active", _("正常")
    WARNED = "warned", _("发函警告")
    RECTIFYING = "rectifying", _("限期整改")
    DISPATCH_STOPPED = "dispatch_stopped", _("停止派工")
    REMOVED = "removed", _("撤点")


# NET-3: work may still be dispatched to a warned or rectifying point, not to a stopped or removed one.
DISPATCHABLE = (ProviderStatus.ACTIVE, ProviderStatus.WARNED, ProviderStatus.RECTIFYING)


class EvaluationItem(models.TextChoices):
    """The service-quality evaluation items 服务质量评测项目 a provider complaint case is counted under (NET-1, NET-2)."""

    PUNCTUALITY = "punctuality", _("上门及时性")
    ATTITUDE = "attitude", _("服务态度")
    WORKMANSHIP = "workmanship", _("安装维修质量")
    CLEANLINESS = "cleanliness", _("现场清理")
    CHARGING = "charging", _("收费规范")
    CONDUCT = "conduct", _("行为规范")
    OTHER = "other", _("其他")


class ReportKind(models.TextChoices):
    WEEKLY = "weekly", _("服务质量周报")
    MONTHLY = "monthly", _("月度汇总")


class EventType(models.TextChoices):
    """Typed timeline events of the network app (status changes use core.status_changed)."""

    PROVIDER_CREATED = "network.provider_created", _("新建外协网点")
    PROVIDER_UPDATED = "network.provider_updated", _("修改外协网点")
    VIOLATION_RECORDED = "network.violation_recorded", _("登记网点违规")
    SANCTION_ISSUED = "network.sanction_issued", _("签发网点处理通知")
    TECHNICIAN_ADDED = "network.technician_added", _("登记网点技师")
    TECHNICIAN_STOPPED = "network.technician_stopped", _("网点技师停止工作")
    TRAINING_RECORDED = "network.training_recorded", _("登记技师季度培训考核")
    CONTRACT_END_PROPOSED = "network.contract_end_proposed", _("建议解除网点合同")
    TRAINING_QUARTER_CLOSED = "network.training_quarter_closed", _("季度培训合格率统计")
    EVALUATION_CREATED = "network.evaluation_created", _("起草网点评价")
    EVALUATION_SUBMITTED = "network.evaluation_submitted", _("提交网点评价")
    EVALUATION_APPROVED = "network.evaluation_approved", _("批准网点评价")
    EVALUATION_REJECTED = "network.evaluation_rejected", _("退回网点评价")


class TechnicianStatus(models.TextChoices):
    """A provider's installation technician 安装技师 (NET-4): stopped after consecutive failed quarters."""

    ACTIVE = "active", _("在岗")
    STOPPED = "stopped", _("停止工作")
    LEFT = "left", _("离职")


class EvaluationStatus(models.TextChoices):
    """A region's periodic evaluation of a provider (NET-5)."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已退回")


class EvaluationConclusion(models.TextChoices):
    KEEP = "keep", _("保留")
    RECTIFY = "rectify", _("限期整改")
    REMOVE = "remove", _("撤点")
