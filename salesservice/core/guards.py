"""Checks every service starts with: permission, the moment an action is recorded at, the record in scope
(locked), the version the caller saw. One copy here, used by every app's services."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import ConflictError, DomainError, NotFoundError, PermissionDeniedError

# A client's clock may run a little ahead of ours.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def require_perm(actor, perm: str) -> None:
    """`actor` None means the system itself (a job); a user must hold `perm`."""
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDeniedError("permission_denied", _("没有权限执行此操作"))


def checked_moment(at: dt.datetime | None, *, prefix: str, not_before: dt.datetime | None = None) -> dt.datetime:
    """When an action happened: now, or a given aware moment that is not in the future and not before
    `not_before` (the document's receipt) — for imports and replays."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        raise DomainError(f"{prefix}.naive_datetime", _("时间必须带时区"))
    if at > now + FUTURE_TOLERANCE:
        raise DomainError(f"{prefix}.future_time", _("时间不能晚于当前时间"))
    if not_before is not None and at < not_before:
        raise DomainError(f"{prefix}.time_before_receipt", _("时间不能早于受理时间"))
    return at


def scoped_get(model, actor, pk_or_obj, *, lock: bool = True, code: str, message):
    """The record if `actor` may see it (None: the system sees all), locked for update; else 404."""
    pk = pk_or_obj.pk if isinstance(pk_or_obj, model) else pk_or_obj
    queryset = model._default_manager.all()
    if actor is not None:
        queryset = queryset.visible_to(actor)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(code, message) from None


def check_version(obj, expected_version: int | None) -> None:
    """Optimistic concurrency: refuse (409 `conflict.stale`) if the caller saw an older version."""
    if expected_version is not None and obj.version != expected_version:
        raise ConflictError(
            "conflict.stale",
            _("记录已被他人修改（当前版本 %(v)s），请刷新后重试") % {"v": obj.version},
            fields={"version": obj.version},
        )
