"""CMP-1 … CMP-5, CMP-7: intake, every transition of the complaint flow, and its refusals."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.exceptions import ConflictError, DomainError, InvalidTransition, PermissionDeniedError
from salesservice.core.models import Event

from .. import services
from ..choices import ComplaintChannel, ComplaintLevel, EventType, ResponsibleParty
from ..choices import ComplaintStatus as C
from ..models import Complaint, ComplaintEscalation, ImprovementAction
from .factories import advance, close_kwargs, make_complaint, user


@pytest.fixture
def cs(demo):
    return user("xuhui_cs")


def test_intake_numbers_and_starts_the_two_hour_first_response_clock(cs):
    """CMP-1, CMP-2: recorded in full with a promised deadline; 2 h first response, 24 h escalation."""
    received = (timezone.now() - dt.timedelta(minutes=5)).replace(microsecond=0)
    complaint = make_complaint(received_at=received)
    assert complaint.number.startswith("CP-" + timezone.localtime(received).strftime("%Y%m%d") + "-")
    assert complaint.status == C.RECEIVED and complaint.level == ComplaintLevel.STORE
    assert complaint.first_response_due_at == received + dt.timedelta(hours=2)
    assert complaint.escalation_due_at == received + dt.timedelta(hours=24)
    assert complaint.handler == cs
    assert Event.objects.filter(event_type=EventType.COMPLAINT_CREATED, target_id=str(complaint.pk)).exists()


def test_intake_by_phone_requires_the_promised_deadline(cs):
    """CMP-1 (seed 000): a customer on the phone is told by when it will be handled."""
    with pytest.raises(DomainError) as error:
        make_complaint(promised_by=None)
    assert error.value.code == "complaint.promise_required"
    assert not Complaint.objects.exists()
    # the suggestion box has nobody to promise to
    assert make_complaint(channel=ComplaintChannel.SUGGESTION_BOX, promised_by=None).promised_by is None


def test_bad_input_is_refused_and_nothing_is_saved(cs):
    for kwargs, code in [
        ({"subject": "  "}, "complaint.subject_required"),
        ({"channel": "pigeon"}, "complaint.invalid_channel"),
        ({"claimed_amount": "-1"}, "amount.invalid"),
        ({"claimed_amount": "abc"}, "amount.invalid"),
    ]:
        with pytest.raises(DomainError) as error:
            make_complaint(**kwargs)
        assert error.value.code == code
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    "criteria",
    [{"claimed_amount": "5000"}, {"media_exposure": True}, {"safety_issue": True}, {"is_major": True}],
)
def test_major_complaint_goes_straight_to_hq(cs, criteria):
    """CMP-7 (seed 004): HQ (服管处) handles major complaints — amount, media, safety."""
    complaint = make_complaint(**criteria)
    assert complaint.is_major and complaint.level == ComplaintLevel.HQ
    escalation = ComplaintEscalation.objects.get(complaint=complaint)
    assert (escalation.from_level, escalation.to_level) == (0, 2)
    from salesservice.core.models import Notification

    assert Notification.objects.filter(recipient__username="hq_service_manager", kind="complaints.major").exists()


def test_small_claim_stays_at_the_store(cs):
    assert make_complaint(claimed_amount="4999.99").level == ComplaintLevel.STORE


def test_happy_path_through_every_status_to_closed(cs):
    complaint = make_complaint()
    complaint = services.complaint_respond(actor=cs, complaint_id=complaint.pk, note="已致电客户致歉，承诺三天内处理")
    assert complaint.first_responded_at is not None
    complaint = advance(complaint, "feedback_given")
    assert complaint.status == C.FEEDBACK_GIVEN and complaint.satisfaction == 4
    assert "安装部" in complaint.departments_consulted
    complaint = services.complaint_close(actor=user("xuhui_manager"), complaint_id=complaint.pk, **close_kwargs())
    assert complaint.status == C.CLOSED and complaint.closed_at is not None
    assert complaint.responsible_party == ResponsibleParty.STAFF
    assert ImprovementAction.objects.filter(complaint=complaint).count() == 1
    statuses = [
        (e.new or {}).get("status")
        for e in Event.objects.filter(target_id=str(complaint.pk), event_type="core.status_changed").order_by("id")
    ]
    assert statuses == ["verifying", "solution_proposed", "agreed", "implementing", "feedback_given", "closed"]


def test_refusal_stays_at_solution_with_the_reason_then_revised_and_agreed(cs):
    """CMP-4: a refusal returns to 方案 with its reason; a revised solution is then agreed."""
    complaint = advance(make_complaint(), "solution_proposed")
    complaint = services.complaint_refuse(actor=cs, complaint_id=complaint.pk, reason="赔偿金额太低")
    assert complaint.status == C.SOLUTION_PROPOSED
    complaint = services.complaint_propose(actor=cs, complaint_id=complaint.pk, solution="重新安装并全额赔偿地板")
    complaint = services.complaint_agree(actor=cs, complaint_id=complaint.pk, note="客户电话确认")
    assert complaint.status == C.AGREED
    decisions = list(complaint.decisions.order_by("id").values_list("agreed", "reason", "solution"))
    assert decisions == [
        (False, "赔偿金额太低", "重新安装并赔偿地板修复费"),
        (True, "客户电话确认", "重新安装并全额赔偿地板"),
    ]


def test_refuse_needs_a_reason_and_a_proposed_solution(cs):
    complaint = advance(make_complaint(), "verifying")
    with pytest.raises(InvalidTransition):
        services.complaint_refuse(actor=cs, complaint_id=complaint.pk, reason="不接受")
    complaint = advance(complaint, "solution_proposed")
    with pytest.raises(DomainError) as error:
        services.complaint_refuse(actor=cs, complaint_id=complaint.pk, reason=" ")
    assert error.value.code == "complaint.reason_required"


@pytest.mark.parametrize(
    "status,call",
    [
        ("received", lambda c, a: services.complaint_agree(actor=a, complaint_id=c.pk)),
        ("received", lambda c, a: services.complaint_propose(actor=a, complaint_id=c.pk, solution="x")),
        ("verifying", lambda c, a: services.complaint_implement(actor=a, complaint_id=c.pk)),
        ("solution_proposed", lambda c, a: services.complaint_feedback(actor=a, complaint_id=c.pk, feedback="x")),
        ("agreed", lambda c, a: services.complaint_close(actor=user("xuhui_manager"), complaint_id=c.pk,
                                                         **close_kwargs())),
        ("implementing", lambda c, a: services.complaint_verify(actor=a, complaint_id=c.pk, notes="x")),
        ("implementing", lambda c, a: services.complaint_withdraw(actor=a, complaint_id=c.pk, reason="x")),
    ],
)  # fmt: skip
def test_illegal_moves_are_409_and_change_nothing(cs, status, call):
    complaint = advance(make_complaint(), status)
    version = Complaint.objects.get(pk=complaint.pk).version
    with pytest.raises(InvalidTransition) as error:
        call(complaint, cs)
    assert error.value.status_code == 409 and error.value.code == "status.invalid_transition"
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert (fresh.status, fresh.version) == (status, version)


def test_close_without_root_cause_or_improvement_action_is_refused(cs):
    """CMP-5 (seed 003 總結改進): root cause, responsible party and an improvement action."""
    complaint = advance(make_complaint(), "feedback_given")
    manager = user("xuhui_manager")
    with pytest.raises(DomainError) as error:
        services.complaint_close(actor=manager, complaint_id=complaint.pk,
                                 **close_kwargs(root_cause="", improvement_actions=[]))  # fmt: skip
    assert error.value.code == "close.root_cause_required"
    codes = {r["code"] for r in error.value.fields["reasons"]}
    assert codes == {"close.root_cause_required", "close.improvement_required"}
    with pytest.raises(DomainError) as error:
        services.complaint_close(actor=manager, complaint_id=complaint.pk, **close_kwargs(improvement_actions=[]))
    assert error.value.code == "close.improvement_required"
    with pytest.raises(DomainError) as error:
        services.complaint_close(actor=manager, complaint_id=complaint.pk,
                                 **close_kwargs(responsible_party=ResponsibleParty.PROVIDER))  # fmt: skip
    assert error.value.code == "complaint.responsible_provider_required"
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.status == C.FEEDBACK_GIVEN and not ImprovementAction.objects.exists()


def test_close_with_an_action_added_before(cs):
    complaint = advance(make_complaint(), "feedback_given")
    services.improvement_action_add(actor=cs, complaint_id=complaint.pk, description="安装验收加排水测试",
                                    owner=user("xuhui_manager"),
                                    due_date=timezone.localdate() + dt.timedelta(days=7))  # fmt: skip
    complaint = services.complaint_close(
        actor=user("xuhui_manager"), complaint_id=complaint.pk,
        **close_kwargs(improvement_actions=[], responsible_party=ResponsibleParty.CUSTOMER, responsible_user=None),
    )  # fmt: skip
    assert complaint.status == C.CLOSED


def test_only_supervisors_close(cs):
    complaint = advance(make_complaint(), "feedback_given")
    with pytest.raises(PermissionDeniedError):
        services.complaint_close(actor=cs, complaint_id=complaint.pk, **close_kwargs())


def test_not_satisfied_with_the_result_goes_back_to_handling(cs):
    """CMP-6: tracked to satisfaction."""
    complaint = advance(make_complaint(), "feedback_given")
    with pytest.raises(DomainError):
        services.complaint_implement(actor=cs, complaint_id=complaint.pk)
    complaint = services.complaint_implement(actor=cs, complaint_id=complaint.pk, note="客户认为地板颜色不一致")
    assert complaint.status == C.IMPLEMENTING


def test_cancel_and_withdraw(cs):
    first = services.complaint_cancel(actor=cs, complaint_id=make_complaint().pk, reason="重复登记")
    assert first.status == C.CANCELLED and first.cancel_reason == "重复登记"
    second = advance(make_complaint(), "agreed")
    second = services.complaint_withdraw(actor=cs, complaint_id=second.pk, reason="客户与厂家自行和解")
    assert second.status == C.WITHDRAWN
    with pytest.raises(InvalidTransition):
        services.complaint_verify(actor=cs, complaint_id=second.pk, notes="x")


def test_first_response_once(cs):
    complaint = make_complaint()
    services.complaint_respond(actor=cs, complaint_id=complaint.pk, note="已回电")
    with pytest.raises(ConflictError) as error:
        services.complaint_respond(actor=cs, complaint_id=complaint.pk, note="再次回电")
    assert error.value.code == "complaint.already_responded"


def test_stale_version_is_refused(cs):
    complaint = make_complaint()
    with pytest.raises(ConflictError) as error:
        services.complaint_verify(actor=cs, complaint_id=complaint.pk, notes="核实", expected_version=99)
    assert error.value.code == "conflict.stale"


def test_manual_escalation_store_region_hq(cs):
    """CMP-7: the store passes it to the region, the region to HQ; not beyond."""
    complaint = make_complaint()
    complaint = services.complaint_escalate(actor=cs, complaint_id=complaint.pk, reason="客户要求区部介入")
    assert complaint.level == ComplaintLevel.REGION
    from salesservice.core.models import Notification

    assert Notification.objects.filter(recipient__username="east_manager", kind="complaints.escalated").exists()
    complaint = services.complaint_escalate(actor=user("east_manager"), complaint_id=complaint.pk, reason="涉及厂家")
    assert complaint.level == ComplaintLevel.HQ
    with pytest.raises(ConflictError) as error:
        services.complaint_escalate(actor=user("hq_service_manager"), complaint_id=complaint.pk, reason="再升")
    assert error.value.code == "escalation.max_level"
    rows = list(complaint.escalations.values_list("from_level", "to_level", "automatic"))
    assert rows == [(0, 1, False), (1, 2, False)]
    with pytest.raises(DomainError):
        services.complaint_escalate(actor=cs, complaint_id=make_complaint().pk, reason="")


def test_out_of_scope_is_not_found(cs):
    complaint = make_complaint()
    with pytest.raises(services.NotFoundError) as error:
        services.complaint_verify(actor=user("tianhe_cs"), complaint_id=complaint.pk, notes="核实")
    assert error.value.status_code == 404


def test_complaint_escalated_from_a_service_request_is_linked_both_ways(cs):
    from salesservice.service.tests.factories import make_request

    from ..selectors import complaints_for_request

    request = make_request()
    complaint = make_complaint(customer=None, service_request=request)
    assert complaint.customer_id == request.customer_id and complaint.store_id == request.store_id
    assert list(complaints_for_request(request)) == [complaint]
    with pytest.raises(DomainError) as error:
        make_complaint(service_request=request)  # another customer
    assert error.value.code == "complaint.service_request_customer"


def test_improvement_action_is_tracked_to_done(cs):
    complaint = make_complaint()
    owner = user("xuhui_manager")
    action = services.improvement_action_add(actor=cs, complaint_id=complaint.pk, description="排水测试纳入验收单",
                                             owner=owner, due_date=timezone.localdate())  # fmt: skip
    with pytest.raises(PermissionDeniedError):
        services.improvement_action_done(actor=user("xuhui_engineer"), action_id=action.pk)
    action = services.improvement_action_done(actor=owner, action_id=action.pk, note="已修订验收单")
    assert action.is_done
    with pytest.raises(ConflictError):
        services.improvement_action_done(actor=owner, action_id=action.pk)
    with pytest.raises(DomainError) as error:
        services.improvement_action_add(actor=cs, complaint_id=complaint.pk, description="x", owner=owner,
                                        due_date=timezone.localdate() - dt.timedelta(days=1))  # fmt: skip
    assert error.value.code == "improvement.due_date_past"
