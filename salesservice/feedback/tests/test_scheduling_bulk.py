"""FBK-2, issue 17 §4: scheduling follow-ups for closed requests is set-based — a fixed number of queries per
batch, consecutive numbers, one timeline event per follow-up — and falls back row by row when a follow-up for
one of the batch appeared meanwhile, without gaps or duplicates."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salesservice.core.models import Event
from salesservice.core.numbering import ensure_series

from ..choices import EventType, FollowUpKind, SourceKind
from ..models import FollowUp
from ..scheduling import _insert_batch, schedule_service_requests
from ..services import FOLLOW_UP_SERIES, FOLLOW_UP_SERIES_SPEC
from .factories import closed_request

pytestmark = pytest.mark.django_db


def _serial(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


def test_queries_do_not_grow_with_the_number_of_closed_requests(demo):
    """FBK-2: 3 and 12 closed requests are scheduled with the same number of queries (no per-row statements)."""
    closed_request("sh-xuhui")
    # creating the number series changes the configuration stamp, so it exists before the warm-up call, which
    # then leaves it in this process's configuration cache
    ensure_series(FOLLOW_UP_SERIES, **FOLLOW_UP_SERIES_SPEC)
    schedule_service_requests(timezone.now(), {})  # warm: the content types exist, the number series is cached
    for _ in range(3):
        closed_request("sh-xuhui")
    with CaptureQueriesContext(connection) as few:
        assert schedule_service_requests(timezone.now(), {}) == 3
    for _ in range(12):
        closed_request("sh-xuhui")
    with CaptureQueriesContext(connection) as many:
        assert schedule_service_requests(timezone.now(), {}) == 12
    assert len(many) == len(few)
    numbers = sorted(_serial(f.number) for f in FollowUp.objects.all())
    assert numbers == list(range(numbers[0], numbers[0] + 16))  # consecutive, no gap
    events = Event.objects.filter(event_type=EventType.FOLLOW_UP_SCHEDULED)
    assert sorted(int(e.target_id) for e in events) == sorted(FollowUp.objects.values_list("pk", flat=True))


def test_a_duplicate_in_the_batch_falls_back_row_by_row_without_a_gap(demo):
    """FBK-2: one source already followed up (a parallel hand) → the others are still scheduled, numbers gapless."""
    requests = [closed_request("sh-xuhui") for _ in range(3)]
    schedule_service_requests(timezone.now(), {})
    FollowUp.objects.filter(service_request=requests[1]).delete()
    taken = FollowUp.objects.get(service_request=requests[0]).number

    def follow_up_for(request):
        return FollowUp(
            customer_id=request.customer_id,
            store_id=request.store_id,
            kind=FollowUpKind.AFTER_SERVICE,
            service_request_id=request.pk,
            source_kind=SourceKind.SERVICE_REQUEST,
            source_id=request.pk,
            source_number=request.number,
            due_at=timezone.now(),
        )

    with transaction.atomic():
        created = _insert_batch([follow_up_for(requests[0]), follow_up_for(requests[1])], timezone.now())
    assert created == 1  # requests[0] already had one
    assert FollowUp.objects.filter(service_request=requests[0]).count() == 1
    assert FollowUp.objects.get(service_request=requests[0]).number == taken
    added = FollowUp.objects.get(service_request=requests[1]).number
    assert _serial(added) == max(_serial(f.number) for f in FollowUp.objects.all())  # the next number: no gap
    assert FollowUp.objects.count() == 3
