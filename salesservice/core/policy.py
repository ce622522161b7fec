"""Policy parameters: the value in force at a moment, and audited changes (DESIGN §5).

DOC-1: every change through `policy_set` names the controlled document version that sets it — approved or
issued, covering the parameter's clause — or is refused with `policy.document_required` (400, nothing
changed). `core` does not know the documents app (it is a layer above): the app registers a
`DocumentAuthority` in its `AppConfig.ready()` (`register_document_authority`), which answers whether a version
may set a parameter, lists the versions a page may offer, and links a recorded version to its page. Without a
registered authority every change is refused (fail closed).
"""

import copy
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Protocol

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from . import config_cache, context
from .choices import EventType, ValueType
from .events import record_event
from .exceptions import ConflictError, DomainError
from .models import PolicyParameter, PolicyValue

# How far back an edit may be dated: a change may not rewrite what was in force before it.
BACKDATE_TOLERANCE = timedelta(minutes=5)

_NUMERIC = {ValueType.DECIMAL, ValueType.PERCENT, ValueType.HOURS, ValueType.DAYS}

DOCUMENT_REQUIRED = "policy.document_required"


class DocumentAuthority(Protocol):
    """What the documents app answers for `policy_set` and the policy pages (DOC-1)."""

    def authorize(self, *, parameter: PolicyParameter, document_version, actor) -> tuple[str, str]:
        """Lock and check the version: `(label, "")` when it may set `parameter`, else `("", refusal message)`."""

    def choices(self, *, parameter: PolicyParameter, actor) -> list[tuple[int, str]]:
        """The versions `actor` may cite for `parameter` (id, label), newest first."""

    def url(self, document_ref: int) -> str:
        """The page of a recorded version ("" if none)."""


_authority: DocumentAuthority | None = None


def register_document_authority(authority: DocumentAuthority | None) -> None:
    """Called once by the documents app on start (tests may swap it)."""
    global _authority
    _authority = authority


def document_authority() -> DocumentAuthority | None:
    return _authority


def document_choices(parameter: PolicyParameter, actor) -> list[tuple[int, str]]:
    """DOC-1: the document versions a user may cite to change `parameter` (empty without an authority)."""
    return _authority.choices(parameter=parameter, actor=actor) if _authority else []


def document_url(document_ref) -> str:
    return _authority.url(document_ref) if (_authority and document_ref) else ""


def coerce_value(parameter: PolicyParameter, raw):
    """Validate `raw` against the parameter's type and bounds; return the JSON-storable form."""
    kind = parameter.value_type
    try:
        if kind == ValueType.INTEGER:
            if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
                raise ValueError
            value = int(str(raw).strip())
            number = Decimal(value)
        elif kind in _NUMERIC:
            number = Decimal(str(raw).strip())
            if not number.is_finite():
                raise ValueError
            value = format(number.normalize(), "f")
        elif kind == ValueType.BOOLEAN:
            if isinstance(raw, bool):
                value = raw
            elif str(raw).strip().lower() in {"true", "1", "yes", "是"}:
                value = True
            elif str(raw).strip().lower() in {"false", "0", "no", "否"}:
                value = False
            else:
                raise ValueError
            number = None
        elif kind == ValueType.TEXT:
            value = str(raw)
            if not value.strip():
                raise ValueError
            number = None
        else:  # JSON
            if not isinstance(raw, dict | list):
                raise ValueError
            value = raw
            number = None
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise DomainError(
            "policy.invalid_value",
            _("“%(value)s”不是有效的%(type)s") % {"value": raw, "type": parameter.get_value_type_display()},
            fields={"value": [_("值无效")]},
        ) from exc
    if number is not None:
        if parameter.min_value is not None and number < parameter.min_value:
            raise DomainError(
                "policy.out_of_range",
                _("值不能小于 %(min)s") % {"min": parameter.min_value.normalize()},
                fields={"value": [_("超出范围")]},
            )
        if parameter.max_value is not None and number > parameter.max_value:
            raise DomainError(
                "policy.out_of_range",
                _("值不能大于 %(max)s") % {"max": parameter.max_value.normalize()},
                fields={"value": [_("超出范围")]},
            )
    return value


def typed(parameter: PolicyParameter, stored):
    """The Python value of a stored JSON value: Decimal for numbers with a unit, int, bool, str."""
    if parameter.value_type == ValueType.INTEGER:
        return int(stored)
    if parameter.value_type in _NUMERIC:
        return Decimal(str(stored))
    return stored


def value_record_at(key: str, at: datetime | None = None) -> PolicyValue:
    at = at or timezone.now()
    record = (
        PolicyValue.objects.select_related("parameter")
        .filter(parameter__key=key, effective_from__lte=at)
        .order_by("-effective_from", "-number")
        .first()
    )
    if record is None:
        raise DomainError("policy.no_value", _("政策参数 %(key)s 在该时间没有生效值") % {"key": key})
    return record


def policy_value(key: str, at: datetime | None = None):
    """The value of policy parameter `key` in force at `at` (default: now), typed.

    The one function every rule reads its number through — never hard-code a seed's number. A parameter's
    history is read once per process and configuration stamp (`core.config_cache`, issue 17 §1): a value set
    anywhere is in force from the next request on every worker.
    """
    at = at or timezone.now()
    found = None
    for effective_from, value in config_cache.cached(("policy", key), lambda: _history(key)):
        if effective_from > at:
            break
        found = value
    if found is None:
        raise DomainError("policy.no_value", _("政策参数 %(key)s 在该时间没有生效值") % {"key": key})
    return copy.deepcopy(found) if isinstance(found, dict | list) else found  # the cached value stays as read


def _history(key: str) -> tuple[tuple[datetime, object], ...]:
    """A parameter's values in the order they take effect (the later number wins at the same moment)."""
    rows = (
        PolicyValue.objects.select_related("parameter").filter(parameter__key=key).order_by("effective_from", "number")
    )
    return tuple((row.effective_from, typed(row.parameter, row.value)) for row in rows)


def policy_set(
    *,
    actor,
    key: str,
    value,
    effective_from: datetime | None = None,
    reason: str = "",
    expected_version: int | None = None,
    document_version=None,
) -> PolicyValue:
    """Put a new value of a parameter in force from `effective_from` (default: now).

    Old values stay readable for the times before. Refuses back-dating (it would rewrite
    history), a stale `expected_version` (409) and values of the wrong type or out of range.
    DOC-1: `document_version` (a `documents.DocumentVersion` or its id) must be approved or issued and its
    document must cover the parameter's `source_clause` — else `policy.document_required` (400); the value
    records which version set it.
    """
    now = timezone.now()
    effective_from = effective_from or now
    if timezone.is_naive(effective_from):
        raise DomainError("policy.naive_datetime", _("生效时间必须带时区"))
    if effective_from < now - BACKDATE_TOLERANCE:
        raise DomainError(
            "policy.backdated",
            _("生效时间不能早于当前时间：政策变更不得追溯"),
            fields={"effective_from": [_("不能早于当前时间")]},
        )
    if not str(reason).strip():
        raise DomainError("policy.reason_required", _("请填写变更原因"), fields={"reason": [_("必填")]})
    with context.acting(actor), transaction.atomic():
        try:
            parameter = PolicyParameter.objects.select_for_update().get(key=key)
        except PolicyParameter.DoesNotExist as exc:
            raise DomainError("policy.unknown", _("没有政策参数 %(key)s") % {"key": key}) from exc
        if expected_version is not None and parameter.version != expected_version:
            raise ConflictError(
                "conflict.stale",
                _("该参数已被他人修改（当前版本 %(v)s），请刷新后重试") % {"v": parameter.version},
                fields={"version": parameter.version},
            )
        stored = coerce_value(parameter, value)
        document_ref = getattr(document_version, "pk", document_version)
        if document_ref in (None, ""):
            raise DomainError(
                DOCUMENT_REQUIRED,
                _("修改政策参数须依据已批准的受控文件版本（DOC-1），请选择依据文件"),
                fields={"document_version": [_("必填")]},
            )
        if _authority is None:
            raise DomainError(DOCUMENT_REQUIRED, _("文件控制未启用：无法核对依据文件，不能修改政策参数"))
        label, refusal = _authority.authorize(parameter=parameter, document_version=document_ref, actor=actor)
        if refusal:
            raise DomainError(DOCUMENT_REQUIRED, refusal, fields={"document_version": [refusal]})
        previous = PolicyValue.objects.filter(parameter=parameter).order_by("-number").first()
        number = (previous.number if previous else 0) + 1
        record = PolicyValue.objects.create(
            parameter=parameter,
            number=number,
            value=stored,
            effective_from=effective_from,
            reason=reason,
            created_by=actor,
            document_ref=int(document_ref),
            document_label=label[:200],
        )
        PolicyParameter.objects.filter(pk=parameter.pk).update(version=F("version") + 1)
        parameter.refresh_from_db(fields=["version"])
        record_event(
            event_type=EventType.POLICY_CHANGED,
            target=parameter,
            actor=actor,
            old={"value": previous.value if previous else None, "number": previous.number if previous else None},
            new={
                "value": stored,
                "number": number,
                "effective_from": effective_from.isoformat(),
                "document_version": int(document_ref),
                "document": label,
            },
            message=reason,
        )
    return record
