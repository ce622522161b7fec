"""Choices of the supervision app: check methods and statuses (SUV-1…SUV-3), checklist results, finding
severities and statuses (SUV-2), cross-department issue statuses (COM-1) and the timeline events. The moves
between statuses are declared in workflows.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckMethod(models.TextChoices):
    """SUV-2 / SUV-3: how the service is checked (seeds 000, 003 七, 004 服务监控)."""

    OBSERVATION = "observation", _("现场观察")
    CALL_RECORDING = "call_recording", _("电话录音抽查")
    CUSTOMER_FEEDBACK = "customer_feedback", _("顾客反馈")
    DATA_ANALYSIS = "data_analysis", _("数据分析")
    MYSTERY_SHOPPING = "mystery_shopping", _("神秘顾客")
    CROSS_CHECK = "cross_check", _("交叉检查")
    SPOT_CHECK = "spot_check", _("店长抽查")
    INTERNAL_AUDIT = "internal_audit", _("内部审核")


class CheckStatus(models.TextChoices):
    PLANNED = "planned", _("已计划")
    IN_PROGRESS = "in_progress", _("检查中")
    COMPLETED = "completed", _("已完成")


class ItemResult(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")
    NA = "na", _("不适用")


class Severity(models.TextChoices):
    MINOR = "minor", _("一般")
    MAJOR = "major", _("严重")
    CRITICAL = "critical", _("重大")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    RECTIFIED = "rectified", _("已整改待验证")
    VERIFIED = "verified", _("已验证")
    CLOSED = "closed", _("已关闭")


class IssueStatus(models.TextChoices):
    OPEN = "open", _("处理中")
    RESOLVED = "resolved", _("已解决")
    CLOSED = "closed", _("已关闭")


class EventType(models.TextChoices):
    """Typed timeline events of the supervision app (registered by the app registry)."""

    CHECK_PLANNED = "supervision.check_planned", _("计划服务质量检查")
    CHECK_STARTED = "supervision.check_started", _("开始检查")
    CHECK_COMPLETED = "supervision.check_completed", _("完成检查")
    EVIDENCE_ATTACHED = "supervision.evidence_attached", _("上传检查证据（录音摘录、照片等）")
    FINDING_RAISED = "supervision.finding_raised", _("登记检查发现")
    FINDING_RECTIFIED = "supervision.finding_rectified", _("整改完成")
    FINDING_VERIFIED = "supervision.finding_verified", _("整改验证")
    FINDING_CLOSED = "supervision.finding_closed", _("关闭整改项")
    FINDING_REMINDED = "supervision.finding_reminded", _("整改期限提醒")
    ISSUE_OPENED = "supervision.issue_opened", _("登记跨部门协调事项")
    ISSUE_RESOLVED = "supervision.issue_resolved", _("协调事项已解决")
    ISSUE_CLOSED = "supervision.issue_closed", _("关闭协调事项")
    ISSUE_ESCALATED = "supervision.issue_escalated", _("协调事项逾期升级至相关部门负责人")
