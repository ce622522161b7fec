"""Choices of the trace app: recall levels and statuses, recall task statuses, timeline events.

TRC-2 (004 §4.4.4): a recall 召回 when a major quality problem appears. The level follows 医疗器械召回管理办法
(一级: may cause serious harm to health; 二级: temporary or reversible harm; 三级: unlikely to harm but a recall is
needed). The moves between statuses are declared in workflows.py.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecallLevel(models.TextChoices):
    """医疗器械召回管理办法 第十四条: the level sets how fast customers must be told (1 / 3 / 7 days)."""

    LEVEL_1 = "1", _("一级召回")
    LEVEL_2 = "2", _("二级召回")
    LEVEL_3 = "3", _("三级召回")


# Days within which every customer must be notified once a recall is launched, per level (the regulation's
# 1 / 3 / 7 days); a task's `due_at` is set from it.
NOTIFY_DAYS = {RecallLevel.LEVEL_1: 1, RecallLevel.LEVEL_2: 3, RecallLevel.LEVEL_3: 7}


class RecallStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("召回中")
    CLOSED = "closed", _("已关闭")
    CANCELLED = "cancelled", _("已取消")


class RecallTaskStatus(models.TextChoices):
    OPEN = "open", _("待联系")
    CONTACTED = "contacted", _("已联系")
    DONE = "done", _("已完成")
    UNREACHABLE = "unreachable", _("无法联系")


# A task in one of these states counts as closed (a campaign closes only when all its tasks are).
TASK_CLOSED = (RecallTaskStatus.DONE, RecallTaskStatus.UNREACHABLE)


class TraceKind(models.TextChoices):
    """What a trace started from."""

    LOT = "lot", _("批号")
    SERIAL = "serial", _("序列号")
    CUSTOMER = "customer", _("客户")


class EventType(models.TextChoices):
    """Typed timeline events of the trace app (registered by DomainAppConfig.ready)."""

    RECALL_CREATED = "trace.recall_created", _("新建召回")
    RECALL_LAUNCHED = "trace.recall_launched", _("发起召回（冻结批次、生成联系任务）")
    RECALL_CLOSED = "trace.recall_closed", _("关闭召回")
    RECALL_CANCELLED = "trace.recall_cancelled", _("取消召回")
    TASK_CONTACTED = "trace.task_contacted", _("召回任务：已联系客户")
    TASK_RECOVERED = "trace.task_recovered", _("召回任务：登记收回数量")
    TASK_COMPLETED = "trace.task_completed", _("召回任务：完成")
    TASK_UNREACHABLE = "trace.task_unreachable", _("召回任务：无法联系")
