"""The document kernel (issue 11): a document declared once — `tests/workflow_app/workflows.py` — gets its
transition check, page buttons, page action handler, API action endpoints with schema, badges, events and
audit entries with no other code."""

import pytest
from auditlog.models import LogEntry

from salesservice.core.exceptions import InvalidTransition
from salesservice.core.models import Event
from salesservice.core.workflow import REGISTRY, workflow_for
from tests.workflow_app.models import Ticket
from tests.workflow_app.workflows import TICKET_WORKFLOW


@pytest.fixture
def ticket(demo):
    return Ticket.objects.create(title="打印机报修", org_unit=demo["sh-xuhui"])


def test_transition_table_is_derived_from_the_actions():
    assert TICKET_WORKFLOW.transitions == {key: set(value) for key, value in Ticket.TRANSITIONS.items()}
    assert REGISTRY["workflow_app.Ticket"] is TICKET_WORKFLOW
    assert TICKET_WORKFLOW.terminal_states == ("done", "cancelled")


@pytest.mark.django_db
def test_badge_colour_and_label_come_from_the_state(ticket):
    html = str(workflow_for(ticket).badge("done"))
    assert 'class="badge bg-green-lt"' in html and "完成" in html and 'data-status="done"' in html


@pytest.mark.django_db
def test_page_shows_only_the_buttons_the_user_may_press_now(ticket, web_for):
    page = web_for("xuhui_cs").get(f"/test-tickets/{ticket.pk}/").content.decode()
    assert 'id="start-button"' in page and 'data-status="open"' in page
    assert 'id="finish-button"' not in page  # not from "open"
    assert 'id="cancel-button"' not in page  # the CS rep lacks the permission


@pytest.mark.django_db
def test_page_action_moves_the_status_with_event_and_audit_entry(ticket, web_for, users):
    client = web_for("xuhui_cs")
    response = client.post(f"/test-tickets/{ticket.pk}/start/", {"version": ticket.version}, follow=True)
    assert "已开始处理" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "working" and ticket.version == 2
    events = set(Event.objects.filter(target_id=str(ticket.pk)).values_list("event_type", flat=True))
    assert events == {"core.status_changed", "workflow_app.ticket_started"}
    assert LogEntry.objects.get_for_object(ticket).filter(actor=users["xuhui_cs"]).exists()
    page = client.get(f"/test-tickets/{ticket.pk}/").content.decode()
    assert 'id="finish-form"' in page and 'name="resolution"' in page  # the action's form, rendered


@pytest.mark.django_db
def test_page_action_refuses_a_stale_version_and_changes_nothing(ticket, web_for):
    response = web_for("xuhui_cs").post(f"/test-tickets/{ticket.pk}/start/", {"version": 7}, follow=True)
    assert "记录已被他人修改" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "open" and not Event.objects.exists()


@pytest.mark.django_db
def test_page_action_out_of_scope_is_404(ticket, web_for):
    assert web_for("tianhe_cs").post(f"/test-tickets/{ticket.pk}/start/").status_code == 404
    assert web_for("tianhe_cs").get(f"/test-tickets/{ticket.pk}/").status_code == 404


@pytest.mark.django_db
def test_api_actions_check_input_guard_version_and_permission(ticket, api_for):
    api = api_for("xuhui_cs")
    url = f"/api/v1/test-tickets/{ticket.pk}"
    assert api.post(f"{url}/finish/", {}, format="json").status_code == 400  # no resolution
    refused = api.post(f"{url}/finish/", {"resolution": "好了"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "status.invalid_transition"
    started = api.post(f"{url}/start/", {}, format="json", HTTP_IF_MATCH='"1"')
    assert started.status_code == 200 and started.json()["status"] == "working"
    stale = api.post(f"{url}/finish/", {"resolution": "好了"}, format="json", HTTP_IF_MATCH='W/"1"')
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"
    assert api.post(f"{url}/cancel/", {"reason": "x"}, format="json").status_code == 403
    assert api_for("tianhe_cs").post(f"{url}/start/", {}, format="json").status_code == 404
    done = api.post(f"{url}/finish/", {"resolution": "换了硒鼓", "version": 2}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done" and done.json()["resolution"] == "换了硒鼓"
    event = Event.objects.get(event_type="workflow_app.ticket_finished")
    assert event.new == {"resolution": "换了硒鼓"}


@pytest.mark.django_db
def test_a_guard_refuses_with_its_own_code(demo, api_for):
    blocked = Ticket.objects.create(title="阻塞：等备件", org_unit=demo["sh-xuhui"], status="working")
    response = api_for("xuhui_cs").post(
        f"/api/v1/test-tickets/{blocked.pk}/finish/", {"resolution": "x"}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "ticket.blocked"
    blocked.refresh_from_db()
    assert blocked.status == "working"
    with pytest.raises(InvalidTransition):
        TICKET_WORKFLOW.check(blocked, "finish")


@pytest.mark.django_db
def test_api_schema_documents_every_action_with_its_body(api_for):
    schema = api_for("xuhui_cs").get("/api/v1/schema/?format=json").json()
    for name in ("start", "finish", "cancel"):
        assert f"/api/v1/test-tickets/{{id}}/{name}/" in schema["paths"]
    finish = schema["paths"]["/api/v1/test-tickets/{id}/finish/"]["post"]
    body = finish["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/FinishRequest")
    assert "ticket.blocked" in finish["responses"]["409"]["description"]
