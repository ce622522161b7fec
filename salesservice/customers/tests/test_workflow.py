"""Customer property on the document kernel: the declared workflow gives the same transition table as the
hand-written one it replaced; the customer's page shows exactly the item actions the user may take in each
state; the API actions are documented with their request bodies."""

import re

import pytest

from salesservice.core.exceptions import InvalidTransition
from salesservice.core.workflow import REGISTRY, workflow_for

from .. import services
from ..choices import IncidentKind
from ..choices import PropertyStatus as P
from ..models import CustomerProperty
from ..workflows import PROPERTY_WORKFLOW
from .factories import CustomerFactory, PropertyFactory

# The table choices.PROPERTY_TRANSITIONS held before the workflow was declared (CPR-1).
OLD_TRANSITIONS = {
    P.HELD: {P.RETURNED, P.LOST, P.DAMAGED},
    P.DAMAGED: {P.RETURNED, P.LOST},
    P.LOST: {P.RETURNED},  # found again and handed back
    P.RETURNED: set(),
}
ACTIONS = {"return", "report-incident"}


def test_derived_transition_table_equals_the_old_one():
    assert PROPERTY_WORKFLOW.transitions == OLD_TRANSITIONS
    assert REGISTRY["customers.CustomerProperty"] is PROPERTY_WORKFLOW
    assert set(PROPERTY_WORKFLOW.states) == set(P.values)
    assert PROPERTY_WORKFLOW.terminal_states == (P.RETURNED,)
    assert {a.name for a in PROPERTY_WORKFLOW.actions.values() if a.page or a.api} == ACTIONS


@pytest.mark.django_db
def test_a_damage_report_on_a_lost_item_is_still_refused(users):
    item = PropertyFactory(status=P.LOST)
    with pytest.raises(InvalidTransition):
        services.property_report_incident(
            actor=users["xuhui_cs"], property_id=item.pk, kind=IncidentKind.DAMAGED, description="外壳破裂"
        )
    services.property_report_incident(
        actor=users["xuhui_cs"], property_id=item.pk, kind=IncidentKind.UNFIT, description="型号不符"
    )
    item.refresh_from_db()
    assert item.status == P.LOST and item.incidents.count() == 1


def _buttons(html: str, item) -> set[str]:
    return set(re.findall(rf'id="(return|report-incident)-button-{item.pk}"', html))


# (state, user) → the item actions shown on the customer's page. CS reps return and report; the auditor reads.
EXPECTED = {
    P.HELD: {"xuhui_cs": ACTIONS, "auditor": set()},
    P.DAMAGED: {"xuhui_cs": ACTIONS, "auditor": set()},
    P.LOST: {"xuhui_cs": ACTIONS, "auditor": set()},
    P.RETURNED: {"xuhui_cs": set(), "auditor": set()},
}


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(EXPECTED))
def test_customer_page_shows_exactly_the_item_actions_allowed_now(demo, web_for, state):
    item = PropertyFactory(status=state)
    for username, expected in EXPECTED[state].items():
        response = web_for(username).get(f"/customers/{item.customer_id}/?tab=property")
        assert response.status_code == 200, username
        html = response.content.decode()
        assert _buttons(html, item) == expected, (state, username)
        assert f'data-status="{state}"' in html and PROPERTY_WORKFLOW.color(state) in html


@pytest.mark.django_db
def test_page_actions_at_the_old_addresses_go_back_to_the_customer(demo, web_for):
    item = PropertyFactory(customer=CustomerFactory())
    client = web_for("xuhui_cs")
    html = client.get(f"/customers/{item.customer_id}/?tab=property").content.decode()
    assert f'action="/customers/property/{item.pk}/return/"' in html
    assert f'action="/customers/property/{item.pk}/incident/"' in html and 'data-confirm="确认已归还客户？"' in html
    reported = client.post(f"/customers/property/{item.pk}/incident/", {"kind": "damaged", "description": "屏幕碎裂"})
    assert reported.status_code == 302
    page = client.get(reported["Location"], follow=True)
    assert page.redirect_chain[-1][0] == f"/customers/{item.customer_id}/?tab=property"
    assert "已报告并通知客户负责人" in page.content.decode()
    assert CustomerProperty.objects.get(pk=item.pk).status == P.DAMAGED
    returned = client.post(f"/customers/property/{item.pk}/return/", follow=True)
    assert "已登记归还" in returned.content.decode()
    again = client.post(f"/customers/property/{item.pk}/return/", follow=True)
    assert "不能从" in again.content.decode()
    assert CustomerProperty.objects.get(pk=item.pk).status == P.RETURNED
    assert web_for("tianhe_cs").post(f"/customers/property/{item.pk}/return/").status_code == 404
    assert client.post(f"/customers/property/{item.pk}/mark-lost/").status_code == 404


@pytest.mark.django_db
def test_register_badges_come_from_the_workflow(demo, web_for):
    PropertyFactory(status=P.DAMAGED)
    html = web_for("xuhui_cs").get("/customers/property/").content.decode()
    assert str(PROPERTY_WORKFLOW.badge(P.DAMAGED)) in html
    assert workflow_for(CustomerProperty) is PROPERTY_WORKFLOW


@pytest.mark.django_db
def test_api_actions_are_in_the_schema_with_their_request_bodies(demo, api_for):
    schema = api_for("xuhui_cs").get("/api/v1/schema/?format=json").json()
    expected = {
        "return": ("PropertyReturnRequestRequest", "200", "CustomerProperty"),
        "report-incident": ("PropertyIncidentRequestRequest", "201", "PropertyIncident"),
    }
    for name, (body, code, answer) in expected.items():
        operation = schema["paths"][f"/api/v1/customer-property/{{id}}/{name}/"]["post"]
        assert operation["tags"] == ["customers"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith(f"/{body}"), (name, ref)
        answered = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
        assert answered.endswith(f"/{answer}"), (name, answered)
        assert {"403", "404", "409"} <= set(operation["responses"])
    assert not [path for path in schema["paths"] if "/customer-property/{id}/mark-" in path]
