"""FBK-1: attempts, completion, closing, and the one-click service request from a follow-up."""

import pytest

from salesservice.core.exceptions import DomainError, InvalidTransition, PermissionDeniedError
from salesservice.service.models import ServiceRequest

from .. import services
from ..choices import FollowUpStatus
from ..models import FollowUp
from .factories import follow_up, user

pytestmark = pytest.mark.django_db


def test_unreached_attempts_then_completion(demo):
    fu = follow_up()
    cs = user("xuhui_cs")
    services.follow_up_record_attempt(actor=cs, follow_up_id=fu.pk, channel="phone", reached=False, note="无人接听")
    services.follow_up_record_attempt(actor=cs, follow_up_id=fu.pk, channel="sms", reached=False)
    fu.refresh_from_db()
    assert fu.attempt_count == 2 and fu.status == FollowUpStatus.SCHEDULED

    done = services.follow_up_complete(
        actor=cs, follow_up_id=fu.pk, outcome="客户表示空调已正常", satisfaction=4, issues_raised=""
    )
    assert done.status == FollowUpStatus.DONE and done.satisfaction == 4 and done.completed_at
    # completion records the attempt that reached the customer
    assert done.attempts.filter(reached=True).count() == 1 and done.attempt_count == 3


def test_giving_up_marks_unreachable_and_a_later_call_can_complete(demo):
    fu = follow_up()
    cs = user("xuhui_cs")
    services.follow_up_record_attempt(actor=cs, follow_up_id=fu.pk, channel="phone", reached=False, give_up=True)
    fu.refresh_from_db()
    assert fu.status == FollowUpStatus.UNREACHABLE
    services.follow_up_complete(actor=cs, follow_up_id=fu.pk, outcome="回电联系上", satisfaction=5)
    assert FollowUp.objects.get(pk=fu.pk).status == FollowUpStatus.DONE


def test_completion_needs_outcome_and_a_1_to_5_satisfaction(demo):
    fu = follow_up()
    with pytest.raises(DomainError) as refused:
        services.follow_up_complete(actor=user("xuhui_cs"), follow_up_id=fu.pk, outcome="", satisfaction=7)
    assert refused.value.code == "follow_up.incomplete"
    assert set(refused.value.fields) == {"outcome", "satisfaction"}
    fu.refresh_from_db()
    assert fu.status == FollowUpStatus.SCHEDULED and fu.attempt_count == 0


def test_done_follow_up_takes_no_more_attempts_and_closes(demo):
    fu = follow_up()
    cs = user("xuhui_cs")
    services.follow_up_complete(actor=cs, follow_up_id=fu.pk, outcome="满意", satisfaction=5)
    with pytest.raises(DomainError) as refused:
        services.follow_up_record_attempt(actor=cs, follow_up_id=fu.pk, channel="phone", reached=True)
    assert refused.value.code == "follow_up.not_open"
    closed = services.follow_up_close(actor=cs, follow_up_id=fu.pk)
    assert closed.status == FollowUpStatus.CLOSED
    with pytest.raises(InvalidTransition):
        services.follow_up_close(actor=cs, follow_up_id=fu.pk, reason="again")


def test_closing_an_open_follow_up_needs_a_reason(demo):
    fu = follow_up()
    with pytest.raises(DomainError) as refused:
        services.follow_up_close(actor=user("xuhui_cs"), follow_up_id=fu.pk)
    assert refused.value.code == "follow_up.reason_required"
    services.follow_up_close(actor=user("xuhui_cs"), follow_up_id=fu.pk, reason="客户明确拒绝回访")
    assert FollowUp.objects.get(pk=fu.pk).close_reason == "客户明确拒绝回访"


def test_out_of_scope_and_no_permission_are_refused(demo):
    fu = follow_up()
    with pytest.raises(services.NotFoundError):
        services.follow_up_record_attempt(actor=user("tianhe_cs"), follow_up_id=fu.pk, channel="phone", reached=True)
    with pytest.raises(PermissionDeniedError):
        services.follow_up_record_attempt(actor=user("sales_rep"), follow_up_id=fu.pk, channel="phone", reached=True)


def test_stale_version_is_refused(demo):
    fu = follow_up()
    with pytest.raises(DomainError) as refused:
        services.follow_up_complete(
            actor=user("xuhui_cs"), follow_up_id=fu.pk, outcome="x", satisfaction=3, expected_version=fu.version + 5
        )
    assert refused.value.code == "conflict.stale"


def test_issue_raised_opens_a_new_service_request_linked_back(demo):
    fu = follow_up()
    cs = user("xuhui_cs")
    services.follow_up_complete(
        actor=cs, follow_up_id=fu.pk, outcome="基本满意", satisfaction=3, issues_raised="空调又出现异响"
    )
    created = services.follow_up_open_service_request(actor=cs, follow_up_id=fu.pk)
    assert isinstance(created, ServiceRequest) and created.customer_id == fu.customer_id
    assert fu.number in created.description and "异响" in created.description
    fu.refresh_from_db()
    assert fu.opened_service_request == created
    with pytest.raises(DomainError) as again:
        services.follow_up_open_service_request(actor=cs, follow_up_id=fu.pk)
    assert again.value.code == "follow_up.request_already_opened"


def test_issue_raised_opens_a_complaint_linked_back(demo):
    """With the complaints app: one click logs a complaint; without it the refusal is clear."""
    fu = follow_up()
    cs = user("xuhui_cs")
    if services.complaint_create_function() is None:
        with pytest.raises(DomainError) as refused:
            services.follow_up_open_complaint(actor=cs, follow_up_id=fu.pk, description="服务态度差")
        assert refused.value.code == "complaint.unavailable"
        return
    complaint = services.follow_up_open_complaint(actor=cs, follow_up_id=fu.pk, description="工程师服务态度差")
    fu.refresh_from_db()
    assert fu.opened_complaint_id == complaint.pk and fu.opened_complaint_number == complaint.number
    assert complaint.customer_id == fu.customer_id and fu.number in complaint.description
    with pytest.raises(DomainError) as again:
        services.follow_up_open_complaint(actor=cs, follow_up_id=fu.pk, description="x")
    assert again.value.code == "follow_up.complaint_already_opened"


def test_timeline_events_are_written(demo):
    from salesservice.core.events import events_for

    fu = follow_up()
    services.follow_up_complete(actor=user("xuhui_cs"), follow_up_id=fu.pk, outcome="满意", satisfaction=5)
    types = {event.event_type for event in events_for(fu)}
    assert {"feedback.follow_up_scheduled", "feedback.follow_up_completed", "core.status_changed"} <= types
