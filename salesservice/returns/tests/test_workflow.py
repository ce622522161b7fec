"""The return request on the document kernel: the declared workflow gives the same transition table as the
hand-written one it replaced; the request page shows exactly the action forms the user may use in each
state; the API action endpoints are documented with their request bodies and honour If-Match."""

import re

import pytest
from django.urls import reverse

from salesservice.core.workflow import REGISTRY, workflow_for

from ..choices import ReturnStatus as R
from ..models import ReturnRequest
from ..workflows import RETURN_WORKFLOW
from .factories import advance, make_return

# The table choices.TRANSITIONS held before the workflow was declared (DESIGN §4, seed 000 退換貨處理).
OLD_TRANSITIONS = {
    R.REQUESTED: {R.APPROVED, R.REJECTED, R.CANCELLED},
    R.APPROVED: {R.GOODS_RECEIVED, R.CANCELLED},
    R.GOODS_RECEIVED: {R.INSPECTED},
    R.INSPECTED: {R.REFUNDED, R.EXCHANGED, R.REPAIRED, R.CLOSED},
    R.REFUNDED: {R.CLOSED},
    R.EXCHANGED: {R.CLOSED},
    R.REPAIRED: {R.CLOSED},
    R.REJECTED: set(),
    R.CLOSED: set(),
    R.CANCELLED: set(),
}
ACTIONS = {"approve", "reject", "receive", "inspect", "refund", "exchange", "repair", "close", "cancel"}


def test_derived_transition_table_equals_the_old_one():
    assert RETURN_WORKFLOW.transitions == OLD_TRANSITIONS
    assert REGISTRY["returns.ReturnRequest"] is RETURN_WORKFLOW
    assert set(RETURN_WORKFLOW.states) == set(R.values)
    assert set(RETURN_WORKFLOW.terminal_states) == {R.REJECTED, R.CLOSED, R.CANCELLED}
    assert set(RETURN_WORKFLOW.actions) == ACTIONS


def test_every_action_names_its_service_form_serializer_and_event():
    for action in RETURN_WORKFLOW.actions.values():
        assert callable(action.get_service()) and action.get_form() and action.get_serializer()
        assert action.permission and action.event_type and action.success


@pytest.fixture
def _org(demo):
    return demo


def _buttons(html: str) -> set[str]:
    return {name for name in re.findall(r'id="([a-z-]+)-button"', html) if name in ACTIONS}


# (state, user) → the action forms shown. The manager approves; the CS desk settles; the warehouse and QA
# receive, inspect and cancel; the auditor only reads.
EXPECTED = {
    "requested": {
        "xuhui_manager": {"approve", "reject", "cancel"},
        "xuhui_cs": {"cancel"},
        "warehouse_clerk": {"cancel"},
        "auditor": set(),
    },
    "approved": {
        "xuhui_manager": {"receive", "cancel"},
        "xuhui_cs": {"receive", "cancel"},
        "warehouse_clerk": {"receive", "cancel"},
        "auditor": set(),
    },
    "goods_received": {"xuhui_cs": {"inspect"}, "qa_inspector": {"inspect"}, "auditor": set()},
    "inspected": {
        "xuhui_manager": {"refund", "exchange", "repair", "close"},
        "xuhui_cs": {"refund", "exchange", "repair", "close"},
        "qa_inspector": set(),
        "warehouse_clerk": set(),
    },
    "refunded": {"xuhui_cs": {"close"}, "warehouse_clerk": set()},
    "closed": {"xuhui_manager": set(), "xuhui_cs": set()},
    "rejected": {"xuhui_manager": set()},
    "cancelled": {"xuhui_manager": set()},
}


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(EXPECTED))
def test_detail_page_shows_exactly_the_actions_allowed_now(_org, web_for, state):
    created = make_return()
    if state != "requested":
        advance(created, state)
    created.refresh_from_db()
    assert created.status == state
    for username, expected in EXPECTED[state].items():
        html = web_for(username).get(reverse("returns:return-detail", args=[created.pk])).content.decode()
        assert _buttons(html) == expected, (state, username)
        for name in ACTIONS - expected:
            assert f'id="{name}-form"' not in html, (state, username, name)
        assert 'id="status-badge"' in html and f'data-status="{state}"' in html
        assert RETURN_WORKFLOW.color(state) in html


@pytest.mark.django_db
def test_page_forms_keep_their_fields_ids_and_confirmations(_org, web_for):
    eligible = make_return()
    ineligible = make_return(purchased_days_ago=30)
    manager = web_for("xuhui_manager")
    html = manager.get(reverse("returns:return-detail", args=[eligible.pk])).content.decode()
    assert 'name="override_reason"' not in html  # only an ineligible request asks for an override reason
    assert 'id="reject-reason"' in html and 'data-confirm="确定拒绝该退换货申请？"' in html
    assert 'data-confirm="确定取消该退换货？"' in html and 'placeholder="取消原因"' in html
    html = manager.get(reverse("returns:return-detail", args=[ineligible.pk])).content.decode()
    assert 'name="override_reason"' in html
    inspected = advance(make_return(), "inspected")
    html = web_for("xuhui_cs").get(reverse("returns:return-detail", args=[inspected.pk])).content.decode()
    assert "结案说明 *" in html and 'data-confirm="确定退款？"' in html
    assert f'action="{reverse("returns:return-action", args=[inspected.pk, "refund"])}"' in html


@pytest.mark.django_db
def test_page_inspection_with_a_quality_problem_says_a_nonconformance_was_opened(_org, web_for):
    received = advance(make_return(reason="quality"), "goods_received")
    url = reverse("returns:return-action", args=[received.pk, "inspect"])
    response = web_for("qa_inspector").post(
        url, {"version": received.version, "quality_problem": "yes", "findings": "电机烧毁"}, follow=True
    )
    assert "已检验，发现质量问题，已登记不合格品" in response.content.decode()
    assert ReturnRequest.objects.get(pk=received.pk).status == R.INSPECTED


@pytest.mark.django_db
def test_page_action_the_user_may_not_take_changes_nothing(_org, web_for):
    created = make_return()
    response = web_for("xuhui_cs").post(
        reverse("returns:return-action", args=[created.pk, "approve"]), {"version": created.version}, follow=True
    )
    assert "没有权限" in response.content.decode()
    assert ReturnRequest.objects.get(pk=created.pk).status == R.REQUESTED
    assert web_for("xuhui_cs").post(reverse("returns:return-action", args=[created.pk, "nope"])).status_code == 404


@pytest.mark.django_db
def test_list_badges_come_from_the_workflow(_org, web_for):
    advance(make_return(), "approved")
    html = web_for("xuhui_manager").get(reverse("returns:returns")).content.decode()
    assert str(RETURN_WORKFLOW.badge(R.APPROVED)) in html
    assert workflow_for(ReturnRequest) is RETURN_WORKFLOW


@pytest.mark.django_db
def test_api_actions_are_in_the_schema_with_their_request_bodies(_org, api_for):
    schema = api_for("xuhui_cs").get("/api/v1/schema/?format=json").json()
    bodies = {
        "approve": "ReturnRequestApproveRequest",
        "reject": "ReturnRequestReasonRequest",
        "receive": "ReturnRequestReceiveRequest",
        "inspect": "ReturnRequestInspectRequest",
        "refund": "ReturnRequestRefundRequest",
        "exchange": "ReturnRequestExchangeRequest",
        "repair": "ReturnRequestNoteRequest",
        "close": "ReturnRequestCloseRequest",
        "cancel": "ReturnRequestReasonRequest",
    }
    for name, body in bodies.items():
        operation = schema["paths"][f"/api/v1/returns/{{id}}/{name}/"]["post"]
        assert operation["tags"] == ["returns"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith(f"/{body}"), (name, ref)
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert answer.endswith("/ReturnRequestDetail")
        assert {"400", "403", "404", "409"} <= set(operation["responses"])


@pytest.mark.django_db
def test_api_actions_honour_if_match(_org, api_for):
    created = make_return()
    url = f"/api/v1/returns/{created.pk}/approve/"
    stale = api_for("xuhui_manager").post(url, {}, format="json", HTTP_IF_MATCH=f'"{created.version + 1}"')
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"
    ok = api_for("xuhui_manager").post(url, {}, format="json", HTTP_IF_MATCH=f'W/"{created.version}"')
    assert ok.status_code == 200 and ok.json()["status"] == "approved" and ok.json()["nonconformances"] == []
    assert ok.json()["version"] == created.version + 1
