"""The status of an item of customer property 顾客财产 (CPR-1; seed 004 §4.5), declared once (core.workflow).

    held ──return──▶ returned
     │ ▲──────────────┤
     ├──lost──▶ lost ──return (found again and handed back)──▶ returned
     └──damaged──▶ damaged ──lost──▶ lost
                     └──return──▶ returned
    returned is final.

Two actions: `return` (hand the item back) and `report-incident` (a loss, damage or unfitness, reported to
the customer's owner and kept on record; page `property/<pk>/incident/`, API
`POST /customer-property/{id}/report-incident/`). The report's kind decides whether the status follows: the
moves it may make from each state are the steps `mark-lost` and `mark-damaged` (`page=False, api=False`: no
button or endpoint of their own), which is what the transition table is derived from — so a damage report
on an item already lost is refused, as before.
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, State, Workflow

# The answer of `report-incident` is the incident, not the item; the schema needs the class itself (the
# kernel does not resolve a dotted path there).
from .api.serializers import PropertyIncidentSerializer
from .choices import EventType, IncidentKind
from .choices import PropertyStatus as P

SERVICES = "salesservice.customers.services"
SERIALIZERS = "salesservice.customers.api.serializers"
REPORT = "customers.report_property_incident"


def _step(name: str, label, sources, target) -> Action:
    """A status an incident report moves the item to (no page button or API endpoint of its own)."""
    return Action(
        name,
        label,
        sources=sources,
        target=target,
        permission=REPORT,
        service=f"{SERVICES}.property_report_incident",
        event_type=EventType.PROPERTY_INCIDENT,
        versioned=False,
        page=False,
        api=False,
    )


PROPERTY_WORKFLOW = Workflow(
    "customers.CustomerProperty",
    id_kwarg="property_id",
    detail_url="customers:property-detail",
    action_url="customers:property-action",
    states=[
        State(P.HELD, "bg-blue-lt"),
        State(P.RETURNED, "bg-green-lt", terminal=True),
        State(P.LOST, "bg-red-lt"),
        State(P.DAMAGED, "bg-red-lt"),
    ],
    actions=[
        Action(
            "return",
            _("登记归还"),
            sources=[P.HELD, P.DAMAGED, P.LOST],
            target=P.RETURNED,
            permission="customers.change_customerproperty",
            service=f"{SERVICES}.property_return",
            serializer=f"{SERIALIZERS}.PropertyReturnRequestSerializer",
            event_type=EventType.PROPERTY_RETURNED,
            success=_("已登记归还"),
            confirm=_("确认已归还客户？"),
            style="outline-success",
            template="customers/_property_return_action.html",
            versioned=False,
            summary="归还顾客财产",
        ),
        Action(
            "report-incident",
            _("报告丢失/损坏"),
            sources=[P.HELD, P.DAMAGED, P.LOST],
            permission=REPORT,
            service=f"{SERVICES}.property_report_incident",
            form="salesservice.customers.forms.IncidentForm",
            serializer=f"{SERIALIZERS}.PropertyIncidentRequestSerializer",
            event_type=EventType.PROPERTY_INCIDENT,
            success=_("已报告并通知客户负责人"),
            style="outline-danger",
            template="customers/_property_incident_action.html",
            versioned=False,
            summary="报告顾客财产丢失/损坏（通知客户负责人并存档）",
            errors={"property.already_returned": "该财产已归还客户"},
            response_serializer=PropertyIncidentSerializer,
            response_status=201,
        ),
        _step("mark-lost", _("记为丢失"), [P.HELD, P.DAMAGED], P.LOST),
        _step("mark-damaged", _("记为损坏"), [P.HELD], P.DAMAGED),
    ],
)

# The step an incident report of each kind takes (an unfit item keeps its status).
INCIDENT_STEPS = {IncidentKind.LOST: "mark-lost", IncidentKind.DAMAGED: "mark-damaged"}
