"""Writes to engineer certifications (PPL-4), and the dispatch gate the service desk calls.

Every write runs in one transaction (`@service`), checks the actor's permission and scope,
and records a typed timeline event (`people.*`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.attachments import attachment_add
from salesservice.core.audit import service
from salesservice.core.concurrency import lock_current
from salesservice.core.events import record_event
from salesservice.core.exceptions import ConflictError, DomainError
from salesservice.core.guards import require_perm
from salesservice.core.models import User
from salesservice.core.reasons import Reason

from .choices import EventType
from .models import Certification
from .selectors import valid_certifications

CERTIFICATION_EDITABLE = ("category", "certificate_no", "issued_by", "issued_at", "valid_until", "notes")


def _jsonable(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _full_clean(obj, code: str) -> None:
    try:
        obj.full_clean(exclude=["user", "category", "evidence", "revoked_by"])
    except ValidationError as exc:
        fields = exc.message_dict
        name, messages = next(iter(fields.items()))
        label = str(obj._meta.get_field(name).verbose_name) + "：" if name != "__all__" else ""
        raise DomainError(code, label + "".join(messages[:1]), fields=fields) from exc


def _validate(certification: Certification) -> None:
    certification.certificate_no = (certification.certificate_no or "").strip()
    certification.issued_by = (certification.issued_by or "").strip()
    if not certification.certificate_no:
        raise DomainError("certification.number_required", _("请填写证书编号"), fields={"certificate_no": [_("必填")]})
    if certification.issued_at is None:
        raise DomainError("certification.issued_at_required", _("请填写发证日期"), fields={"issued_at": [_("必填")]})
    if certification.valid_until is not None and certification.valid_until < certification.issued_at:
        raise DomainError(
            "certification.invalid_period",
            _("有效期至不能早于发证日期"),
            fields={"valid_until": [_("不能早于发证日期")]},
        )
    _full_clean(certification, "certification.invalid")


# --- the dispatch gate ------------------------------------------------------------------


def certification_check(engineer, product=None, at=None) -> list[Reason]:
    """PPL-4 (seed 001 第十九条; 004 §4.1.4): may `engineer` be dispatched for `product` on `at`?

    Empty when the engineer is active and holds a certification in force on `at` (date or aware
    datetime; default now), not revoked, whose category is the product's category or an ancestor
    of it; without a product (or a product without category) any certification in force suffices.
    """
    reasons: list[Reason] = []
    name = getattr(engineer, "name", None) or str(engineer)
    if not engineer.is_active:
        reasons.append(
            Reason("dispatch.engineer_inactive", _("工程师 %(name)s 的账号已停用，不能派工") % {"name": name})
        )
    category = getattr(product, "category", None) if product is not None else None
    if not valid_certifications(product, at).filter(user_id=engineer.pk).exists():
        if category is not None:
            message = _("工程师 %(name)s 没有“%(category)s”类商品的有效上岗资格证，不能派工") % {
                "name": name,
                "category": category.name,
            }
        else:
            message = _("工程师 %(name)s 没有有效的上岗资格证，不能派工") % {"name": name}
        reasons.append(Reason("dispatch.uncertified", message))
    return reasons


# --- writes -----------------------------------------------------------------------------


def _user_in_scope(actor, user: User) -> User:
    if actor is not None and not User.objects.visible_to(actor).filter(pk=user.pk).exists():
        raise DomainError(
            "certification.user_not_found", _("该人员不存在或不在您的管辖范围内"), fields={"user": [_("无效")]}
        )
    return user


@service
def certification_add(
    *,
    actor,
    user: User,
    category,
    certificate_no: str,
    issued_at: dt.date,
    valid_until: dt.date | None = None,
    issued_by: str = "",
    evidence=None,
    notes: str = "",
) -> Certification:
    """Record that `user` passed the exam for `category` (PPL-4); `evidence` is the scanned certificate."""
    require_perm(actor, "people.add_certification")
    _user_in_scope(actor, user)
    certification = Certification(
        user=user,
        category=category,
        certificate_no=certificate_no,
        issued_by=issued_by or "",
        issued_at=issued_at,
        valid_until=valid_until,
        notes=(notes or "").strip(),
    )
    _validate(certification)
    if Certification.objects.filter(
        user=user, certificate_no=certification.certificate_no, revoked_at__isnull=True
    ).exists():
        raise ConflictError(
            "certification.duplicate",
            _("%(name)s 已登记证书 %(no)s") % {"name": user.name, "no": certification.certificate_no},
            fields={"certificate_no": [_("已存在")]},
        )
    certification.save()
    if evidence is not None:
        certification.evidence = attachment_add(
            actor=actor, target=certification, file=evidence, description=_("上岗资格证扫描件")
        )
        certification.save(update_fields=["evidence"])
    record_event(
        event_type=EventType.CERTIFICATION_ADDED,
        target=certification,
        actor=actor,
        new={
            "user": user.pk,
            "category": category.pk,
            "certificate_no": certification.certificate_no,
            "valid_until": _jsonable(valid_until),
        },
    )
    return certification


@service
def certification_update(*, actor, certification_id: int, expected_version: int, **changes) -> Certification:
    """Correct a certification's data; a stale `expected_version` → 409; a revoked one is frozen."""
    require_perm(actor, "people.change_certification")
    unknown = set(changes) - set(CERTIFICATION_EDITABLE)
    if unknown:
        raise DomainError("certification.unknown_fields", _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    base = Certification.objects.visible_to(actor) if actor is not None else Certification.objects.all()
    certification = lock_current(base, certification_id, expected_version)
    if certification.revoked_at is not None:
        raise ConflictError("certification.revoked", _("该上岗资格已吊销，不能修改"))
    changed = {field: value for field, value in changes.items() if getattr(certification, field) != value}
    if not changed:
        return certification
    old = {field: _jsonable(getattr(certification, field)) for field in changed}
    for field, value in changed.items():
        setattr(certification, field, value)
    _validate(certification)
    certification.version += 1
    certification.save()
    record_event(
        event_type=EventType.CERTIFICATION_UPDATED,
        target=certification,
        actor=actor,
        old=old,
        new={field: _jsonable(value) for field, value in changed.items()},
    )
    return certification


@service
def certification_revoke(*, actor, certification_id: int, reason: str) -> Certification:
    """Withdraw a certification with a reason (PPL-4); the engineer can no longer be dispatched on it."""
    require_perm(actor, "people.change_certification")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("certification.reason_required", _("请填写吊销原因"), fields={"reason": [_("必填")]})
    base = Certification.objects.visible_to(actor) if actor is not None else Certification.objects.all()
    certification = base.select_for_update().get(pk=certification_id)
    if certification.revoked_at is not None:
        raise ConflictError("certification.already_revoked", _("该上岗资格已吊销"))
    certification.revoked_at = timezone.now()
    certification.revoked_by = actor
    certification.revoked_reason = reason
    certification.version += 1
    certification.save(update_fields=["revoked_at", "revoked_by", "revoked_reason", "version", "updated_at"])
    record_event(
        event_type=EventType.CERTIFICATION_REVOKED,
        target=certification,
        actor=actor,
        old={"revoked": False},
        new={"revoked": True},
        message=reason,
    )
    return certification
