"""Choices of the feedback app: follow-up and suggestion statuses, kinds, channels, survey question kinds
and the typed timeline events (FBK-1 … FBK-4).

The moves between the statuses are declared in `workflows.py` (DESIGN §4; CONVENTIONS "state changes go
through one door"): services call the workflow's `check` and `move`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowUpStatus(models.TextChoices):
    """DESIGN §4: `scheduled → done | unreachable (attempts) → closed`."""

    SCHEDULED = "scheduled", _("待回访")
    DONE = "done", _("已回访")
    UNREACHABLE = "unreachable", _("未联系上")
    CLOSED = "closed", _("已关闭")


OPEN_FOLLOW_UP_STATUSES = (FollowUpStatus.SCHEDULED, FollowUpStatus.UNREACHABLE)


class FollowUpKind(models.TextChoices):
    """FBK-1/FBK-2: why we call the customer."""

    AFTER_SERVICE = "after_service", _("服务后回访")
    AFTER_COMPLAINT = "after_complaint", _("投诉后回访")
    AFTER_DELIVERY = "after_delivery", _("交付后回访")
    KEY_ACCOUNT_PERIODIC = "key_account_periodic", _("重点客户定期回访")


class SourceKind(models.TextChoices):
    """What a follow-up or a survey link is about (a generic reference: the other apps evolve separately)."""

    SERVICE_REQUEST = "service_request", _("售后服务单")
    COMPLAINT = "complaint", _("投诉")
    DELIVERY = "delivery", _("交付")
    CUSTOMER = "customer", _("客户")
    NONE = "none", _("无")


class AttemptChannel(models.TextChoices):
    """FBK-4: satisfaction is collected by phone, messages, visits…"""

    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    WECHAT = "wechat", _("微信")
    VISIT = "visit", _("上门")


class QuestionKind(models.TextChoices):
    """FBK-4: the kinds of survey questions."""

    RATING = "rating_1_5", _("评分（1–5 星）")
    NPS = "nps_0_10", _("推荐度（0–10）")
    SINGLE = "single_choice", _("单选")
    MULTIPLE = "multiple_choice", _("多选")
    TEXT = "text", _("文字")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class SuggestionKind(models.TextChoices):
    """FBK-3 (seed 003 客户监督: 意见箱、在线评价平台)."""

    SUGGESTION = "suggestion", _("建议")
    PRAISE = "praise", _("表扬")
    COMPLAINT = "complaint", _("投诉")


class SuggestionStatus(models.TextChoices):
    NEW = "new", _("待处理")
    TRIAGED = "triaged_suggestion", _("已归类为建议")
    CONVERTED = "converted_to_complaint", _("已转投诉")
    CLOSED = "closed", _("已关闭")


class EventType(models.TextChoices):
    """Typed timeline events of the feedback app (registered in FeedbackConfig.ready)."""

    FOLLOW_UP_SCHEDULED = "feedback.follow_up_scheduled", _("安排回访")
    FOLLOW_UP_ATTEMPTED = "feedback.follow_up_attempted", _("回访尝试")
    FOLLOW_UP_COMPLETED = "feedback.follow_up_completed", _("完成回访")
    FOLLOW_UP_UNREACHABLE = "feedback.follow_up_unreachable", _("回访未联系上")
    FOLLOW_UP_CLOSED = "feedback.follow_up_closed", _("关闭回访")
    FOLLOW_UP_REMINDED = "feedback.follow_up_reminded", _("回访到期提醒")
    FOLLOW_UP_OPENED_REQUEST = "feedback.follow_up_opened_request", _("回访转服务单")
    FOLLOW_UP_OPENED_COMPLAINT = "feedback.follow_up_opened_complaint", _("回访转投诉")
    SURVEY_TEMPLATE_CREATED = "feedback.survey_template_created", _("新建问卷")
    SURVEY_TEMPLATE_REVISED = "feedback.survey_template_revised", _("问卷修订")
    SURVEY_LINK_CREATED = "feedback.survey_link_created", _("发送满意度问卷")
    SURVEY_ANSWERED = "feedback.survey_answered", _("客户提交问卷")
    SUGGESTION_RECEIVED = "feedback.suggestion_received", _("收到意见/评价")
    SUGGESTION_TRIAGED = "feedback.suggestion_triaged", _("意见分类处理")
