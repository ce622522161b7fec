"""The nonconformance record on the document kernel: the declared workflow gives the same transition table
as the hand-written one it replaced; the record page shows exactly the action forms the user may use in
each state; the API action endpoints are documented with their request bodies and honour If-Match."""

import re

import pytest
from django.urls import reverse

from salesservice.core.workflow import REGISTRY
from salesservice.returns.tests.factories import advance, make_return, user

from .. import services
from ..choices import NonconformanceStatus as N
from ..models import Nonconformance
from ..workflows import NONCONFORMANCE_WORKFLOW

# The table choices.TRANSITIONS held before the workflow was declared: a disposition can be revised until
# the record is closed; closed is final.
OLD_TRANSITIONS = {
    N.OPEN: {N.DISPOSITIONED},
    N.DISPOSITIONED: {N.DISPOSITIONED, N.CLOSED},
    N.CLOSED: set(),
}
ACTIONS = {"dispose", "close"}


def test_derived_transition_table_equals_the_old_one():
    assert NONCONFORMANCE_WORKFLOW.transitions == OLD_TRANSITIONS
    assert REGISTRY["inspection.Nonconformance"] is NONCONFORMANCE_WORKFLOW
    assert NONCONFORMANCE_WORKFLOW.terminal_states == (N.CLOSED,)
    for action in NONCONFORMANCE_WORKFLOW.actions.values():
        assert callable(action.get_service()) and action.get_form() and action.get_serializer()
        assert action.permission == "inspection.change_nonconformance" and action.event_type


@pytest.fixture
def nc(demo):
    request = advance(make_return(reason="quality"), "inspected", quality_problem=True)
    return Nonconformance.objects.get(source_return=request)


def _buttons(html: str) -> set[str]:
    return {name for name in re.findall(r'id="([a-z-]+)-button"', html) if name in ACTIONS}


def _page(web_for, username, nc) -> str:
    return web_for(username).get(reverse("inspection:nonconformance-detail", args=[nc.pk])).content.decode()


@pytest.mark.django_db
def test_detail_page_shows_exactly_the_actions_allowed_now(nc, web_for):
    qa = user("qa_inspector")
    assert _buttons(_page(web_for, "qa_inspector", nc)) == {"dispose"}
    assert _buttons(_page(web_for, "xuhui_cs", nc)) == set()  # may read the store's record, not dispose of it
    html = _page(web_for, "qa_inspector", nc)
    assert 'id="close-form"' not in html and 'data-status="open"' in html and "bg-orange-lt" in html
    services.nonconformance_dispose(actor=qa, nonconformance_id=nc.pk, disposition="rework")
    html = _page(web_for, "qa_inspector", nc)
    assert _buttons(html) == {"dispose", "close"}
    assert "修改处置" in html and 'data-confirm="处置已执行，确定关闭？"' in html
    assert re.search(r'<option value="rework" selected>', html)  # a revision starts from the disposition
    assert _buttons(_page(web_for, "xuhui_cs", nc)) == set()
    services.nonconformance_close(actor=qa, nonconformance_id=nc.pk)
    html = _page(web_for, "qa_inspector", nc)
    assert _buttons(html) == set() and 'id="dispose-form"' not in html and 'data-status="closed"' in html


@pytest.mark.django_db
def test_page_actions_close_with_a_message_and_refuse_the_unpermitted(nc, web_for):
    client = web_for("qa_inspector")
    action = "inspection:nonconformance-action"
    client.post(reverse(action, args=[nc.pk, "dispose"]), {"disposition": "scrap", "version": nc.version})
    response = client.post(reverse(action, args=[nc.pk, "close"]), {"note": "已报废", "version": 2}, follow=True)
    assert "已关闭" in response.content.decode()
    assert Nonconformance.objects.get(pk=nc.pk).status == N.CLOSED
    other = advance(make_return(reason="quality"), "inspected", quality_problem=True).nonconformances.get()
    refused = web_for("xuhui_cs").post(
        reverse(action, args=[other.pk, "dispose"]), {"disposition": "scrap"}, follow=True
    )
    assert "没有权限" in refused.content.decode()
    assert Nonconformance.objects.get(pk=other.pk).status == N.OPEN
    assert web_for("tianhe_cs").post(reverse(action, args=[other.pk, "dispose"])).status_code == 404


@pytest.mark.django_db
def test_list_badges_come_from_the_workflow(nc, web_for):
    html = web_for("qa_inspector").get(reverse("inspection:nonconformances")).content.decode()
    assert str(NONCONFORMANCE_WORKFLOW.badge(N.OPEN)) in html


@pytest.mark.django_db
def test_api_actions_are_in_the_schema_with_their_request_bodies(demo, api_for):
    schema = api_for("qa_inspector").get("/api/v1/schema/?format=json").json()
    for name, body in (("dispose", "NonconformanceDisposeRequest"), ("close", "NonconformanceCloseRequest")):
        operation = schema["paths"][f"/api/v1/nonconformances/{{id}}/{name}/"]["post"]
        assert operation["tags"] == ["inspection"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith(f"/{body}"), (name, ref)
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert answer.endswith("/Nonconformance")
        assert {"400", "403", "404", "409"} <= set(operation["responses"])


@pytest.mark.django_db
def test_api_actions_honour_if_match(nc, api_for):
    url = f"/api/v1/nonconformances/{nc.pk}/dispose/"
    qa = api_for("qa_inspector")
    stale = qa.post(url, {"disposition": "scrap"}, format="json", HTTP_IF_MATCH='"9"')
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"
    ok = qa.post(url, {"disposition": "scrap"}, format="json", HTTP_IF_MATCH=f'"{nc.version}"')
    assert ok.status_code == 200 and ok.json()["status"] == "dispositioned"
    assert ok.json()["source_return_number"].startswith("RT-")
    early = qa.post(f"/api/v1/nonconformances/{nc.pk}/close/", {"version": 1}, format="json")
    assert early.status_code == 409 and early.json()["code"] == "conflict.stale"
