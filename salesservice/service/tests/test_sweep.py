"""SRV-2: the sweep records first-contact breaches once, escalates 0 → 1 → 2 at 24 h and 48 h, warns
before deadlines, and is idempotent and safe on two workers at once."""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from salesservice.core.models import Notification

from .. import services
from ..choices import SlaClock
from ..models import Escalation, ServiceRequest, SlaBreach
from ..services import request_url
from ..sla import recompute_deadlines
from ..sweep import sla_sweep
from .factories import make_request, user


def sweep_at(moment: dt.datetime) -> None:
    call_command("sla_sweep", "--at", moment.isoformat())


@pytest.fixture
def received(demo):
    return (timezone.now() - dt.timedelta(minutes=10)).replace(microsecond=0)


def test_first_contact_breach_is_recorded_once_and_alerts_the_store(received):
    request = make_request(received_at=received)
    sweep_at(received + dt.timedelta(hours=1, minutes=59))
    assert not SlaBreach.objects.exists()

    sweep_at(received + dt.timedelta(hours=2, minutes=1))
    sweep_at(received + dt.timedelta(hours=3))
    breach = SlaBreach.objects.get()
    assert (breach.request_id, breach.clock, breach.level) == (request.pk, SlaClock.FIRST_CONTACT, 0)
    assert breach.due_at == received + dt.timedelta(hours=2)
    assert breach.overdue_seconds == 60
    assert (
        Notification.objects.filter(recipient__username="xuhui_manager", kind="service.first_contact_breach").count()
        == 1
    )


def test_contacted_in_time_records_no_breach(received):
    request = make_request(received_at=received)
    services.request_contact(actor=user("xuhui_cs"), request_id=request.pk)
    sweep_at(received + dt.timedelta(hours=3))
    assert not SlaBreach.objects.filter(clock=SlaClock.FIRST_CONTACT).exists()


def test_escalation_to_region_at_24h_and_hq_at_48h(received):
    request = make_request(received_at=received)
    services.request_contact(actor=user("xuhui_cs"), request_id=request.pk)

    sweep_at(received + dt.timedelta(hours=23, minutes=59))
    request.refresh_from_db()
    assert request.escalation_level == 0

    sweep_at(received + dt.timedelta(hours=24, minutes=1))
    request.refresh_from_db()
    assert request.escalation_level == 1
    assert request.escalation_due_at == received + dt.timedelta(hours=48)
    assert Notification.objects.filter(recipient__username="east_manager", kind="service.escalated").count() == 1

    sweep_at(received + dt.timedelta(hours=48, minutes=1))
    request.refresh_from_db()
    assert request.escalation_level == 2
    assert request.escalation_due_at == received + dt.timedelta(hours=72)
    assert Notification.objects.filter(recipient__username="hq_service_manager", kind="service.escalated").count() == 1
    assert list(Escalation.objects.values_list("from_level", "to_level")) == [(0, 1), (1, 2)]
    assert set(SlaBreach.objects.filter(clock=SlaClock.ESCALATION).values_list("level", flat=True)) == {0, 1}
    # The stored deadline is what the history gives.
    assert recompute_deadlines(request).escalation_due_at == request.escalation_due_at

    # Past the HQ deadline: the breach is recorded once, no level beyond 2.
    sweep_at(received + dt.timedelta(hours=72, minutes=1))
    sweep_at(received + dt.timedelta(hours=100))
    request.refresh_from_db()
    assert request.escalation_level == 2
    assert request.escalation_exhausted_at is not None
    assert SlaBreach.objects.filter(clock=SlaClock.ESCALATION, level=2).count() == 1


def test_running_the_sweep_twice_changes_nothing(received):
    for _ in range(3):
        make_request(received_at=received)
    moment = received + dt.timedelta(hours=30)
    first = sla_sweep(now=moment)
    assert first.escalations == 3 and first.first_contact_breaches == 3
    snapshot = list(ServiceRequest.objects.order_by("pk").values("escalation_level", "escalation_due_at", "version"))
    counts = (SlaBreach.objects.count(), Escalation.objects.count(), Notification.objects.count())

    second = sla_sweep(now=moment)
    assert second.as_dict() == {"first_contact_breaches": 0, "escalations": 0, "escalation_breaches": 0, "warnings": 0}
    assert (
        list(ServiceRequest.objects.order_by("pk").values("escalation_level", "escalation_due_at", "version"))
        == snapshot
    )
    assert (SlaBreach.objects.count(), Escalation.objects.count(), Notification.objects.count()) == counts


def test_a_late_first_run_catches_up_level_by_level(received):
    request = make_request(received_at=received)
    result = sla_sweep(now=received + dt.timedelta(hours=50))
    request.refresh_from_db()
    assert request.escalation_level == 2 and result.escalations == 2
    # each missed level keeps its breach (the escalation fact once shared the next level's breach key)
    assert sorted(SlaBreach.objects.filter(clock=SlaClock.ESCALATION).values_list("level", flat=True)) == [0, 1]
    assert result.escalation_breaches == 2


def test_paused_and_resolved_requests_are_not_escalated(received):
    cs = user("xuhui_cs")
    paused = make_request(received_at=received)
    services.request_wait_customer(actor=cs, request_id=paused.pk, reason="客户出差")
    sla_sweep(now=received + dt.timedelta(hours=30))
    paused.refresh_from_db()
    assert paused.escalation_level == 0
    assert not SlaBreach.objects.filter(request=paused).exists()


def test_assignee_is_warned_once_before_the_deadline(received):
    from .factories import dispatched_request

    request = dispatched_request(received_at=received)
    warn_at = request.escalation_due_at - dt.timedelta(minutes=20)
    assert sla_sweep(now=warn_at).warnings == 1
    assert sla_sweep(now=warn_at + dt.timedelta(minutes=5)).warnings == 0
    assert Notification.objects.filter(recipient=request.assignee, kind="service.deadline_warning").count() == 1


def test_sweep_cost_does_not_grow_with_open_requests(received):
    """Cost follows the number due: with nothing due, the query count is the same for 2 or 12 open requests."""
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            sla_sweep(now=received + dt.timedelta(minutes=30))
        return len(captured)

    for _ in range(2):
        make_request(received_at=received)
    queries()  # fills the per-process configuration cache (core.config_cache), which the next sweeps reuse
    few = queries()
    for _ in range(10):
        make_request(received_at=received)
    assert queries() == few


def test_handling_cost_is_per_batch_not_per_due_request(received):
    """SRV-2 / DESIGN §8: a batch's writes go in together — 3 or 15 due requests cost the same SQL."""
    from django.test.utils import CaptureQueriesContext

    moment = received + dt.timedelta(hours=24, minutes=1)

    def queries(count: int) -> int:
        for _ in range(count):
            make_request(received_at=received)
        with CaptureQueriesContext(connection) as captured:
            result = sla_sweep(now=moment)
        assert result.escalations == count and result.first_contact_breaches == count
        return len(captured)

    queries(1)  # fills the per-process caches (configuration, content types) the next sweeps reuse
    few = queries(3)
    assert queries(15) == few


def test_sweep_changes_are_in_the_audit_log(received):
    """Every state change has its audit entry: the request's new level and deadline, the breach, the escalation."""
    from auditlog.models import LogEntry

    request = make_request(received_at=received)
    services.request_contact(actor=user("xuhui_cs"), request_id=request.pk)
    sweep_at(received + dt.timedelta(hours=24, minutes=1))
    update = LogEntry.objects.get_for_object(request).filter(action=LogEntry.Action.UPDATE).latest("id")
    assert update.changes["escalation_level"] == ["0", "1"]
    assert "escalation_due_at" in update.changes
    assert update.actor is None and update.additional_data["via"]
    escalation = Escalation.objects.get(request=request)
    assert LogEntry.objects.get_for_object(escalation).filter(action=LogEntry.Action.CREATE).count() == 1
    breach = SlaBreach.objects.get(request=request, clock=SlaClock.ESCALATION)
    assert LogEntry.objects.get_for_object(breach).filter(action=LogEntry.Action.CREATE).count() == 1


def test_a_fact_recorded_behind_the_sweeps_back_skips_only_that_request(received):
    """If a unique constraint refuses the batch (a step recorded by another writer), the batch is redone
    row by row: the others are escalated, the conflicting one is left as it is — nothing doubled."""
    clash, *others = [make_request(received_at=received) for _ in range(3)]
    moment = received + dt.timedelta(hours=24, minutes=1)
    Escalation.objects.create(
        request=clash, from_level=0, to_level=1, due_at=clash.escalation_due_at, at=moment, next_due_at=moment
    )
    result = sla_sweep(now=moment)
    assert result.escalations == 2
    assert set(
        ServiceRequest.objects.filter(pk__in=[r.pk for r in others]).values_list("escalation_level", flat=True)
    ) == {1}
    clash.refresh_from_db()
    assert clash.escalation_level == 0
    assert Escalation.objects.filter(request=clash).count() == 1
    # The first-contact breaches of all three went in on the first pass (a separate batch).
    assert SlaBreach.objects.filter(clock=SlaClock.FIRST_CONTACT).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_escalate_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL (SQLite serialises writers)")
    from salesservice.core.demo import load_demo_org

    load_demo_org()
    received = (timezone.now() - dt.timedelta(minutes=10)).replace(microsecond=0)
    ids = [make_request(received_at=received).pk for _ in range(30)]
    moment = received + dt.timedelta(hours=25)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(sla_sweep(now=moment, batch_size=7))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(result.escalations for result in results) == 30
    assert Escalation.objects.filter(request_id__in=ids).count() == 30
    assert set(ServiceRequest.objects.filter(pk__in=ids).values_list("escalation_level", flat=True)) == {1}
    assert SlaBreach.objects.filter(request_id__in=ids, clock=SlaClock.ESCALATION).count() == 30
    assert SlaBreach.objects.filter(request_id__in=ids, clock=SlaClock.FIRST_CONTACT).count() == 30


@pytest.mark.django_db
def test_a_sweep_inside_a_transaction_or_on_sqlite_takes_one_lane(settings):
    """Issue 17 §3: a second connection could not see the caller's uncommitted rows; SQLite has no row locks."""
    from django.db import transaction

    from salesservice.core.clocks import sweep_lanes

    settings.SWEEP_LANES = 3
    assert sweep_lanes(1) == 1
    with transaction.atomic():
        assert sweep_lanes() == 1
    if connection.vendor != "postgresql":
        assert sweep_lanes() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sweep_in_two_lanes_writes_each_fact_and_notice_once(settings, monkeypatch):
    """SRV-2, issue 17 §3: two connections take batches at once (SKIP LOCKED) — every due request is escalated
    once with its breach, event, audit entry and notices, exactly as one lane would, and both lanes worked."""
    if connection.vendor != "postgresql":
        pytest.skip("lanes need PostgreSQL's row locks")
    import time

    from auditlog.models import LogEntry

    from salesservice.core import clocks
    from salesservice.core.demo import load_demo_org
    from salesservice.core.models import Event

    load_demo_org()
    received = (timezone.now() - dt.timedelta(minutes=10)).replace(microsecond=0)
    ids = [make_request(received_at=received).pk for _ in range(24)]
    threads_seen: set[int] = set()
    handle = clocks._handle_together

    def slow_handle(rows, *args):
        threads_seen.add(threading.get_ident())
        time.sleep(0.05)  # lets the other lane take the next batch meanwhile
        return handle(rows, *args)

    monkeypatch.setattr(clocks, "_handle_together", slow_handle)
    settings.SWEEP_LANES = 2
    events_before, audit_before = Event.objects.count(), LogEntry.objects.count()
    result = sla_sweep(now=received + dt.timedelta(hours=25), batch_size=3)

    assert len(threads_seen) == 2
    assert (result.first_contact_breaches, result.escalations) == (24, 24)
    assert Escalation.objects.filter(request_id__in=ids).count() == 24
    assert SlaBreach.objects.filter(request_id__in=ids).count() == 48
    assert set(ServiceRequest.objects.filter(pk__in=ids).values_list("escalation_level", flat=True)) == {1}
    assert Event.objects.count() - events_before == 24 * 3  # two breaches and one escalation each
    assert LogEntry.objects.count() - audit_before == 24 * 4  # the request's change, two breaches, the escalation
    sample = ServiceRequest.objects.get(pk=ids[0])
    per_request = Notification.objects.filter(url=request_url(sample)).values_list("recipient_id", "kind")
    assert len(per_request) == len(set(per_request)) > 0
    assert Notification.objects.filter(kind="service.escalated").count() == 24 * len(
        {r for r, kind in per_request if kind == "service.escalated"}
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sweep_of_one_batch_opens_no_other_lane(settings, monkeypatch):
    """The usual minute (nothing or a few due) stays on the caller's connection: other lanes start only once the
    first batch comes back full."""
    if connection.vendor != "postgresql":
        pytest.skip("lanes need PostgreSQL's row locks")
    from salesservice.core.demo import load_demo_org

    load_demo_org()
    received = (timezone.now() - dt.timedelta(minutes=10)).replace(microsecond=0)
    for _ in range(4):
        make_request(received_at=received)
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread.name))
    settings.SWEEP_LANES = 2
    result = sla_sweep(now=received + dt.timedelta(hours=25), batch_size=5)
    assert (result.first_contact_breaches, result.escalations, started) == (4, 4, [])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_error_in_another_lane_reaches_the_caller(settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("lanes need PostgreSQL's row locks")
    from salesservice.core import clocks
    from salesservice.core.demo import load_demo_org

    load_demo_org()
    received = (timezone.now() - dt.timedelta(minutes=10)).replace(microsecond=0)
    for _ in range(6):
        make_request(received_at=received)
    main = threading.get_ident()
    handle = clocks._handle_together

    def failing_elsewhere(rows, *args):
        if threading.get_ident() != main:
            raise RuntimeError("lane broke")
        import time

        time.sleep(0.05)
        return handle(rows, *args)

    monkeypatch.setattr(clocks, "_handle_together", failing_elsewhere)
    settings.SWEEP_LANES = 2
    with pytest.raises(RuntimeError, match="lane broke"):
        sla_sweep(now=received + dt.timedelta(hours=25), batch_size=2)
