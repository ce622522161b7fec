"""The qualified-supplier list's lifecycle 合格供方名单 (SUP-2; 002 §6.3.1), declared once.

    draft ──submit──▶ submitted ──approve──▶ approved ──(a newer list is approved)──▶ superseded
      ▲                   │
      └──────return───────┘

Purchasing staff compile and submit (`change_qualifiedlist`); the purchasing manager approves or returns
(`approve_qualifiedlist`). Approving a list supersedes the one approved before it — there is one current
list at a time. The transition table, the page's action forms, the API action endpoints and the badges all
follow from this declaration (`core.workflow`).
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, State, Workflow

from .choices import EventType
from .choices import QualifiedListStatus as Q

SERVICES = "salesservice.suppliers.services"
FORMS = "salesservice.suppliers.forms"
SERIALIZERS = "salesservice.suppliers.api.serializers"

QUALIFIED_LIST_WORKFLOW = Workflow(
    "suppliers.QualifiedList",
    id_kwarg="list_id",
    detail_url="suppliers:list-detail",
    action_url="suppliers:list-action",
    states=[
        State(Q.DRAFT, "bg-blue-lt"),
        State(Q.SUBMITTED, "bg-azure-lt"),
        State(Q.APPROVED, "bg-green-lt"),
        State(Q.SUPERSEDED, "bg-secondary-lt", terminal=True),
    ],
    actions=[
        Action(
            "submit",
            _("提交审批"),
            sources=[Q.DRAFT],
            target=Q.SUBMITTED,
            permission="suppliers.change_qualifiedlist",
            service=f"{SERVICES}.qualified_list_submit",
            form=f"{FORMS}.NoteForm",
            serializer=f"{SERIALIZERS}.QualifiedListNoteSerializer",
            event_type=EventType.LIST_SUBMITTED,
            success=_("已提交审批"),
            summary=_("提交审批（名单须至少有一个条目）"),
        ),
        Action(
            "approve",
            _("批准"),
            sources=[Q.SUBMITTED],
            target=Q.APPROVED,
            permission="suppliers.approve_qualifiedlist",
            service=f"{SERVICES}.qualified_list_approve",
            form=f"{FORMS}.NoteForm",
            serializer=f"{SERIALIZERS}.QualifiedListNoteSerializer",
            event_type=EventType.LIST_APPROVED,
            success=_("已批准，成为现行合格供方名单"),
            style="success",
            confirm=_("批准后此名单成为现行名单，原现行名单被替代。确定批准？"),
            summary=_("批准（成为现行名单，替代原名单；需审批权限）"),
        ),
        Action(
            "return",
            _("退回修改"),
            sources=[Q.SUBMITTED],
            target=Q.DRAFT,
            permission="suppliers.approve_qualifiedlist",
            service=f"{SERVICES}.qualified_list_return",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.QualifiedListReasonSerializer",
            event_type=EventType.LIST_RETURNED,
            success=_("已退回"),
            style="outline-danger",
            summary=_("退回修改（须填原因；需审批权限）"),
        ),
        # Not a user's action: `qualified_list_approve` moves the previous current list here.
        Action(
            "supersede",
            _("替代"),
            sources=[Q.APPROVED],
            target=Q.SUPERSEDED,
            permission="suppliers.approve_qualifiedlist",
            service=f"{SERVICES}.qualified_list_approve",
            event_type=EventType.LIST_SUPERSEDED,
            api=False,
            page=False,
        ),
    ],
)
