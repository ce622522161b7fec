"""Choices of the people app: certification states and timeline events (PPL-4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificationState(models.TextChoices):
    """Derived, never stored: what a certification means on a given day."""

    VALID = "valid", _("有效")
    NOT_YET_VALID = "not_yet_valid", _("未生效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已吊销")


class EventType(models.TextChoices):
    """Typed timeline events of the people app."""

    CERTIFICATION_ADDED = "people.certification_added", _("登记上岗资格")
    CERTIFICATION_UPDATED = "people.certification_updated", _("修改上岗资格")
    CERTIFICATION_REVOKED = "people.certification_revoked", _("吊销上岗资格")
    CERTIFICATION_ISSUED = "people.certification_issued", _("考试合格，颁发上岗资格")
    CERTIFICATION_RENEWED = "people.certification_renewed", _("考试合格，延续上岗资格")
    CERTIFICATION_EXPIRY_REMINDED = "people.certification_expiry_reminded", _("上岗资格即将到期提醒")
    COURSE_SAVED = "people.course_saved", _("保存培训课程")
    QUESTION_ADDED = "people.question_added", _("添加考题")
    QUESTION_REMOVED = "people.question_removed", _("停用考题")
    EXAM_STARTED = "people.exam_started", _("开始考试")
    EXAM_SUBMITTED = "people.exam_submitted", _("提交笔试答卷")
    EXAM_GRADED = "people.exam_graded", _("录入实操成绩")


class ExamKind(models.TextChoices):
    """How a course is examined (PPL-4): answered on a page and scored by the system, or assessed by the trainer."""

    WRITTEN = "written", _("笔试（单选题）")
    PRACTICAL = "practical", _("实操考核")


class AnswerOption(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class ExamAttemptStatus(models.TextChoices):
    """An attempt is started (the engineer answers, or waits for the trainer's assessment), then scored."""

    STARTED = "started", _("考试中")
    SCORED = "scored", _("已评分")
