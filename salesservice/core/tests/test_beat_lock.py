"""The beat lock: one beat sends, the others stand by until it is gone (DESIGN §9, issue 17 §5).

Runs on SQLite (a file lock) and PostgreSQL (a session advisory lock): `DATABASE_URL=postgres://… pytest …`.
"""

import time

import pytest
from celery import Celery
from django.db import connection

from salesservice.core.beat_lock import FileLock, LockedScheduler, PostgresAdvisoryLock, beat_lock

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")


@pytest.fixture
def lock_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def locks(lock_dir):
    made = []

    def make():
        lock = beat_lock()
        made.append(lock)
        return lock

    yield make
    for lock in made:
        lock.release()


def test_lock_fits_the_database(locks):
    expected = PostgresAdvisoryLock if connection.vendor == "postgresql" else FileLock
    assert isinstance(locks(), expected)


def test_second_acquirer_refused_while_the_first_holds_then_gets_it_after_release(locks):
    first, second = locks(), locks()

    assert first.try_acquire()
    assert first.held()
    assert not second.try_acquire()
    assert not second.try_acquire()  # asking again changes nothing

    first.release()

    assert not first.held()
    assert second.try_acquire()
    assert second.held()
    assert not first.try_acquire()


def test_acquiring_twice_is_holding_once(locks):
    lock, other = locks(), locks()
    assert lock.try_acquire()
    assert lock.try_acquire()
    lock.release()
    assert other.try_acquire()


@on_postgres
def test_lock_goes_with_the_holders_session(locks):
    """A beat killed with -9 ends its database session; the server frees the lock, nobody cleans up."""
    holder, standby = locks(), locks()
    assert holder.try_acquire()
    with holder._connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])

    deadline = time.monotonic() + 5
    while not standby.try_acquire() and time.monotonic() < deadline:
        time.sleep(0.05)

    assert standby.held()
    assert not holder.held()  # the old holder notices before it would send


def test_file_lock_freed_when_its_descriptor_closes(tmp_path):
    holder, standby = FileLock(tmp_path / "beat.lock"), FileLock(tmp_path / "beat.lock")
    assert holder.try_acquire()
    assert not standby.try_acquire()
    holder.release()
    assert standby.try_acquire()
    standby.release()


# --- the scheduler --------------------------------------------------------------------------------


class RecordingScheduler(LockedScheduler):
    """Records what it would send instead of talking to a broker."""

    def __init__(self, *args, **kwargs):
        self.sent: list[str] = []
        super().__init__(*args, **kwargs)

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        self.sent.append(entry.name)


class GoneLock:
    def try_acquire(self):
        return False

    def held(self):
        return False

    def release(self):
        pass


def _scheduler(app, path):
    return RecordingScheduler(app=app, schedule_filename=str(path))


def _run(schedulers, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for scheduler in schedulers:
            scheduler.tick()
        time.sleep(0.01)


@pytest.fixture
def beat_app():
    app = Celery("beat-lock-test", set_as_current=False, broker="memory://")
    app.conf.beat_schedule = {"tick": {"task": "test.tick", "schedule": 0.1}}
    return app


def test_standby_beat_sends_nothing_and_takes_over_when_the_active_one_stops(lock_dir, beat_app):
    active = _scheduler(beat_app, lock_dir / "a-schedule")
    standby = _scheduler(beat_app, lock_dir / "b-schedule")
    try:
        _run([active, standby], 0.6)

        assert active.active and not standby.active
        assert active.sent.count("tick") >= 3
        assert standby.sent == []

        sent_before = len(active.sent)
        active.close()
        _run([standby], 0.6)

        assert standby.active
        assert standby.sent.count("tick") >= 3
        assert len(active.sent) == sent_before
    finally:
        active.close()
        standby.close()


def test_beat_that_lost_its_lock_stops_sending_before_the_next_task(lock_dir, beat_app):
    scheduler = _scheduler(beat_app, lock_dir / "schedule")
    real_lock = scheduler.lock
    try:
        _run([scheduler], 0.3)
        assert scheduler.active

        scheduler.lock = GoneLock()  # the lock's session died under it, another beat took the lock
        sent = len(scheduler.sent)
        scheduler.tick()
        time.sleep(0.15)
        scheduler.tick()

        assert not scheduler.active
        assert len(scheduler.sent) == sent
    finally:
        scheduler.lock = real_lock
        scheduler.close()


def test_celery_app_uses_the_locked_scheduler():
    from salesservice.celery import app

    assert app.conf.beat_scheduler == "salesservice.core.beat_lock:LockedScheduler"
