"""DESIGN §4: gapless per-type numbering, reset per day or year, safe under concurrency."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from salesservice.core.exceptions import DomainError
from salesservice.core.models import NumberCounter
from salesservice.core.numbering import ensure_series, next_number

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def series(db):
    ensure_series("service_request", name="售后服务单", prefix="SR", reset="daily")
    ensure_series("contract", name="合同", prefix="HT", reset="yearly", padding=5)


def take(doc_type, at=None):
    with transaction.atomic():
        return next_number(doc_type, at=at)


def test_daily_series_formats_and_resets_each_day(series):
    day1 = datetime(2026, 11, 22, 10, tzinfo=SHANGHAI)
    day2 = datetime(2026, 11, 23, 0, 5, tzinfo=SHANGHAI)
    assert take("service_request", day1) == "SR-20261122-0001"
    assert take("service_request", day1) == "SR-20261122-0002"
    assert take("service_request", day2) == "SR-20261123-0001"


def test_period_follows_local_time_not_utc(series):
    # 16:30 UTC on the 22nd is already 00:30 on the 23rd in Shanghai: the number carries the local date.
    late = datetime(2026, 11, 22, 16, 30, tzinfo=ZoneInfo("UTC"))
    assert take("service_request", late) == "SR-20261123-0001"


def test_yearly_series_resets_each_year(series):
    assert take("contract", datetime(2026, 12, 31, 23, tzinfo=SHANGHAI)) == "HT-2026-00001"
    assert take("contract", datetime(2027, 1, 1, 0, 1, tzinfo=SHANGHAI)) == "HT-2027-00001"


def test_rolled_back_document_gives_its_number_back(series):
    at = datetime(2026, 11, 22, 9, tzinfo=SHANGHAI)
    assert take("service_request", at) == "SR-20261122-0001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number("service_request", at=at) == "SR-20261122-0002"
        raise RuntimeError("document failed validation")
    assert take("service_request", at) == "SR-20261122-0002"


def test_unknown_series_is_refused(db):
    with pytest.raises(DomainError) as error:
        take("nothing")
    assert error.value.code == "numbering.unknown_series"


@pytest.mark.django_db(transaction=True)
def test_taking_a_number_outside_a_transaction_is_refused():
    ensure_series("service_request", name="售后服务单", prefix="SR", reset="daily")
    with pytest.raises(RuntimeError):
        next_number("service_request")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_transactions_get_gapless_unique_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL (SQLite serialises writers)")
    ensure_series("parallel", name="并发测试", prefix="PX", reset="daily")
    at = datetime(2026, 11, 22, 12, tzinfo=SHANGHAI)
    workers, per_worker = 8, 25
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(workers)

    def work():
        from django.db import connections

        try:
            barrier.wait()
            for _ in range(per_worker):
                with transaction.atomic():
                    number = next_number("parallel", at=at)
                with lock:
                    numbers.append(number)
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    expected = {f"PX-20261122-{n:04d}" for n in range(1, workers * per_worker + 1)}
    assert len(numbers) == workers * per_worker
    assert set(numbers) == expected  # no duplicates, no gaps
    assert NumberCounter.objects.get(series__doc_type="parallel").last_value == workers * per_worker


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_first_number_of_a_new_period_is_not_duplicated():
    """The counter row of a new day is created by whichever transaction comes first."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    ensure_series("firstofday", name="首号并发", prefix="FD", reset="daily")
    at = datetime(2026, 12, 1, 0, 0, 1, tzinfo=SHANGHAI)
    workers = 10
    numbers, errors = [], []
    barrier = threading.Barrier(workers)

    def work():
        from django.db import connections

        try:
            barrier.wait()
            with transaction.atomic():
                numbers.append(next_number("firstofday", at=at))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors, errors
    assert sorted(numbers) == [f"FD-20261201-{n:04d}" for n in range(1, workers + 1)]
