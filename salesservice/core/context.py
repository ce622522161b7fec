"""Who is acting, from where, in which request — available to services, audit and events.

A contextvar rather than a thread-local so it is also right under ASGI and in Celery tasks.
"""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class RequestContext:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    remote_addr: str | None = None
    via: str = "system"  # web | api:session | api:token#<id> | job | command | system
    user: object | None = None
    memo: dict = field(default_factory=dict)  # per-request caches (core.directory)


_current: ContextVar[RequestContext | None] = ContextVar("salesservice_request_context", default=None)


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        ctx = RequestContext()
        _current.set(ctx)
    return ctx


def activate(ctx: RequestContext):
    return _current.set(ctx)


def reset(token) -> None:
    _current.reset(token)


@contextmanager
def acting(user):
    """Within the block, `user` is the actor of audit entries unless a request already named one."""
    ctx = current()
    previous = ctx.user
    if user is not None and (previous is None or not getattr(previous, "is_authenticated", False)):
        ctx.user = user
    try:
        yield ctx
    finally:
        ctx.user = previous
