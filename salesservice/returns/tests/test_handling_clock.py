"""RET-2 on the deadline engine: a return gets a handling deadline and escalates store → region → HQ while it
stalls; a handled return stops its clock; the sweep is idempotent and costs per batch."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salesservice.core.models import DeadlineBreach, Event, Notification
from salesservice.core.policy import policy_set
from salesservice.documents.testing import approved_version

from ..clocks import returns_sweep
from ..models import ReturnRequest
from .factories import advance, make_return, user

pytestmark = pytest.mark.django_db


def _breaches(request):
    content_type = ContentType.objects.get_for_model(ReturnRequest)
    return list(
        DeadlineBreach.objects.filter(target_type=content_type, target_id=str(request.pk))
        .order_by("level")
        .values_list("level", flat=True)
    )


def test_a_new_return_gets_its_handling_deadline_from_the_policy(demo):
    request = make_return()
    assert request.handling_due_at == request.requested_at + dt.timedelta(hours=48)  # 24×7 calendar default
    assert request.escalation_level == 0 and request.handling_clock_running


def test_a_stalled_return_escalates_level_by_level_then_stops_at_hq(demo):
    request = make_return()
    due = request.handling_due_at
    assert returns_sweep(now=due - dt.timedelta(minutes=1)) == {"breaches": 0, "escalations": 0}

    assert returns_sweep(now=due + dt.timedelta(minutes=1)) == {"breaches": 1, "escalations": 1}
    request.refresh_from_db()
    assert request.escalation_level == 1 and request.handling_due_at == due + dt.timedelta(hours=24)
    region_manager = user("east_manager")
    assert Notification.objects.filter(recipient=region_manager, kind="returns.escalated").exists()
    assert Event.objects.filter(target_id=str(request.pk), event_type="returns.escalated").count() == 1

    # Run twice at the same moment: nothing more.
    assert returns_sweep(now=due + dt.timedelta(minutes=1)) == {"breaches": 0, "escalations": 0}

    # A sweep that missed two deadlines catches up level by level; past HQ it records the breach and stops.
    totals = returns_sweep(now=due + dt.timedelta(hours=49))
    assert totals == {"breaches": 2, "escalations": 1}
    request.refresh_from_db()
    assert request.escalation_level == 2 and request.escalation_exhausted_at is not None
    assert _breaches(request) == [0, 1, 2]
    assert returns_sweep(now=due + dt.timedelta(hours=200)) == {"breaches": 0, "escalations": 0}


def test_a_handled_return_stops_its_clock(demo):
    handled = advance(make_return(reason="quality"), "rejected")
    assert not handled.handling_clock_running
    assert returns_sweep(now=timezone.now() + dt.timedelta(days=10)) == {"breaches": 0, "escalations": 0}
    assert _breaches(handled) == []


def test_a_later_policy_change_does_not_move_existing_deadlines(demo):
    request = make_return()
    policy_set(
        actor=user("admin"),
        key="returns.handling_hours",
        value="4",
        reason="提速",
        effective_from=timezone.now(),
        document_version=approved_version("RET-2"),  # DOC-1
    )
    assert make_return().handling_due_at - timezone.now() < dt.timedelta(hours=5)
    request.refresh_from_db()
    assert request.handling_due_at == request.requested_at + dt.timedelta(hours=48)


def test_sweep_cost_is_per_batch_not_per_return(demo):
    few = [make_return() for _ in range(2)]
    at = max(r.handling_due_at for r in few) + dt.timedelta(minutes=1)
    with CaptureQueriesContext(connection) as small:
        returns_sweep(now=at)
    more = [make_return() for _ in range(8)]
    at = max(r.handling_due_at for r in more) + dt.timedelta(minutes=1)
    with CaptureQueriesContext(connection) as large:
        assert returns_sweep(now=at)["escalations"] == 8
    assert len(large.captured_queries) <= len(small.captured_queries) + 2


def test_the_return_page_and_api_show_the_deadline_and_level(demo, web_for, api_for):
    request = make_return()
    returns_sweep(now=request.handling_due_at + dt.timedelta(minutes=1))
    page = web_for("xuhui_manager").get(f"/returns/{request.pk}/").content.decode()
    assert 'id="handling-due"' in page and "区部" in page
    body = api_for("xuhui_manager").get(f"/api/v1/returns/{request.pk}/").json()
    assert body["escalation_level"] == 1 and body["handling_due_at"]
