"""The complaints app on the document kernel: the declared workflows give the same transition table as the
hand-written one they replaced (and the moves the compensation services made by hand); the complaint page
shows exactly the action forms the user may use in each state; the API action endpoints are documented with
their request bodies and honour If-Match."""

import re

import pytest
from django.urls import reverse

from salesservice.core.exceptions import InvalidTransition
from salesservice.core.models import Event
from salesservice.core.workflow import REGISTRY, workflow_for

from .. import compensation, services
from ..choices import CompensationRequestStatus, RecoveryStatus
from ..choices import ComplaintStatus as C
from ..models import CompensationRequest, Complaint, Recovery
from ..workflows import COMPENSATION_REQUEST_WORKFLOW, COMPLAINT_WORKFLOW, RECOVERY_WORKFLOW
from .factories import advance, close_kwargs, make_complaint, top_up, user

# The table choices.TRANSITIONS held before the workflow was declared (CMP-1 … CMP-5).
OLD_TRANSITIONS = {
    C.RECEIVED: {C.VERIFYING, C.CANCELLED, C.WITHDRAWN},
    C.VERIFYING: {C.SOLUTION_PROPOSED, C.CANCELLED, C.WITHDRAWN},
    C.SOLUTION_PROPOSED: {C.AGREED, C.SOLUTION_PROPOSED, C.WITHDRAWN},
    C.AGREED: {C.IMPLEMENTING, C.WITHDRAWN},
    C.IMPLEMENTING: {C.FEEDBACK_GIVEN},
    C.FEEDBACK_GIVEN: {C.CLOSED, C.IMPLEMENTING},
    C.CLOSED: set(),
    C.CANCELLED: set(),
    C.WITHDRAWN: set(),
}
ACTIONS = {
    "respond", "verify", "propose", "agree", "refuse", "implement", "feedback", "close", "escalate", "withdraw",
    "cancel", "improvement", "pay", "approve-payment", "reject-payment",
}  # fmt: skip


def test_derived_transition_table_equals_the_old_one():
    assert COMPLAINT_WORKFLOW.transitions == OLD_TRANSITIONS
    assert REGISTRY["complaints.Complaint"] is COMPLAINT_WORKFLOW
    assert set(COMPLAINT_WORKFLOW.states) == set(C.values)
    assert set(COMPLAINT_WORKFLOW.terminal_states) == {C.CLOSED, C.CANCELLED, C.WITHDRAWN}
    assert set(COMPLAINT_WORKFLOW.actions) == ACTIONS


def test_compensation_requests_and_recoveries_move_as_their_services_did():
    """The moves `compensation.py` made by assignment before: decided once; a recovery settled or cancelled once."""
    assert COMPENSATION_REQUEST_WORKFLOW.transitions == {
        CompensationRequestStatus.PENDING: {CompensationRequestStatus.APPROVED, CompensationRequestStatus.REJECTED},
        CompensationRequestStatus.APPROVED: set(),
        CompensationRequestStatus.REJECTED: set(),
    }
    assert RECOVERY_WORKFLOW.transitions == {
        RecoveryStatus.OPEN: {RecoveryStatus.SETTLED, RecoveryStatus.CANCELLED},
        RecoveryStatus.SETTLED: set(),
        RecoveryStatus.CANCELLED: set(),
    }
    assert workflow_for(CompensationRequest) is COMPENSATION_REQUEST_WORKFLOW
    assert workflow_for(Recovery) is RECOVERY_WORKFLOW


def test_every_action_names_its_service_permission_and_event():
    for workflow in (COMPLAINT_WORKFLOW, COMPENSATION_REQUEST_WORKFLOW, RECOVERY_WORKFLOW):
        for action in workflow.actions.values():
            assert callable(action.get_service()) and action.permission and action.event_type, action.name
            if action.page:
                assert action.get_form() is not None, action.name
            if action.api:
                assert action.get_serializer() is not None, action.name


@pytest.fixture
def _org(demo):
    return demo


@pytest.mark.django_db
def test_verify_again_records_without_a_move(_org):
    complaint = advance(make_complaint(), "verifying")
    assert COMPLAINT_WORKFLOW.check(complaint, "verify").name == "verify"
    with pytest.raises(InvalidTransition):
        COMPLAINT_WORKFLOW.move(complaint, C.VERIFYING)
    version = complaint.version
    complaint = services.complaint_verify(actor=user("xuhui_cs"), complaint_id=complaint.pk, notes="财务部答复")
    assert complaint.status == C.VERIFYING and complaint.version == version + 1
    moves = Event.objects.filter(event_type="core.status_changed", target_id=str(complaint.pk))
    assert [(e.new or {}).get("status") for e in moves.order_by("id")] == ["verifying"]


BUTTONS = ACTIONS | {"reimplement", "approve"}


def _buttons(html: str) -> set[str]:
    return {name for name in re.findall(r'id="([a-z-]+)-button"', html) if name in BUTTONS}


ALWAYS_OPEN = {"respond", "escalate", "improvement", "pay"}  # not yet answered, at the store, open
# (state, user) → the action forms shown. The CS rep handles the flow and pays within the store's limit; the
# store manager also closes; the auditor only reads.
EXPECTED = {
    "received": {
        "xuhui_cs": ALWAYS_OPEN | {"verify", "withdraw", "cancel"},
        "xuhui_manager": ALWAYS_OPEN | {"verify", "withdraw", "cancel"},
        "auditor": set(),
    },
    "verifying": {
        "xuhui_cs": ALWAYS_OPEN | {"verify", "propose", "withdraw", "cancel"},
        "auditor": set(),
    },
    "solution_proposed": {
        "xuhui_cs": ALWAYS_OPEN | {"propose", "agree", "refuse", "withdraw"},
        "auditor": set(),
    },
    "agreed": {"xuhui_cs": ALWAYS_OPEN | {"implement", "withdraw"}, "auditor": set()},
    "implementing": {"xuhui_cs": ALWAYS_OPEN | {"feedback"}, "auditor": set()},
    "feedback_given": {
        "xuhui_cs": ALWAYS_OPEN | {"reimplement"},
        "xuhui_manager": ALWAYS_OPEN | {"reimplement", "close"},
        "auditor": set(),
    },
    "closed": {"xuhui_cs": {"improvement"}, "xuhui_manager": {"improvement"}, "auditor": set()},
    "cancelled": {"xuhui_cs": set(), "xuhui_manager": set()},
    "withdrawn": {"xuhui_cs": set(), "xuhui_manager": set()},
}


def _in_state(state: str) -> Complaint:
    complaint = make_complaint()
    if state == "closed":
        complaint = advance(complaint, "feedback_given")
        services.complaint_close(actor=user("xuhui_manager"), complaint_id=complaint.pk, **close_kwargs())
    elif state == "cancelled":
        services.complaint_cancel(actor=user("xuhui_cs"), complaint_id=complaint.pk, reason="重复登记")
    elif state == "withdrawn":
        services.complaint_withdraw(actor=user("xuhui_cs"), complaint_id=complaint.pk, reason="客户撤诉")
    elif state != "received":
        advance(complaint, state)
    return Complaint.objects.get(pk=complaint.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(EXPECTED))
def test_detail_page_shows_exactly_the_actions_allowed_now(_org, web_for, state):
    complaint = _in_state(state)
    assert complaint.status == state
    for username, expected in EXPECTED[state].items():
        html = web_for(username).get(reverse("complaints:complaint-detail", args=[complaint.pk])).content.decode()
        assert _buttons(html) == expected, (state, username)
        for name in BUTTONS - expected:
            assert f'id="{name}-form"' not in html, (state, username, name)
        assert 'id="status-badge"' in html and f'data-status="{state}"' in html
        assert COMPLAINT_WORKFLOW.color(state) in html


@pytest.mark.django_db
def test_forms_word_the_step_by_state_and_level(_org, web_for):
    cs = web_for("xuhui_cs")
    complaint = make_complaint()
    url = reverse("complaints:complaint-detail", args=[complaint.pk])
    html = cs.get(url).content.decode()
    assert ">核实</h3>" in html and "升级到区部" in html and 'placeholder="提交区部协助的原因"' in html
    assert 'data-confirm="确定取消该投诉（登记错误/重复）？"' in html and 'data-confirm="确定记录客户撤诉？"' in html
    services.complaint_respond(actor=user("xuhui_cs"), complaint_id=complaint.pk, note="已回电")
    services.complaint_escalate(actor=user("xuhui_cs"), complaint_id=complaint.pk, reason="客户要求区部介入")
    advance(Complaint.objects.get(pk=complaint.pk), "verifying")
    html = cs.get(url).content.decode()
    assert ">补充核实</h3>" in html and "升级到总部" in html and 'id="respond-form"' not in html
    advance(Complaint.objects.get(pk=complaint.pk), "solution_proposed")
    html = cs.get(url).content.decode()
    assert ">修改解决方案</h3>" in html and "重新安装并赔偿地板修复费</textarea>" in html
    major = make_complaint(media_exposure=True)  # handled at HQ: no further level
    html = cs.get(reverse("complaints:complaint-detail", args=[major.pk])).content.decode()
    assert 'id="escalate-form"' not in html
    done = advance(make_complaint(), "feedback_given")
    html = cs.get(reverse("complaints:complaint-detail", args=[done.pk])).content.decode()
    assert 'id="reimplement-form"' in html and 'placeholder="客户对结果不满意的原因" required' in html
    assert f'action="{reverse("complaints:complaint-action", args=[done.pk, "implement"])}"' in html


@pytest.mark.django_db
def test_page_action_the_user_may_not_take_changes_nothing(_org, web_for):
    complaint = advance(make_complaint(), "feedback_given")
    url = reverse("complaints:complaint-action", args=[complaint.pk, "close"])
    response = web_for("xuhui_cs").post(url, {"version": complaint.version, "root_cause": "x"}, follow=True)
    assert "没有权限" in response.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == C.FEEDBACK_GIVEN
    assert (
        web_for("xuhui_cs").post(reverse("complaints:complaint-action", args=[complaint.pk, "nope"])).status_code == 404
    )


@pytest.mark.django_db
def test_page_action_refuses_a_stale_version(_org, web_for):
    complaint = make_complaint()
    url = reverse("complaints:complaint-action", args=[complaint.pk, "verify"])
    response = web_for("xuhui_cs").post(url, {"version": complaint.version + 3, "notes": "核实"}, follow=True)
    assert "记录已被他人修改" in response.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == C.RECEIVED


@pytest.mark.django_db
def test_recoveries_badge_and_settle_form_from_their_workflow(_org, web_for):
    top_up("1000")
    complaint = advance(make_complaint(), "feedback_given")
    compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="200")
    services.complaint_close(actor=user("xuhui_manager"), complaint_id=complaint.pk, **close_kwargs())
    recovery = complaint.recoveries.get()
    url = reverse("complaints:complaint-detail", args=[complaint.pk])
    html = web_for("xuhui_manager").get(url).content.decode()
    assert str(RECOVERY_WORKFLOW.badge(RecoveryStatus.OPEN)) in html and f"settle-button-{recovery.pk}" not in html
    manager = web_for("hq_service_manager")
    html = manager.get(url).content.decode()
    settle = reverse("complaints:recovery-action", args=[recovery.pk, "settle"])
    assert f"settle-button-{recovery.pk}" in html and f'action="{settle}"' in html
    assert settle == reverse("complaints:recovery-settle", args=[recovery.pk])
    listing = manager.get(reverse("complaints:recoveries")).content.decode()
    assert str(RECOVERY_WORKFLOW.badge(RecoveryStatus.OPEN)) in listing
    page = manager.post(settle, {"note": "工资扣回"}, follow=True).content.decode()
    assert "追偿已结清，¥200.00 已回到售后基金" in page and str(RECOVERY_WORKFLOW.badge(RecoveryStatus.SETTLED)) in page
    page = manager.post(settle, {"note": "again"}, follow=True).content.decode()  # refused: back to the complaint
    assert "该追偿已" in page and f"settle-button-{recovery.pk}" not in page
    event = Event.objects.get(event_type="core.status_changed", new__status=RecoveryStatus.SETTLED)
    assert event.old == {"status": "open"}


@pytest.mark.django_db
def test_cancelling_rejects_pending_payout_requests_through_their_workflow(_org):
    top_up("5000")
    complaint = make_complaint()
    request = compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="800").pending
    services.complaint_cancel(actor=user("xuhui_cs"), complaint_id=complaint.pk, reason="重复登记")
    request.refresh_from_db()
    assert request.status == CompensationRequestStatus.REJECTED and request.decision_note == "投诉已取消/撤诉"
    assert request.decided_at is not None and request.decided_by is None
    assert Event.objects.filter(event_type="core.status_changed", new__status="rejected").count() == 1


@pytest.mark.django_db
def test_list_badges_come_from_the_workflow(_org, web_for):
    advance(make_complaint(), "agreed")
    html = web_for("xuhui_cs").get(reverse("complaints:complaints")).content.decode()
    assert str(COMPLAINT_WORKFLOW.badge(C.AGREED)) in html


@pytest.mark.django_db
def test_api_actions_are_in_the_schema_with_their_request_bodies(_org, api_for):
    schema = api_for("xuhui_cs").get("/api/v1/schema/?format=json").json()
    bodies = {
        "respond": "ComplaintRequiredNoteRequest",
        "verify": "ComplaintVerifyRequest",
        "propose": "ComplaintProposeRequest",
        "agree": "ComplaintNoteRequest",
        "refuse": "ComplaintReasonRequest",
        "implement": "ComplaintNoteRequest",
        "feedback": "ComplaintFeedbackRequest",
        "close": "ComplaintCloseRequest",
        "escalate": "ComplaintReasonRequest",
        "withdraw": "ComplaintReasonRequest",
        "cancel": "ComplaintReasonRequest",
        "pay": "CompensationPayRequest",
        "approve-payment": "CompensationApproveRequest",
    }
    for name, body in bodies.items():
        operation = schema["paths"][f"/api/v1/complaints/{{id}}/{name}/"]["post"]
        assert operation["tags"] == ["complaints"], name
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith(f"/{body}"), (name, ref)
        assert {"200", "403", "404", "409"} <= set(operation["responses"]), name
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        expected = "CompensationPayResult" if name in ("pay", "approve-payment") else "ComplaintDetail"
        assert answer.endswith(f"/{expected}"), (name, answer)
    pay = schema["paths"]["/api/v1/complaints/{id}/pay/"]["post"]
    assert "202" in pay["responses"] and "fund.insufficient" in pay["responses"]["409"]["description"]
    close = schema["paths"]["/api/v1/complaints/{id}/close/"]["post"]
    assert "close.root_cause_required" in close["responses"]["400"]["description"]
    respond = schema["paths"]["/api/v1/complaints/{id}/respond/"]["post"]
    assert "complaint.already_responded" in respond["responses"]["409"]["description"]
    settle = schema["paths"]["/api/v1/recoveries/{id}/settle/"]["post"]
    assert settle["tags"] == ["compensation"]
    assert settle["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/RecoverySettleRequest")
    assert "/api/v1/complaints/{id}/improvement-actions/" in schema["paths"]
    assert "/api/v1/complaints/{id}/reject-payment/" not in schema["paths"]


@pytest.mark.django_db
def test_api_actions_honour_if_match(_org, api_for):
    complaint = make_complaint()
    url = f"/api/v1/complaints/{complaint.pk}/verify/"
    api = api_for("xuhui_cs")
    stale = api.post(url, {"notes": "核实"}, format="json", HTTP_IF_MATCH=f'"{complaint.version + 1}"')
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"
    ok = api.post(url, {"notes": "核实"}, format="json", HTTP_IF_MATCH=f'W/"{complaint.version}"')
    assert ok.status_code == 200 and ok.json()["status"] == "verifying" and ok.json()["decisions"] == []
    assert ok.json()["version"] == complaint.version + 1


@pytest.mark.django_db
def test_api_decision_on_a_request_of_another_complaint_is_404(_org, api_for):
    top_up("5000")
    first, second = make_complaint(), make_complaint()
    request = compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=first.pk, amount="800").pending
    response = api_for("east_manager").post(
        f"/api/v1/complaints/{second.pk}/approve-payment/", {"request": request.pk}, format="json"
    )
    assert response.status_code == 404 and response.json()["code"] == "compensation.request_not_found"
    rejected = api_for("east_manager").post(
        f"/api/v1/complaints/{first.pk}/approve-payment/",
        {"request": request.pk, "approve": False, "note": "先与厂家协商"},
        format="json",
    )
    assert rejected.status_code == 200 and rejected.json()["paid"] is False
    assert rejected.json()["pending"]["status"] == "rejected"
