"""The lifecycles of the feedback app's documents, declared once (core.workflow): the follow-up 回访
(FBK-1, FBK-2) and the suggestion-box entry 意见箱 (FBK-3).

Follow-up (DESIGN §4):

    scheduled ──complete──▶ done ──close──▶ closed
        │                     ▲
        ├──attempt (give up)──▶ unreachable ──close──▶ closed   (a later call that reaches the customer → complete)
        └──close (no follow-up needed, with a reason)──▶ closed
    closed is final. `attempt` records a try on an open follow-up; with `give_up` on a scheduled one it marks it
    unreachable — the step `give-up` (`page=False, api=False`), so the transition table has exactly that move.
    The issue a customer raised becomes a new service request or complaint in one click (`open-request`,
    `open-complaint`: the status stays; their API endpoints, which answer with the new record, are their own).

Suggestion:

    new ──triage: suggestion──▶ triaged_suggestion ──triage: complaint──▶ converted_to_complaint ──triage: close──▶ closed
     ├──triage: complaint──────────────────────────────────────────────────▲                                          ▲
     └──triage: close────────────────────────────────────────────────────────────────────────────────────────────────┘
    closed is final. One action, `triage`, whose decision picks the target: the moves each decision may make
    are the steps `classify`, `convert` and `close` (`page=False, api=False`).
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, Guard, State, Workflow

from .choices import EventType
from .choices import FollowUpStatus as F
from .choices import SuggestionStatus as G

SERVICES = "salesservice.feedback.services"
FORMS = "salesservice.feedback.forms"
SERIALIZERS = "salesservice.feedback.api.serializers"
CHANGE_FOLLOW_UP = "feedback.change_followup"
CHANGE_SUGGESTION = "feedback.change_suggestion"
OPEN = [F.SCHEDULED, F.UNREACHABLE]


def _complaints_available(_follow_up) -> bool:
    from .services import complaint_create_function

    return complaint_create_function() is not None


FOLLOW_UP_WORKFLOW = Workflow(
    "feedback.FollowUp",
    id_kwarg="follow_up_id",
    detail_url="feedback:follow-up-detail",
    action_url="feedback:follow-up-action",
    states=[
        State(F.SCHEDULED, "bg-blue-lt"),
        State(F.DONE, "bg-green-lt"),
        State(F.UNREACHABLE, "bg-yellow-lt"),
        State(F.CLOSED, "bg-secondary-lt", terminal=True),
    ],
    # Declared in the order the follow-up page shows their forms.
    actions=[
        Action(
            "attempt",
            _("登记回访尝试"),
            sources=OPEN,
            permission=CHANGE_FOLLOW_UP,
            service=f"{SERVICES}.follow_up_record_attempt",
            form=f"{FORMS}.AttemptForm",
            serializer=f"{SERIALIZERS}.FollowUpAttemptWriteSerializer",
            event_type=EventType.FOLLOW_UP_ATTEMPTED,
            success=_("已登记回访尝试"),
            style="outline-primary",
            template="feedback/_attempt_action.html",
            versioned=False,
            summary="登记回访尝试（方式、是否联系上；give_up → 未联系上）",
            errors={"follow_up.not_open": "回访已完成或已关闭"},
        ),
        Action(
            "give-up",
            _("标记为未联系上"),
            sources=[F.SCHEDULED],
            target=F.UNREACHABLE,
            permission=CHANGE_FOLLOW_UP,
            service=f"{SERVICES}.follow_up_record_attempt",
            event_type=EventType.FOLLOW_UP_UNREACHABLE,
            versioned=False,
            page=False,  # an attempt with `give_up`
            api=False,
        ),
        Action(
            "complete",
            _("完成回访"),
            sources=OPEN,
            target=F.DONE,
            permission=CHANGE_FOLLOW_UP,
            service=f"{SERVICES}.follow_up_complete",
            form=f"{FORMS}.CompleteForm",
            serializer=f"{SERIALIZERS}.FollowUpCompleteSerializer",
            event_type=EventType.FOLLOW_UP_COMPLETED,
            success=_("已完成回访"),
            template="feedback/_complete_action.html",
            summary="完成回访（结果、满意度 1–5、客户反映的问题）",
            errors={"follow_up.not_open": "回访已完成或已关闭"},
        ),
        Action(
            "close",
            _("关闭回访"),
            sources=[F.SCHEDULED, F.UNREACHABLE, F.DONE],
            target=F.CLOSED,
            permission=CHANGE_FOLLOW_UP,
            service=f"{SERVICES}.follow_up_close",
            form=f"{FORMS}.CloseForm",
            serializer=f"{SERIALIZERS}.FollowUpCloseSerializer",
            event_type=EventType.FOLLOW_UP_CLOSED,
            success=_("已关闭回访"),
            confirm=_("确定关闭该回访？"),
            style="outline-danger",
            summary="关闭回访（未完成的须填原因）",
        ),
        Action(
            "open-request",
            _("一键转为新服务单"),
            sources=list(F),
            permission=CHANGE_FOLLOW_UP,  # the page also needs `service.add_servicerequest` (views.py)
            service=f"{SERVICES}.follow_up_open_service_request",
            form=f"{FORMS}.OpenRequestForm",
            guards=[
                Guard(
                    "follow_up.request_already_opened",
                    _("该回访已转出服务单"),
                    lambda follow_up: not follow_up.opened_service_request_id,
                )
            ],
            event_type=EventType.FOLLOW_UP_OPENED_REQUEST,
            style="outline-primary",
            versioned=False,
            after="salesservice.feedback.views.after_open_request",
            api=False,  # POST /follow-ups/{id}/open-service-request/ answers 201 with the new request
        ),
        Action(
            "open-complaint",
            _("一键转为投诉"),
            sources=list(F),
            permission=CHANGE_FOLLOW_UP,  # the page also needs `complaints.add_complaint` (views.py)
            service=f"{SERVICES}.follow_up_open_complaint",
            form=f"{FORMS}.OpenComplaintForm",
            guards=[
                Guard("complaint.unavailable", _("投诉模块未启用"), _complaints_available, status=400),
                Guard(
                    "follow_up.complaint_already_opened",
                    _("该回访已转出投诉"),
                    lambda follow_up: not (follow_up.opened_complaint_id or follow_up.opened_complaint_number),
                ),
            ],
            event_type=EventType.FOLLOW_UP_OPENED_COMPLAINT,
            confirm=_("确定将该问题登记为投诉？"),
            style="outline-danger",
            versioned=False,
            after="salesservice.feedback.views.after_open_complaint",
            api=False,  # POST /follow-ups/{id}/open-complaint/ answers 201 with the new complaint
        ),
    ],
)


def _decision(name: str, label, sources, target) -> Action:
    """The move a triage decision makes (no page button or API endpoint of its own)."""
    return Action(
        name,
        label,
        sources=sources,
        target=target,
        permission=CHANGE_SUGGESTION,
        service=f"{SERVICES}.suggestion_triage",
        event_type=EventType.SUGGESTION_TRIAGED,
        page=False,
        api=False,
    )


SUGGESTION_WORKFLOW = Workflow(
    "feedback.Suggestion",
    id_kwarg="suggestion_id",
    detail_url="feedback:suggestion-detail",
    action_url="feedback:suggestion-action",
    states=[
        State(G.NEW, "bg-blue-lt"),
        State(G.TRIAGED, "bg-green-lt"),
        State(G.CONVERTED, "bg-red-lt"),
        State(G.CLOSED, "bg-secondary-lt", terminal=True),
    ],
    actions=[
        Action(
            "triage",
            _("分类处理"),
            sources=[G.NEW, G.TRIAGED, G.CONVERTED],
            permission=CHANGE_SUGGESTION,
            service=f"{SERVICES}.suggestion_triage",
            form=f"{FORMS}.TriageForm",
            serializer=f"{SERIALIZERS}.SuggestionTriageSerializer",
            event_type=EventType.SUGGESTION_TRIAGED,
            success=_("已处理"),
            template="feedback/_triage_action.html",
            max_queries=56,  # issue 17: converting opens a whole complaint (number, SLA, events; measured 48)
            summary="分类处理：归类为建议、转为投诉（投诉模块启用时）或关闭",
            errors={"complaint.unavailable": "投诉模块未启用（400）"},
        ),
        _decision("classify", _("归类为建议"), [G.NEW], G.TRIAGED),
        _decision("convert", _("转为投诉"), [G.NEW, G.TRIAGED], G.CONVERTED),
        _decision("close", _("关闭"), [G.NEW, G.TRIAGED, G.CONVERTED], G.CLOSED),
    ],
)

# The step each triage decision takes.
TRIAGE_STEPS = {"suggestion": "classify", "complaint": "convert", "close": "close"}
