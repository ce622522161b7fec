"""Writing timeline events — every service records what it did through `record_event`."""

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from . import context
from .models import Event


def build_event(*, event_type, target, actor=None, old=None, new=None, message: str = "", at=None) -> Event:
    """An unsaved timeline event on `target` with who/where from the request context — for bulk writers.

    `at`: when it happened, if not now (a service recording an action at a given moment)."""
    ctx = context.current()
    if actor is None and ctx.user is not None and getattr(ctx.user, "is_authenticated", False):
        actor = ctx.user
    return Event(
        event_type=event_type,
        actor=actor,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        old=old,
        new=new,
        message=str(message)[:300],
        request_id=ctx.request_id,
        remote_addr=ctx.remote_addr,
        via=ctx.via,
        created_at=at or timezone.now(),
    )


def record_event(*, event_type, target, actor=None, old=None, new=None, message: str = "", at=None) -> Event:
    """Record a typed timeline event on `target`, in the caller's transaction."""
    event = build_event(event_type=event_type, target=target, actor=actor, old=old, new=new, message=message, at=at)
    event.save()
    return event


def event_value(value):
    """An event's old/new value as JSON: a model by pk, a Decimal as text, a date as ISO."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def apply_changes(obj, changes: dict, *, actor, event_type, validate=None) -> dict:
    """Edit a versioned record (already locked by `lock_current`): set the fields of `changes` whose value
    differs, run `validate(obj)`, bump `version`, save and record `event_type` with old and new values.
    Answers the fields that changed (nothing written, no event, when none did)."""
    changed = {field: value for field, value in changes.items() if getattr(obj, field) != value}
    if not changed:
        return changed
    old = {field: event_value(getattr(obj, field)) for field in changed}
    for field, value in changed.items():
        setattr(obj, field, value)
    if validate is not None:
        validate(obj)
    obj.version += 1
    obj.save()
    record_event(
        event_type=event_type,
        target=obj,
        actor=actor,
        old=old,
        new={field: event_value(value) for field, value in changed.items()},
    )
    return changed


def events_for(target, limit: int = 100):
    ct = ContentType.objects.get_for_model(target, for_concrete_model=False)
    return (
        Event.objects.filter(target_type=ct, target_id=str(target.pk)).select_related("actor").order_by("-id")[:limit]
    )
