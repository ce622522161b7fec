"""The one door for status changes (CONVENTIONS: django-oscar `set_status`).

Each document declares its TRANSITIONS table in its app's `choices.py`; services call
`transition()` and nothing else assigns a status field.
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from .choices import EventType
from .events import record_event
from .exceptions import InvalidTransition


def can_transition(transitions: Mapping[str, set[str]], current: str, target: str) -> bool:
    return target in transitions.get(current, set())


def transition(
    obj,
    to_status: str,
    *,
    transitions: Mapping[str, set[str]],
    actor=None,
    field: str = "status",
    reason: str = "",
    save: bool = True,
    extra_update_fields: tuple[str, ...] = (),
    at=None,
):
    """Move `obj.<field>` to `to_status` if the table allows it, and record the change.

    The caller holds the row lock (select_for_update) and the transaction. Raises
    `InvalidTransition` (→ HTTP 409) with a Chinese message naming both states. `at`: the moment the
    event is dated with, when the service records an action at a given time (default now).
    """
    current = getattr(obj, field)
    if not can_transition(transitions, current, to_status):
        labels = dict(obj._meta.get_field(field).choices or [])
        raise InvalidTransition(
            "status.invalid_transition",
            _("不能从“%(old)s”变为“%(new)s”")
            % {"old": labels.get(current, current), "new": labels.get(to_status, to_status)},
            fields={"current": current, "target": to_status},
        )
    setattr(obj, field, to_status)
    if save:
        update_fields = [field, *extra_update_fields]
        if hasattr(obj, "version"):
            obj.version += 1
            update_fields.append("version")
        if hasattr(obj, "updated_at"):
            update_fields.append("updated_at")
        obj.save(update_fields=update_fields)
    record_event(
        event_type=EventType.STATUS_CHANGED,
        target=obj,
        actor=actor,
        old={field: current},
        new={field: to_status},
        message=reason,
        at=at,
    )
    return obj
