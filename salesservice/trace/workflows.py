"""The recall documents' lifecycles, declared once (core.workflow). TRC-2.

Recall campaign 召回:

    draft ──launch──▶ open ──close──▶ closed          (close: only when every task is done or unreachable)
    draft ──cancel──▶ cancelled

`launch` freezes the affected lots (inventory `hold`) and creates one task per customer who received them, with
the shipped quantities of the GSP sales records, and notifies the assignees.

Recall task 召回任务:

    open ──contact──▶ contacted ──complete──▶ done
      │                  │ contact / recover (stays)
      ├──recover────────▶ contacted | done      (done when everything shipped is recovered)
      └──unreachable──▶ unreachable ◀── contacted
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, Guard, State, Workflow

from .choices import TASK_CLOSED, EventType
from .choices import RecallStatus as R
from .choices import RecallTaskStatus as T
from .errors import TraceErrorCode as E

SERVICES = "salesservice.trace.services"
FORMS = "salesservice.trace.forms"
SERIALIZERS = "salesservice.trace.api.serializers"


def _tasks_closed(campaign) -> bool:
    return not campaign.tasks.exclude(status__in=TASK_CLOSED).exists()


RECALL_WORKFLOW = Workflow(
    "trace.RecallCampaign",
    id_kwarg="recall_id",
    detail_url="trace:recall-detail",
    action_url="trace:recall-action",
    related=("org_unit",),
    states=[
        State(R.DRAFT, "bg-secondary-lt"),
        State(R.OPEN, "bg-red-lt"),
        State(R.CLOSED, "bg-green-lt", terminal=True),
        State(R.CANCELLED, "bg-secondary-lt", terminal=True),
    ],
    actions=[
        Action(
            "launch",
            _("启动召回"),
            sources=[R.DRAFT],
            target=R.OPEN,
            permission="trace.launch_recallcampaign",
            service=f"{SERVICES}.recall_launch",
            max_queries=48,  # issue 17: freezes the lots and opens a task per receiving customer (measured 39)
            serializer=f"{SERIALIZERS}.RecallVersionSerializer",
            event_type=EventType.RECALL_LAUNCHED,
            success=_("已启动召回：批次已冻结，已按客户生成联系任务并通知负责人"),
            style="danger",
            confirm=_("启动后将冻结所选批次，并为每个收货客户生成召回任务，确定？"),
            summary=_("启动召回（TRC-2）：冻结批次，按销售记录为每个收货客户生成召回任务并通知负责人"),
            errors={E.RECALL_NOT_SHIPPED: _("所选批次没有销售记录，无客户可召回")},
        ),
        Action(
            "close",
            _("关闭召回"),
            sources=[R.OPEN],
            target=R.CLOSED,
            permission="trace.close_recallcampaign",
            service=f"{SERVICES}.recall_close",
            form=f"{FORMS}.RecallCloseForm",
            serializer=f"{SERIALIZERS}.RecallCloseSerializer",
            guards=(Guard(E.RECALL_TASKS_OPEN, _("还有召回任务未完成，不能关闭"), _tasks_closed),),
            event_type=EventType.RECALL_CLOSED,
            success=_("召回已关闭"),
            style="success",
            summary=_("关闭召回（每个召回任务都已完成或确认无法联系）"),
        ),
        Action(
            "cancel",
            _("取消召回"),
            sources=[R.DRAFT],
            target=R.CANCELLED,
            permission="trace.add_recallcampaign",
            service=f"{SERVICES}.recall_cancel",
            form=f"{FORMS}.RecallCloseForm",
            serializer=f"{SERIALIZERS}.RecallCloseSerializer",
            event_type=EventType.RECALL_CANCELLED,
            success=_("已取消"),
            style="outline-danger",
            confirm=_("确定取消该召回草稿？"),
            summary=_("取消召回（仅草稿）"),
        ),
    ],
)

RECALL_TASK_WORKFLOW = Workflow(
    "trace.RecallTask",
    id_kwarg="task_id",
    detail_url="trace:task-detail",
    action_url="trace:task-action",
    related=("campaign", "customer"),
    states=[
        State(T.OPEN, "bg-orange-lt"),
        State(T.CONTACTED, "bg-blue-lt"),
        State(T.DONE, "bg-green-lt", terminal=True),
        State(T.UNREACHABLE, "bg-secondary-lt", terminal=True),
    ],
    actions=[
        Action(
            "contact",
            _("登记联系"),
            sources=[T.OPEN, T.CONTACTED],
            stays=(T.CONTACTED,),
            target=T.CONTACTED,
            permission="trace.work_recalltask",
            service=f"{SERVICES}.task_contact",
            form=f"{FORMS}.TaskContactForm",
            serializer=f"{SERIALIZERS}.TaskContactSerializer",
            event_type=EventType.TASK_CONTACTED,
            success=_("已登记联系"),
            summary=_("登记联系客户（时间、联系记录）"),
            errors={E.TASK_NOTE_REQUIRED: _("须填写联系记录")},
        ),
        Action(
            "recover",
            _("登记收回"),
            sources=[T.OPEN, T.CONTACTED],
            stays=(T.CONTACTED,),
            target=T.CONTACTED,
            targets=(T.DONE,),
            permission="trace.work_recalltask",
            service=f"{SERVICES}.task_recover",
            form=f"{FORMS}.TaskRecoverForm",
            serializer=f"{SERIALIZERS}.TaskRecoverSerializer",
            event_type=EventType.TASK_RECOVERED,
            success=_("已登记收回数量"),
            style="success",
            summary=_("登记收回数量（不能超过已发货未收回数量；可同时收入仓库待验区）"),
            errors={
                E.TASK_OVER_RECOVERY: _("收回数量超过已发货未收回数量"),
                E.TASK_LOT_REQUIRED: _("该客户收到多个召回批次，须指明批次"),
                E.TASK_LOT_INVALID: _("所指批次不属于该召回任务"),
                E.TASK_INVALID_QUANTITY: _("收回数量必须为正整数"),
            },
        ),
        Action(
            "complete",
            _("完成任务"),
            sources=[T.CONTACTED],
            target=T.DONE,
            permission="trace.work_recalltask",
            service=f"{SERVICES}.task_complete",
            form=f"{FORMS}.TaskNoteForm",
            serializer=f"{SERIALIZERS}.TaskNoteSerializer",
            event_type=EventType.TASK_COMPLETED,
            success=_("召回任务已完成"),
            style="outline-success",
            summary=_("完成任务（未全部收回时须说明去向，如客户已就地销毁）"),
            errors={E.TASK_NOTE_REQUIRED: _("须填写说明")},
        ),
        Action(
            "unreachable",
            _("无法联系"),
            sources=[T.OPEN, T.CONTACTED],
            target=T.UNREACHABLE,
            permission="trace.work_recalltask",
            service=f"{SERVICES}.task_unreachable",
            form=f"{FORMS}.TaskNoteForm",
            serializer=f"{SERIALIZERS}.TaskNoteSerializer",
            event_type=EventType.TASK_UNREACHABLE,
            success=_("已登记无法联系"),
            style="outline-secondary",
            summary=_("登记无法联系客户（须说明已尝试的方式）"),
            errors={E.TASK_NOTE_REQUIRED: _("须填写说明")},
        ),
    ],
)
