"""Masking personal data and logging each reveal (INF-1, SRV-10)."""

import re

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from . import context
from .choices import EventType
from .events import record_event
from .exceptions import DomainError, PermissionDeniedError
from .models import PersonalDataAccess


def mask_phone(value: str) -> str:
    """`13812340000` → `138****0000`; short numbers keep only their last two digits."""
    digits = (value or "").strip()
    if not digits:
        return ""
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * (len(digits) - 2) + digits[-2:] if len(digits) > 2 else "**"


def mask_email(value: str) -> str:
    value = (value or "").strip()
    if "@" not in value:
        return mask_text(value)
    local, domain = value.split("@", 1)
    return f"{local[:1]}***@{domain}"


def mask_id_number(value: str) -> str:
    value = (value or "").strip()
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_text(value: str, keep: int = 6) -> str:
    """Addresses and free text: keep the first characters (the district), hide the rest."""
    value = (value or "").strip()
    if not value:
        return ""
    return value[:keep] + "****" if len(value) > keep else value[:1] + "****"


MASKERS = {"phone": mask_phone, "email": mask_email, "id_number": mask_id_number, "address": mask_text}


def mask(kind: str, value: str) -> str:
    return MASKERS.get(kind, mask_text)(value)


_ID_NUMBER = re.compile(r"^\d{15}$|^\d{17}[\dXx]$")
_PHONE = re.compile(r"^\+?[\d\- ]{5,20}$")


def mask_any(value) -> str:
    """The page's mask for a value whose field kind is not known — the audit log's masking function
    (`AUDITLOG_MASK_CALLABLE`; issue 12 §7). auditlog's default hides the *first* half, pages show the
    head and tail: together they rebuilt the number. Now both show the same characters, never more."""
    text = str(value or "").strip()
    if not text or text == "None":
        return text
    if "@" in text:
        return mask_email(text)
    if _ID_NUMBER.match(text):
        return mask_id_number(text)
    if _PHONE.match(text):
        return mask_phone(text)
    return mask_text(text)


def can_reveal(user, obj=None) -> bool:
    """Whether `user` may read the full value. A model names the permission that allows it in
    `reveal_permission` (e.g. customers' contact data for the roles that call customers). Nobody may read
    the personal data of a record kept under legal retention after its data subject's erasure (TRC-4)."""
    if obj is not None and _shows_masked(obj) and restriction_of(obj) is not None:
        return False
    if obj is not None and getattr(obj, "pk", None) == getattr(user, "pk", None) and obj.__class__ is user.__class__:
        return True  # one's own data
    return user.has_perm(getattr(obj, "reveal_permission", None) or "core.reveal_personal_data")


def reveal(*, actor, obj, field: str, purpose: str = "") -> str:
    """Return the full value of `obj.<field>` and write the access log. Needs `reveal_personal_data`."""
    if not hasattr(obj, field) or field not in getattr(obj, "personal_data_fields", ()):
        raise DomainError("privacy.unknown_field", _("该字段不是可查看的个人信息"))
    restriction = restriction_of(obj)
    if restriction is not None:
        until = restriction.retained_until.isoformat() if restriction.retained_until else _("永久")
        raise PermissionDeniedError(
            "privacy.restricted",
            _("该记录依法保存（%(basis)s，保存至 %(until)s），其个人信息已限制处理，任何角色均不能查看完整信息")
            % {"basis": restriction.basis, "until": until},
        )
    if not can_reveal(actor, obj):
        raise PermissionDeniedError("privacy.forbidden", _("您的角色无权查看完整个人信息"))
    ctx = context.current()
    with transaction.atomic():
        PersonalDataAccess.objects.create(
            user=actor,
            target_type=ContentType.objects.get_for_model(obj),
            target_id=str(obj.pk),
            field=field,
            purpose=purpose[:200],
            remote_addr=ctx.remote_addr,
            via=ctx.via,
        )
        record_event(
            event_type=EventType.PERSONAL_DATA_REVEALED, target=obj, actor=actor, new={"field": field}, message=purpose
        )
    return getattr(obj, field)


def _shows_masked(obj) -> bool:
    """A restricted record holds its personal values masked (`personal_data.seal_rows`), so only a record
    showing a masked value needs its restriction marker looked up — pages pay no query otherwise. (`reveal`
    always looks it up.)"""
    return any("*" in str(getattr(obj, field, "") or "") for field in getattr(obj, "personal_data_fields", ()))


def restriction_of(obj):
    """The restriction marker of a record kept under legal retention after an erasure request, or None."""
    from .personal_data import restriction_for

    return restriction_for(obj)
