"""Fixed-window rate limits that hold across workers, processes and nodes (issue 12 §9).

Counters live in Django's default cache, which `settings.CACHES` makes shared: Redis when
`CACHE_URL=redis://…` (production, several nodes), else a file cache under `VAR_DIR/cache` that every
worker of the embedded setup reads — never per-process memory, where `gunicorn -w 2` doubles a limit.

Used by the public service form and the suggestion box (5 posts per IP per hour) and by the per-IP
limit on failed logins across usernames (password spraying; `core.auth.FailedLoginGuard`).
"""

from __future__ import annotations

from django.core.cache import caches

from . import context


def client_ip(request) -> str:
    """The client's address as the request context resolved it (proxy-aware), else REMOTE_ADDR."""
    return context.current().remote_addr or request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, subject: str) -> str:
    return f"ratelimit:{scope}:{subject}"


def hit(scope: str, subject: str, *, window: int, cache=None) -> int:
    """Count one event of `subject` (an IP…) in `scope`; returns the count within the current window."""
    cache = cache or caches["default"]
    key = _key(scope, subject)
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def count(scope: str, subject: str, *, cache=None) -> int:
    """Events counted in the current window (without counting one)."""
    return int((cache or caches["default"]).get(_key(scope, subject), 0) or 0)


def exceeded(scope: str, subject: str, *, limit: int, window: int, cache=None) -> bool:
    """Count this event; True when it is beyond `limit` within the window."""
    return hit(scope, subject, window=window, cache=cache) > limit
