"""Writing timeline events — every service records what it did through `record_event`."""

from django.contrib.contenttypes.models import ContentType

from . import context
from .models import Event


def record_event(*, event_type, target, actor=None, old=None, new=None, message: str = "") -> Event:
    """Record a typed timeline event on `target`, in the caller's transaction."""
    ctx = context.current()
    if actor is None and ctx.user is not None and getattr(ctx.user, "is_authenticated", False):
        actor = ctx.user
    return Event.objects.create(
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
    )


def events_for(target, limit: int = 100):
    ct = ContentType.objects.get_for_model(target, for_concrete_model=False)
    return (
        Event.objects.filter(target_type=ct, target_id=str(target.pk)).select_related("actor").order_by("-id")[:limit]
    )
