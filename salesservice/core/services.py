"""Writes to org units, users and role memberships. Every change: one transaction + its event."""

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from .audit import service
from .choices import EventType, OrgUnitKind
from .concurrency import lock_current
from .events import record_event
from .exceptions import DomainError, PermissionDeniedError
from .models import Membership, OrgUnit, User
from .roles import ROLES_BY_CODE
from .scoping import can_see_unit

# Which kind of unit may sit under which (the org tree of the seeds: 总部 → 区部 → 门店).
ALLOWED_PARENTS = {
    OrgUnitKind.COMPANY: {None},
    OrgUnitKind.REGION: {OrgUnitKind.COMPANY},
    OrgUnitKind.STORE: {OrgUnitKind.REGION},
    OrgUnitKind.DEPARTMENT: {OrgUnitKind.COMPANY, OrgUnitKind.REGION},
}

ORG_UNIT_EDITABLE = ("name", "address", "phone", "is_active")
USER_EDITABLE = ("display_name", "email", "phone", "employee_no", "is_active")


def _require(actor, perm: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDeniedError("permission_denied", _("没有权限执行此操作"))


@service
def org_unit_create(*, actor, code: str, name: str, kind: str, parent: OrgUnit | None = None, **extra) -> OrgUnit:
    """Add a unit to the org tree (INF-1: the tree is the boundary of visibility)."""
    _require(actor, "core.add_orgunit")
    if kind not in OrgUnitKind.values:
        raise DomainError("org_unit.invalid_kind", _("无效的组织类型"), fields={"kind": [_("无效")]})
    parent_kind = parent.kind if parent else None
    if parent_kind not in ALLOWED_PARENTS[kind]:
        raise DomainError(
            "org_unit.invalid_parent",
            _("“%(kind)s”不能设在“%(parent)s”之下")
            % {"kind": OrgUnitKind(kind).label, "parent": OrgUnitKind(parent_kind).label if parent_kind else _("顶层")},
            fields={"parent": [_("上级类型不符")]},
        )
    if kind == OrgUnitKind.COMPANY and OrgUnit.objects.filter(kind=OrgUnitKind.COMPANY).exists():
        raise DomainError("org_unit.single_company", _("只能有一个公司（总部）"))
    if actor is not None and parent is not None and not can_see_unit(actor, parent.pk):
        raise PermissionDeniedError("org_unit.out_of_scope", _("上级单元不在您的管辖范围内"))
    unknown = set(extra) - set(ORG_UNIT_EDITABLE)
    if unknown:
        raise DomainError("org_unit.unknown_fields", _("不可设置的字段：%s") % ", ".join(sorted(unknown)))
    if OrgUnit.objects.filter(code=code).exists():
        raise DomainError(
            "org_unit.duplicate_code", _("编码 %(code)s 已存在") % {"code": code}, fields={"code": [_("已存在")]}
        )
    unit = OrgUnit(code=code, name=name, kind=kind, parent=parent, **extra)
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    record_event(event_type=EventType.ORG_UNIT_CREATED, target=unit, actor=actor, new={"code": code, "name": name})
    return unit


@service
def org_unit_update(*, actor, unit_id: int, expected_version: int, **changes) -> OrgUnit:
    """Edit a unit's name, contact data or active flag; stale `expected_version` → 409."""
    _require(actor, "core.change_orgunit")
    unknown = set(changes) - set(ORG_UNIT_EDITABLE)
    if unknown:
        raise DomainError("org_unit.unknown_fields", _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    unit = lock_current(OrgUnit.objects.visible_to(actor) if actor else OrgUnit.objects, unit_id, expected_version)
    old = {field: getattr(unit, field) for field in changes}
    for field, value in changes.items():
        setattr(unit, field, value)
    unit.full_clean(exclude=["path", "parent"])
    unit.version += 1
    unit.save()
    record_event(event_type=EventType.ORG_UNIT_UPDATED, target=unit, actor=actor, old=old, new=changes)
    return unit


@service
def user_create(*, actor, username: str, password: str | None = None, **fields) -> User:
    """Create a login. Roles are granted separately with `membership_grant`."""
    _require(actor, "core.add_user")
    unknown = set(fields) - set(USER_EDITABLE)
    if unknown:
        raise DomainError("user.unknown_fields", _("不可设置的字段：%s") % ", ".join(sorted(unknown)))
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError("user.duplicate", _("用户名已存在"), fields={"username": [_("已存在")]})
    user = User(username=username, **fields)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError("user.weak_password", " ".join(exc.messages), fields={"password": exc.messages}) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
        user.save()
    except ValidationError as exc:
        raise DomainError("user.invalid", _("用户信息有误"), fields=exc.message_dict) from exc
    except IntegrityError as exc:
        raise DomainError("user.duplicate", _("用户名已存在"), fields={"username": [_("已存在")]}) from exc
    record_event(event_type=EventType.USER_CREATED, target=user, actor=actor, new={"username": username})
    return user


@service
def user_update(*, actor, user_id: int, expected_version: int, **changes) -> User:
    """Edit a user's profile; a user may edit their own name, email and phone."""
    unknown = set(changes) - set(USER_EDITABLE)
    if unknown:
        raise DomainError("user.unknown_fields", _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    own = actor is not None and actor.pk == user_id
    if not own or "is_active" in changes or "employee_no" in changes:
        _require(actor, "core.change_user")
    base = User.objects.visible_to(actor) if actor else User.objects.all()
    user = lock_current(base, user_id, expected_version)
    old = {field: getattr(user, field) for field in changes}
    for field, value in changes.items():
        setattr(user, field, value)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise DomainError("user.invalid", _("用户信息有误"), fields=exc.message_dict) from exc
    user.version += 1
    user.save()
    masked_old = {k: ("***" if k == "phone" else v) for k, v in old.items()}
    masked_new = {k: ("***" if k == "phone" else v) for k, v in changes.items()}
    record_event(event_type=EventType.USER_UPDATED, target=user, actor=actor, old=masked_old, new=masked_new)
    return user


@service
def membership_grant(*, actor, user: User, org_unit: OrgUnit, role_code: str) -> Membership:
    """Give `user` role `role_code` in `org_unit` (permissions follow memberships, see core.auth)."""
    _require(actor, "core.add_membership")
    if role_code not in ROLES_BY_CODE:
        raise DomainError("membership.unknown_role", _("未知角色 %(role)s") % {"role": role_code})
    if actor is not None and not can_see_unit(actor, org_unit.pk):
        raise PermissionDeniedError("membership.out_of_scope", _("该组织单元不在您的管辖范围内"))
    group = Group.objects.get(name=ROLES_BY_CODE[role_code].group_name)
    membership, created = Membership.objects.get_or_create(user=user, org_unit=org_unit, role=group)
    if created:
        record_event(
            event_type=EventType.MEMBERSHIP_GRANTED,
            target=user,
            actor=actor,
            new={"org_unit": org_unit.code, "role": role_code},
        )
    return membership


@service
def membership_revoke(*, actor, membership: Membership) -> None:
    _require(actor, "core.delete_membership")
    user = membership.user
    record_event(
        event_type=EventType.MEMBERSHIP_REVOKED,
        target=user,
        actor=actor,
        old={"org_unit": membership.org_unit.code, "role": membership.role.name},
    )
    membership.delete()
