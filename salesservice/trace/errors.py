"""Every error code the trace app raises (CONVENTIONS: a per-app error-code enum).

The value is the `code` the API returns and tests assert — it never changes; the label says, in Chinese, when
it is raised (docs/trace.md lists them). Codes every app shares come from `core`: `permission_denied` (403),
`conflict.stale` (409), `status.invalid_transition` (409).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TraceErrorCode(models.TextChoices):
    # --- trace queries (400 / 404) ---
    QUERY_REQUIRED = "trace.query_required", _("请给出批号、序列号或客户之一（400）")
    QUERY_AMBIGUOUS = "trace.query_ambiguous", _("批号、序列号、客户只能给出一个（400）")
    QUERY_INVALID = "trace.query_invalid", _("查询参数无效（400）")
    LOT_NOT_FOUND = "trace.lot_not_found", _("批号/序列号不存在或不在您的范围内（404）")
    CUSTOMER_NOT_FOUND = "trace.customer_not_found", _("客户不存在或不在您的范围内（404）")

    # --- the moment recorded (core.guards.checked_moment with prefix "trace") ---
    NAIVE_DATETIME = "trace.naive_datetime", _("登记的时间不带时区")
    FUTURE_TIME = "trace.future_time", _("登记的时间晚于当前时间")
    TIME_BEFORE_RECEIPT = "trace.time_before_receipt", _("登记的时间早于单据时间")

    # --- recall campaigns ---
    RECALL_NOT_FOUND = "recall.not_found", _("召回不存在或不在您的范围内（404）")
    RECALL_LOTS_REQUIRED = "recall.lots_required", _("召回须选择至少一个批次")
    RECALL_LOT_INVALID = "recall.lot_invalid", _("所选批次不存在或不在您的范围内")
    RECALL_LEVEL_INVALID = "recall.level_invalid", _("召回级别无效（一级/二级/三级）")
    RECALL_REASON_REQUIRED = "recall.reason_required", _("须填写召回原因")
    RECALL_UNIT_OUT_OF_SCOPE = "recall.unit_out_of_scope", _("所选组织单位不在您的管辖范围内")
    RECALL_NOT_SHIPPED = "recall.not_shipped", _("所选批次没有销售记录，无客户可召回（409）")
    RECALL_TASKS_OPEN = "recall.tasks_open", _("还有召回任务未完成，不能关闭（409）")

    # --- recall tasks ---
    TASK_NOT_FOUND = "recall_task.not_found", _("召回任务不存在或不在您的范围内（404）")
    TASK_NOTE_REQUIRED = "recall_task.note_required", _("须填写联系/处理说明")
    TASK_LOT_REQUIRED = "recall_task.lot_required", _("该客户收到多个召回批次，须指明收回的批次")
    TASK_LOT_INVALID = "recall_task.lot_invalid", _("所指批次不属于该召回任务")
    TASK_INVALID_QUANTITY = "recall_task.invalid_quantity", _("收回数量必须为正整数")
    TASK_OVER_RECOVERY = "recall_task.over_recovery", _("收回数量超过已发货未收回数量（409）")
