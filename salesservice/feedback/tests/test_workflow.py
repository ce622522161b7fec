"""Follow-ups and suggestions on the document kernel: the declared workflows give the same transition tables
as the hand-written ones they replaced; the record pages show exactly the actions the user may take in each
state; the API action endpoints are documented with their request bodies."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from salesservice.core.workflow import REGISTRY, workflow_for

from .. import services
from ..choices import FollowUpStatus as F
from ..choices import SuggestionStatus as G
from ..models import FollowUp, Suggestion
from ..workflows import FOLLOW_UP_WORKFLOW, SUGGESTION_WORKFLOW
from .factories import follow_up, store, user

# The tables choices.FOLLOW_UP_TRANSITIONS and choices.SUGGESTION_TRANSITIONS held before the workflows.
OLD_FOLLOW_UP_TRANSITIONS = {
    F.SCHEDULED: {F.DONE, F.UNREACHABLE, F.CLOSED},
    F.UNREACHABLE: {F.DONE, F.CLOSED},
    F.DONE: {F.CLOSED},
    F.CLOSED: set(),
}
OLD_SUGGESTION_TRANSITIONS = {
    G.NEW: {G.TRIAGED, G.CONVERTED, G.CLOSED},
    G.TRIAGED: {G.CONVERTED, G.CLOSED},
    G.CONVERTED: {G.CLOSED},
    G.CLOSED: set(),
}
FOLLOW_UP_ACTIONS = {"attempt", "complete", "close", "open-request", "open-complaint"}


def test_derived_transition_tables_equal_the_old_ones():
    assert FOLLOW_UP_WORKFLOW.transitions == OLD_FOLLOW_UP_TRANSITIONS
    assert SUGGESTION_WORKFLOW.transitions == OLD_SUGGESTION_TRANSITIONS
    assert (
        REGISTRY["feedback.FollowUp"] is FOLLOW_UP_WORKFLOW and REGISTRY["feedback.Suggestion"] is SUGGESTION_WORKFLOW
    )
    assert set(FOLLOW_UP_WORKFLOW.states) == set(F.values) and set(SUGGESTION_WORKFLOW.states) == set(G.values)
    assert FOLLOW_UP_WORKFLOW.terminal_states == (F.CLOSED,) and SUGGESTION_WORKFLOW.terminal_states == (G.CLOSED,)
    assert {a.name for a in FOLLOW_UP_WORKFLOW.actions.values() if a.page} == FOLLOW_UP_ACTIONS
    assert {a.name for a in SUGGESTION_WORKFLOW.actions.values() if a.page or a.api} == {"triage"}


def _buttons(html: str, names) -> set[str]:
    return {name for name in re.findall(r'id="([a-z-]+)-button"', html) if name in names}


def _in_state(state: str) -> FollowUp:
    fu = follow_up()
    cs = user("xuhui_cs")
    if state == F.UNREACHABLE:
        services.follow_up_record_attempt(actor=cs, follow_up_id=fu.pk, channel="phone", reached=False, give_up=True)
    if state in (F.DONE, F.CLOSED):
        services.follow_up_complete(actor=cs, follow_up_id=fu.pk, outcome="满意", satisfaction=5)
    if state == F.CLOSED:
        services.follow_up_close(actor=cs, follow_up_id=fu.pk)
    fu.refresh_from_db()
    assert fu.status == state
    return fu


def _opening() -> set[str]:
    """The issue actions: a new service request always, a complaint when the complaints app is there."""
    return {"open-request"} | ({"open-complaint"} if services.complaint_create_function() else set())


# state → the actions of a CS rep (who may also open service requests and complaints).
EXPECTED = {
    F.SCHEDULED: {"attempt", "complete", "close"},
    F.UNREACHABLE: {"attempt", "complete", "close"},
    F.DONE: {"close"},
    F.CLOSED: set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(EXPECTED))
def test_follow_up_page_shows_exactly_the_actions_allowed_now(demo, web_for, state):
    fu = _in_state(state)
    url = reverse("feedback:follow-up-detail", args=[fu.pk])
    html = web_for("xuhui_cs").get(url).content.decode()
    assert _buttons(html, FOLLOW_UP_ACTIONS) == EXPECTED[state] | _opening(), state
    for name in FOLLOW_UP_ACTIONS - EXPECTED[state] - _opening():
        assert f'id="{name}-form"' not in html
    assert 'id="status-badge"' in html and f'data-status="{state}"' in html
    assert FOLLOW_UP_WORKFLOW.color(state) in html
    for reader in ("auditor", "qa_inspector"):  # may read follow-ups, not act on them
        assert _buttons(web_for(reader).get(url).content.decode(), FOLLOW_UP_ACTIONS) == set(), reader


@pytest.mark.django_db
def test_opening_a_record_needs_the_permission_to_create_it_and_happens_once(demo, web_for, users):
    fu = follow_up()
    auditor = users["auditor"]
    auditor.user_permissions.add(Permission.objects.get(codename="change_followup"))
    url = reverse("feedback:follow-up-detail", args=[fu.pk])
    assert _buttons(web_for("auditor").get(url).content.decode(), FOLLOW_UP_ACTIONS) == {"attempt", "complete", "close"}
    client = web_for("xuhui_cs")
    opened = client.post(
        reverse("feedback:follow-up-action", args=[fu.pk, "open-request"]), {"description": "异响"}, follow=True
    )
    assert "已转为服务单" in opened.content.decode()
    assert "open-request" not in _buttons(client.get(url).content.decode(), FOLLOW_UP_ACTIONS)


@pytest.mark.django_db
def test_follow_up_page_forms_keep_their_ids_and_the_give_up_step_has_no_page(demo, web_for):
    fu = follow_up()
    client = web_for("xuhui_cs")
    html = client.get(reverse("feedback:follow-up-detail", args=[fu.pk])).content.decode()
    for element in ('id="attempt-channel"', 'id="attempt-give-up"', 'id="satisfaction-5"', 'id="complete-outcome"'):
        assert element in html
    assert 'placeholder="未完成回访须填写原因"' in html and 'data-confirm="确定关闭该回访？"' in html
    assert client.post(reverse("feedback:follow-up-action", args=[fu.pk, "give-up"])).status_code == 404
    given_up = client.post(
        reverse("feedback:follow-up-action", args=[fu.pk, "attempt"]),
        {"channel": "phone", "note": "关机", "give_up": "on"},
        follow=True,
    )
    assert "已登记回访尝试" in given_up.content.decode()
    assert FollowUp.objects.get(pk=fu.pk).status == F.UNREACHABLE


def _entry(state: str) -> Suggestion:
    entry = services.suggestion_submit(name="王女士", store=store("sh-xuhui"), kind="suggestion", text="延长营业时间")
    decision = {G.TRIAGED: "suggestion", G.CLOSED: "close"}.get(state)
    if decision:
        services.suggestion_triage(actor=user("xuhui_cs"), suggestion_id=entry.pk, decision=decision)
    entry.refresh_from_db()
    return entry


@pytest.mark.django_db
@pytest.mark.parametrize("state, shown", [(G.NEW, True), (G.TRIAGED, True), (G.CLOSED, False)])
def test_suggestion_page_shows_the_triage_while_the_entry_is_open(demo, web_for, state, shown):
    entry = _entry(state)
    url = reverse("feedback:suggestion-detail", args=[entry.pk])
    html = web_for("xuhui_cs").get(url).content.decode()
    assert _buttons(html, {"triage"}) == ({"triage"} if shown else set())
    assert f'data-status="{state}"' in html and SUGGESTION_WORKFLOW.color(state) in html
    if shown:
        assert ('value="complaint"' in html) == bool(services.complaint_create_function())
    assert _buttons(web_for("auditor").get(url).content.decode(), {"triage"}) == set()


@pytest.mark.django_db
def test_triage_at_the_workflow_action_url(demo, web_for):
    entry = _entry(G.NEW)
    client = web_for("xuhui_cs")
    html = client.get(reverse("feedback:suggestion-detail", args=[entry.pk])).content.decode()
    action = reverse("feedback:suggestion-action", args=[entry.pk, "triage"])
    assert f'action="{action}"' in html
    done = client.post(action, {"decision": "close", "note": "已回复客户", "version": entry.version}, follow=True)
    assert "已处理" in done.content.decode()
    assert Suggestion.objects.get(pk=entry.pk).status == G.CLOSED
    again = client.post(action, {"decision": "close", "version": entry.version + 1}, follow=True)
    assert "不能从" in again.content.decode()
    assert client.post(reverse("feedback:suggestion-action", args=[entry.pk, "close"])).status_code == 404


@pytest.mark.django_db
def test_list_badges_come_from_the_workflows(demo, web_for):
    fu = _in_state(F.UNREACHABLE)
    _entry(G.TRIAGED)
    client = web_for("xuhui_cs")
    assert str(FOLLOW_UP_WORKFLOW.badge(F.UNREACHABLE)) in client.get(reverse("feedback:follow-ups")).content.decode()
    assert str(SUGGESTION_WORKFLOW.badge(G.TRIAGED)) in client.get(reverse("feedback:suggestions")).content.decode()
    assert workflow_for(fu) is FOLLOW_UP_WORKFLOW


@pytest.mark.django_db
def test_api_actions_are_in_the_schema_with_their_request_bodies(demo, api_for):
    schema = api_for("xuhui_cs").get("/api/v1/schema/?format=json").json()
    bodies = {
        "follow-ups/{id}/attempt": ("FollowUpAttemptWriteRequest", "FollowUpDetail"),
        "follow-ups/{id}/complete": ("FollowUpCompleteRequest", "FollowUpDetail"),
        "follow-ups/{id}/close": ("FollowUpCloseRequest", "FollowUpDetail"),
        "suggestions/{id}/triage": ("SuggestionTriageRequest", "Suggestion"),
    }
    for path, (body, answer) in bodies.items():
        operation = schema["paths"][f"/api/v1/{path}/"]["post"]
        assert operation["tags"] == ["feedback"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith(f"/{body}"), (path, ref)
        answered = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert answered.endswith(f"/{answer}"), (path, answered)
        assert {"400", "403", "404", "409"} <= set(operation["responses"])
    # The issue actions keep their own endpoints (they answer 201 with the new record); the steps have none.
    for path in ("/api/v1/follow-ups/{id}/open-service-request/", "/api/v1/follow-ups/{id}/open-complaint/"):
        assert "201" in schema["paths"][path]["post"]["responses"]
    steps = ("give-up", "classify", "convert", "open-request")
    assert not [p for p in schema["paths"] if any(p.endswith(f"/{step}/") for step in steps)]


@pytest.mark.django_db
def test_api_actions_honour_if_match(demo, api_for):
    fu = follow_up()
    url = f"/api/v1/follow-ups/{fu.pk}/complete/"
    body = {"outcome": "满意", "satisfaction": 5}
    stale = api_for("xuhui_cs").post(url, body, format="json", HTTP_IF_MATCH=f'"{fu.version + 1}"')
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"
    ok = api_for("xuhui_cs").post(url, body, format="json", HTTP_IF_MATCH=f'W/"{fu.version}"')
    assert ok.status_code == 200 and ok.json()["status"] == "done" and len(ok.json()["attempts"]) == 1
