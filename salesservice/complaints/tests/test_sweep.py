"""CMP-2 / CMP-7: the complaint sweep records first-response breaches once and escalates 0 → 1 → 2 on the SLA,
idempotently (`manage.py complaint_sweep --at`), and safely on two workers at once."""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from salesservice.core.models import Notification

from .. import services
from ..choices import ComplaintClock
from ..models import Complaint, ComplaintBreach, ComplaintEscalation
from ..sweep import complaints_sweep
from .factories import advance, make_complaint, user


def sweep_at(moment: dt.datetime) -> None:
    call_command("complaint_sweep", "--at", moment.isoformat())


@pytest.fixture
def received(demo):
    return (timezone.now() - dt.timedelta(minutes=10)).replace(microsecond=0)


def test_first_response_breach_is_recorded_once_and_alerts_the_store(received):
    complaint = make_complaint(received_at=received)
    sweep_at(received + dt.timedelta(hours=1, minutes=59))
    assert not ComplaintBreach.objects.exists()
    sweep_at(received + dt.timedelta(hours=2, minutes=1))
    sweep_at(received + dt.timedelta(hours=3))
    breach = ComplaintBreach.objects.get()
    assert (breach.complaint_id, breach.clock, breach.level) == (complaint.pk, ComplaintClock.FIRST_RESPONSE, 0)
    assert breach.due_at == received + dt.timedelta(hours=2) and breach.overdue_seconds == 60
    assert (
        Notification.objects.filter(
            recipient__username="xuhui_manager", kind="complaints.first_response_breach"
        ).count()
        == 1
    )


def test_responded_in_time_records_no_breach(received):
    complaint = make_complaint(received_at=received)
    services.complaint_respond(actor=user("xuhui_cs"), complaint_id=complaint.pk, note="已回电致歉")
    sweep_at(received + dt.timedelta(hours=3))
    assert not ComplaintBreach.objects.exists()


def test_escalation_to_region_at_24h_and_hq_at_48h_then_exhausted(received):
    complaint = make_complaint(received_at=received)
    services.complaint_respond(actor=user("xuhui_cs"), complaint_id=complaint.pk, note="已回电")
    sweep_at(received + dt.timedelta(hours=23, minutes=59))
    complaint.refresh_from_db()
    assert complaint.level == 0

    sweep_at(received + dt.timedelta(hours=24, minutes=1))
    complaint.refresh_from_db()
    assert complaint.level == 1 and complaint.escalation_due_at == received + dt.timedelta(hours=48)
    assert Notification.objects.filter(recipient__username="east_manager", kind="complaints.escalated").count() == 1

    sweep_at(received + dt.timedelta(hours=24, minutes=2))  # idempotent
    sweep_at(received + dt.timedelta(hours=48, minutes=1))
    complaint.refresh_from_db()
    assert complaint.level == 2
    assert (
        Notification.objects.filter(recipient__username="hq_service_manager", kind="complaints.escalated").count() == 1
    )
    rows = list(ComplaintEscalation.objects.values_list("from_level", "to_level", "automatic"))
    assert rows == [(0, 1, True), (1, 2, True)]

    sweep_at(received + dt.timedelta(hours=72, minutes=1))
    sweep_at(received + dt.timedelta(hours=96))
    complaint.refresh_from_db()
    assert complaint.level == 2 and complaint.escalation_exhausted_at is not None
    levels = sorted(ComplaintBreach.objects.filter(clock=ComplaintClock.ESCALATION).values_list("level", flat=True))
    assert levels == [0, 1, 2]


def test_a_missed_day_escalates_two_levels_in_one_run(received):
    complaint = make_complaint(received_at=received)
    sweep_at(received + dt.timedelta(hours=50))
    complaint.refresh_from_db()
    assert complaint.level == 2
    assert ComplaintBreach.objects.filter(clock=ComplaintClock.FIRST_RESPONSE).count() == 1
    # each missed level keeps its breach (the escalation fact once shared the next level's breach key)
    assert sorted(
        ComplaintBreach.objects.exclude(clock=ComplaintClock.FIRST_RESPONSE).values_list("level", flat=True)
    ) == [0, 1]


def test_result_fed_back_stops_the_escalation_clock(received):
    complaint = advance(make_complaint(received_at=received), "feedback_given")
    sweep_at(received + dt.timedelta(hours=30))
    complaint.refresh_from_db()
    assert complaint.level == 0 and not ComplaintEscalation.objects.exists()


def test_manual_escalation_gives_a_fresh_window(received):
    complaint = make_complaint(received_at=received)
    services.complaint_respond(actor=user("xuhui_cs"), complaint_id=complaint.pk, note="已回电")
    complaint = services.complaint_escalate(actor=user("xuhui_cs"), complaint_id=complaint.pk, reason="区部协助")
    due = complaint.escalation_due_at
    assert due > received + dt.timedelta(hours=24)
    result = complaints_sweep(received + dt.timedelta(hours=24, minutes=5))
    assert result.escalations == 0
    complaints_sweep(due + dt.timedelta(minutes=1))
    assert Complaint.objects.get(pk=complaint.pk).level == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_escalate_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL (SQLite serialises writers)")
    from salesservice.core.demo import load_demo_org

    load_demo_org()
    received = (timezone.now() - dt.timedelta(minutes=10)).replace(microsecond=0)
    ids = [make_complaint(received_at=received).pk for _ in range(20)]
    moment = received + dt.timedelta(hours=25)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(complaints_sweep(moment, batch_size=7))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sum(r.escalations for r in results) == 20
    assert ComplaintEscalation.objects.filter(complaint_id__in=ids).count() == 20
    assert set(Complaint.objects.filter(pk__in=ids).values_list("level", flat=True)) == {1}


def test_the_reply_clock_warns_once_before_it_is_late(received):
    """CMP-2 remind (issue 12 §15): 30 minutes (policy) before the 2 h reply deadline, the handler and the
    store's managers are told once — as the service desk warns before its deadlines."""
    complaint = make_complaint(received_at=received)
    due = received + dt.timedelta(hours=2)
    sweep_at(due - dt.timedelta(minutes=31))
    assert not Notification.objects.filter(kind="complaints.first_response_warning").exists()
    sweep_at(due - dt.timedelta(minutes=29))
    sweep_at(due - dt.timedelta(minutes=10))
    warned = Notification.objects.filter(kind="complaints.first_response_warning")
    assert warned.filter(recipient__username="xuhui_manager").count() == 1
    complaint.refresh_from_db()
    assert complaint.first_response_warned_at is not None and not ComplaintBreach.objects.exists()
    services.complaint_respond(actor=user("xuhui_cs"), complaint_id=complaint.pk, note="已回电致歉")
    sweep_at(due + dt.timedelta(hours=1))
    assert not ComplaintBreach.objects.exists()
