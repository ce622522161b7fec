"""Exactly one active Celery beat — guaranteed by a lock, not by a convention (DESIGN §9, issue 17 §5).

Any number of `celery beat` processes (or workers started with `-B`) may run against one database; the one
holding the beat lock sends the periodic tasks, the others are standbys that keep time and send nothing. When
the active beat dies, its lock goes with it and a standby takes over within `POLL_SECONDS`.

- **PostgreSQL**: a session advisory lock (`pg_try_advisory_lock`) on a connection of its own, outside
  Django's request cycle. The server releases it when that session ends, so a beat killed with `kill -9`
  or cut off from the database frees it without anyone cleaning up. Advisory locks belong to one database,
  so two deployments on one server do not block each other. Not through PgBouncer in transaction mode
  (a session lock needs a session): point the beat at PostgreSQL directly.
- **Elsewhere** (the embedded SQLite setup of `make run`): an exclusive `flock` on `VAR_DIR/celerybeat.lock`,
  which guards the processes of one machine — the only place such a setup runs.

Before each task it sends, the active beat checks that its lock is still there (one `SELECT 1` on the lock's
session); a beat that lost it becomes a standby at once. Standbys advance their schedule as if they had sent,
so a takeover continues the cadence instead of sending a burst of everything "missed".

Why not celery-redbeat (a Redis lock with a TTL): it keeps the schedule in Redis, which the embedded setup does
not have, and a TTL lock can expire under a paused-but-alive holder; the database session cannot.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from celery.beat import PersistentScheduler
from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

LOCK_NAME = "salesservice.celery-beat"
POLL_SECONDS = 5.0  # how often a standby asks for the lock: the longest a takeover waits


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for `pg_try_advisory_lock(bigint)`."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


class PostgresAdvisoryLock:
    """A session advisory lock on a dedicated connection to the database `alias`."""

    def __init__(self, alias: str = "default", name: str = LOCK_NAME):
        self.alias = alias
        self.key = advisory_key(name)
        self._connection = None
        self._held = False

    def _cursor(self):
        if self._connection is None:
            # Not `connections[alias]`: that one is closed and reopened by Django's request/job hooks,
            # and the lock lives exactly as long as this session.
            self._connection = connections.create_connection(self.alias)
        return self._connection.cursor()

    def try_acquire(self) -> bool:
        if self._held:
            return True
        try:
            with self._cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.key])
                self._held = bool(cursor.fetchone()[0])
        except Exception:  # the database is away: stay passive, try again later
            logger.warning("beat lock: cannot reach the database", exc_info=True)
            self._drop()
        return self._held

    def held(self) -> bool:
        """True while our session — and with it the lock — is alive."""
        if not self._held:
            return False
        try:
            with self._cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception:
            logger.error("beat lock: the lock's database session is gone, the lock with it", exc_info=True)
            self._drop()
        return self._held

    def release(self) -> None:
        if self._held:
            try:
                with self._cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [self.key])
            except Exception:
                logger.warning("beat lock: unlock failed (closing the session frees it)", exc_info=True)
        self._drop()

    def _drop(self) -> None:
        self._held = False
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:
                pass
            self._connection = None


class FileLock:
    """An exclusive `flock` on a file: one holder among the processes of this machine."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else Path(settings.VAR_DIR) / "celerybeat.lock"
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        try:
            import fcntl
        except ImportError:  # no flock (Windows): a single-machine setup, nothing to guard against
            self._fd = -1
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None and self._fd >= 0:
            os.close(self._fd)  # closing the descriptor drops the flock
        self._fd = None


def beat_lock(alias: str = "default") -> PostgresAdvisoryLock | FileLock:
    """The lock that fits the database: an advisory lock on PostgreSQL, a file lock otherwise."""
    if connections[alias].vendor == "postgresql":
        return PostgresAdvisoryLock(alias)
    return FileLock()


class LockedScheduler(PersistentScheduler):
    """Celery's file-backed scheduler that sends only while it holds the beat lock (`app.conf.beat_scheduler`)."""

    lock_poll_seconds = POLL_SECONDS

    def __init__(self, *args, **kwargs):
        self.lock = beat_lock()
        self.active = False
        self._standby_announced = False
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs):
        if not self.active:
            self._try_activate()
        interval = super().tick(*args, **kwargs)
        if not self.active:
            return min(interval, self.lock_poll_seconds)
        return interval

    def _try_activate(self) -> None:
        if self.lock.try_acquire():
            self.active = True
            self._standby_announced = False
            logger.warning("beat lock: acquired (pid %s) — this beat sends the periodic tasks", os.getpid())
        elif not self._standby_announced:
            self._standby_announced = True
            logger.warning("beat lock: held by another beat (pid %s stays a standby)", os.getpid())

    def apply_entry(self, entry, producer=None):
        if self.active and not self.lock.held():
            self.active = False
            logger.error("beat lock: lost — %s not sent, this beat is a standby now", entry.name)
        if not self.active:
            logger.debug("beat standby: %s due, not sent (another beat holds the lock)", entry.name)
            return  # the caller advances the entry as if sent: the cadence survives a takeover
        super().apply_entry(entry, producer=producer)

    def close(self):
        try:
            super().close()
        finally:
            self.lock.release()
            self.active = False
