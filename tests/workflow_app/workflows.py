"""The test-only document's whole lifecycle, declared in one place (issue 11: buttons, API actions with
schema, badges and events must follow from this alone)."""

from salesservice.core.workflow import Action, Guard, State, Workflow

NOT_BLOCKED = Guard("ticket.blocked", "标题含“阻塞”的工单不能完成", lambda ticket: "阻塞" not in ticket.title)

TICKET_WORKFLOW = Workflow(
    "workflow_app.Ticket",
    id_kwarg="ticket_id",
    states=[
        State("open", "bg-blue-lt"),
        State("working", "bg-yellow-lt"),
        State("done", "bg-green-lt", terminal=True),
        State("cancelled", "bg-secondary-lt", terminal=True),
    ],
    actions=[
        Action(
            "start",
            "开始处理",
            sources=["open"],
            target="working",
            permission="workflow_app.change_ticket",
            event_type="workflow_app.ticket_started",
            success="已开始处理",
        ),
        Action(
            "finish",
            "完成工单",
            sources=["working"],
            target="done",
            permission="workflow_app.change_ticket",
            form="tests.workflow_app.forms.FinishForm",
            serializer="tests.workflow_app.forms.FinishSerializer",
            guards=[NOT_BLOCKED],
            event_type="workflow_app.ticket_finished",
            success="已完成",
            style="success",
        ),
        Action(
            "cancel",
            "取消工单",
            sources=["open", "working"],
            target="cancelled",
            permission="workflow_app.delete_ticket",
            form="tests.workflow_app.forms.ReasonForm",
            serializer="tests.workflow_app.forms.ReasonSerializer",
            event_type="workflow_app.ticket_cancelled",
            confirm="确定取消该工单？",
            style="outline-danger",
        ),
    ],
)
