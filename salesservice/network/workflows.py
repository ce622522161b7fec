"""The sanction ladder of an outsourced service point 外协网点 (seed 004; NET-3), declared once (core.workflow).

    active ──▶ warned ──▶ rectifying ──▶ dispatch_stopped ──▶ removed
      │          │            │                                  ▲
      └──────────┴────────────┴── any move up the ladder ────────┘   (a month with several violations may skip rungs)
    warned / rectifying / dispatch_stopped ──restore (rectified)──▶ active
    removed is final.

One action changes the status: `change-status` (page `providers/<pk>/status/`, API
`POST /service-providers/{id}/change-status/`) — the manager picks the rung and gives a reason, so the
service picks the target. The moves it may make from each state are the ladder steps declared after it
(`page=False, api=False`: no button or endpoint of their own), which is what the transition table is derived
from. Work may still be dispatched to a warned or rectifying point, not to a stopped or removed one
(`choices.DISPATCHABLE`).
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.choices import EventType as CoreEventType
from salesservice.core.workflow import Action, State, Workflow

from .choices import EvaluationStatus as V
from .choices import EventType
from .choices import ProviderStatus as S
from .choices import TechnicianStatus as T
from .errors import NetworkErrorCode as E

SERVICE = "salesservice.network.services.provider_change_status"
PERMISSION = "network.change_provider_status"
STATUS_CHANGED = CoreEventType.STATUS_CHANGED  # the ladder has no typed event: the move's own is the record


def _step(name: str, label, sources, target) -> Action:
    """A rung of the ladder `change-status` may move to (no page button or API endpoint of its own)."""
    return Action(
        name,
        label,
        sources=sources,
        target=target,
        permission=PERMISSION,
        service=SERVICE,
        event_type=STATUS_CHANGED,
        versioned=False,
        page=False,
        api=False,
    )


PROVIDER_WORKFLOW = Workflow(
    "network.ServiceProvider",
    id_kwarg="provider_id",
    detail_url="network:provider-detail",
    action_url="network:provider-action",
    states=[
        State(S.ACTIVE, "bg-success"),
        State(S.WARNED, "bg-yellow"),
        State(S.RECTIFYING, "bg-orange"),
        State(S.DISPATCH_STOPPED, "bg-danger"),
        State(S.REMOVED, "bg-secondary", terminal=True),
    ],
    actions=[
        Action(
            "change-status",
            _("变更网点状态"),
            sources=[S.ACTIVE, S.WARNED, S.RECTIFYING, S.DISPATCH_STOPPED],
            permission=PERMISSION,
            service=SERVICE,
            form="salesservice.network.forms.StatusChangeForm",
            serializer="salesservice.network.api.serializers.ProviderStatusChangeSerializer",
            event_type=STATUS_CHANGED,
            success=_("网点状态已变更"),
            template="network/_status_action.html",
            versioned=False,  # the ladder is a manager's decision with a reason, not an edit of what was read
            summary="变更网点状态（发函警告/限期整改/停止派工/撤点/恢复正常；非法变更返回 409 status.invalid_transition）",
            errors={E.PROVIDER_REASON_REQUIRED: "未填写变更原因（400）"},
        ),
        _step("warn", _("发函警告"), [S.ACTIVE], S.WARNED),
        _step("order-rectification", _("限期整改"), [S.ACTIVE, S.WARNED], S.RECTIFYING),
        _step("stop-dispatch", _("停止派工"), [S.ACTIVE, S.WARNED, S.RECTIFYING], S.DISPATCH_STOPPED),
        _step("remove", _("撤点"), [S.ACTIVE, S.WARNED, S.RECTIFYING, S.DISPATCH_STOPPED], S.REMOVED),
        _step("restore", _("恢复正常"), [S.WARNED, S.RECTIFYING, S.DISPATCH_STOPPED], S.ACTIVE),
    ],
)

# The ladder in order (for the status buttons and the suggested sanction).
LADDER = list(PROVIDER_WORKFLOW.states)


def next_statuses(provider) -> list[str]:
    """The statuses `provider` may move to now, in ladder order."""
    allowed = PROVIDER_WORKFLOW.transitions.get(provider.status, set())
    return [status for status in LADDER if status in allowed]


# --- region evaluations (NET-5) ---------------------------------------------------------------------
#   draft ──submit (region manager)──▶ submitted ──approve (HQ network manager, not the author)──▶ approved
#                                          └──reject (with a reason)──▶ rejected ──submit again──▶ submitted

EVALUATIONS = "salesservice.network.evaluations"
EVALUATION_SERIALIZERS = "salesservice.network.api.serializers"

EVALUATION_WORKFLOW = Workflow(
    "network.ProviderEvaluation",
    id_kwarg="evaluation_id",
    detail_url="network:evaluation-detail",
    action_url="network:evaluation-action",
    related=("provider",),
    states=[
        State(V.DRAFT, "bg-secondary-lt"),
        State(V.SUBMITTED, "bg-blue-lt"),
        State(V.APPROVED, "bg-green-lt", terminal=True),
        State(V.REJECTED, "bg-orange-lt"),
    ],
    actions=[
        Action(
            "submit",
            _("提交审批"),
            sources=[V.DRAFT, V.REJECTED],
            target=V.SUBMITTED,
            permission="network.change_providerevaluation",
            service=f"{EVALUATIONS}.evaluation_submit",
            serializer=f"{EVALUATION_SERIALIZERS}.EvaluationSubmitSerializer",
            event_type=EventType.EVALUATION_SUBMITTED,
            success=_("评价已提交总部审批"),
            summary=_("区域经理提交网点评价（NET-5）"),
        ),
        Action(
            "approve",
            _("批准"),
            sources=[V.SUBMITTED],
            target=V.APPROVED,
            permission="network.approve_providerevaluation",
            service=f"{EVALUATIONS}.evaluation_approve",
            serializer=f"{EVALUATION_SERIALIZERS}.EvaluationDecisionSerializer",
            form="salesservice.network.forms.EvaluationDecisionForm",
            event_type=EventType.EVALUATION_APPROVED,
            success=_("评价已批准"),
            style="success",
            confirm=_("批准后，撤点建议将按处理阶梯撤销该网点并签发撤点通知，确定批准？"),
            summary=_("总部网点管理批准评价；含撤点建议的，网点按处理阶梯撤点并签发通知（NET-5、NET-3）"),
            errors={E.EVALUATION_SELF_APPROVAL: E.EVALUATION_SELF_APPROVAL.label},
        ),
        Action(
            "reject",
            _("退回"),
            sources=[V.SUBMITTED],
            target=V.REJECTED,
            permission="network.approve_providerevaluation",
            service=f"{EVALUATIONS}.evaluation_reject",
            serializer=f"{EVALUATION_SERIALIZERS}.EvaluationDecisionSerializer",
            form="salesservice.network.forms.EvaluationDecisionForm",
            event_type=EventType.EVALUATION_REJECTED,
            success=_("评价已退回"),
            style="danger",
            summary=_("总部退回评价（须写明原因）"),
            errors={
                E.EVALUATION_SELF_APPROVAL: E.EVALUATION_SELF_APPROVAL.label,
                E.EVALUATION_REASON_REQUIRED: E.EVALUATION_REASON_REQUIRED.label,
            },
        ),
    ],
)


# --- technicians (NET-4) ------------------------------------------------------------------------------
#   active ──stop (3 failed quarters, by the training rule)──▶ stopped ──restore (manager)──▶ active
#   active / stopped ──leave──▶ left (final)

TECHNICIAN_SERVICE = "salesservice.network.training.technician_set_status"


def _tech_step(name: str, label, sources, target) -> Action:
    return Action(
        name,
        label,
        sources=sources,
        target=target,
        permission="network.change_providertechnician",
        service=TECHNICIAN_SERVICE,
        event_type=STATUS_CHANGED,
        page=False,
        api=False,
    )


TECHNICIAN_WORKFLOW = Workflow(
    "network.ProviderTechnician",
    id_kwarg="technician_id",
    states=[
        State(T.ACTIVE, "bg-green-lt"),
        State(T.STOPPED, "bg-red-lt"),
        State(T.LEFT, "bg-secondary-lt", terminal=True),
    ],
    actions=[
        _tech_step("stop", _("停止工作"), [T.ACTIVE], T.STOPPED),
        _tech_step("restore", _("恢复工作"), [T.STOPPED], T.ACTIVE),
        _tech_step("leave", _("离职"), [T.ACTIVE, T.STOPPED], T.LEFT),
    ],
)
