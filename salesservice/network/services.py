"""Writes to outsourced providers (NET-1…NET-4), and the dispatch gate the service desk calls.

Every write runs in one transaction (`@service`), checks the actor's permission and scope,
and records a timeline event (`network.*`). The status moves only through the declared ladder
(`workflows.PROVIDER_WORKFLOW`: `check`, then `move`, which writes `core.status_changed` —
core's `EventType.STATUS_CHANGED`, the ladder's record).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.concurrency import lock_current
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import DomainError, PermissionDeniedError
from salesservice.core.guards import require_perm
from salesservice.core.models import User
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_number
from salesservice.core.policy import policy_value
from salesservice.core.reasons import Reason
from salesservice.core.roles import ROLES
from salesservice.core.scoping import can_see_unit

from .choices import EvaluationItem, EventType, ProviderStatus
from .errors import NetworkErrorCode as E
from .models import ProviderSanction, ProviderViolation, ServiceProvider
from .workflows import LADDER, PROVIDER_WORKFLOW, next_statuses

PROVIDER_FIELDS = ("name", "org_unit", "contact_name", "phone", "address", "notes")
PROVIDER_M2M = ("categories", "dispatchers")
MANAGER_GROUPS = [role.group_name for role in ROLES if role.is_manager]


def _clean_strings(fields: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


def _full_clean(obj, code: str, exclude=None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        fields = exc.message_dict
        name, messages = next(iter(fields.items()))
        label = str(obj._meta.get_field(name).verbose_name) + "：" if name != "__all__" else ""
        raise DomainError(code, label + "".join(messages[:1]), fields=fields) from exc


def _check_unit(actor, org_unit) -> None:
    if actor is not None and not can_see_unit(actor, org_unit.pk):
        raise PermissionDeniedError(
            E.PROVIDER_OUT_OF_SCOPE, _("该组织单元不在您的管辖范围内"), fields={"org_unit": [_("超出范围")]}
        )


def _pks(values) -> list[int]:
    return sorted(value.pk if hasattr(value, "pk") else int(value) for value in values)


def _jsonable(value):
    return value.pk if hasattr(value, "pk") else value


# --- the dispatch gate ------------------------------------------------------------------


def provider_dispatch_check(provider) -> list[Reason]:
    """NET-3: may work be dispatched to `provider`? Empty for 正常 / 发函警告 / 限期整改."""
    if provider.status == ProviderStatus.DISPATCH_STOPPED:
        return [
            Reason(
                E.DISPATCH_PROVIDER_STOPPED,
                _("外协网点 %(name)s 已被停止派工，不能派工") % {"name": provider.name},
            )
        ]
    if provider.status == ProviderStatus.REMOVED:
        return [Reason(E.DISPATCH_PROVIDER_REMOVED, _("外协网点 %(name)s 已撤点，不能派工") % {"name": provider.name})]
    return []


def allowed_next_statuses(provider) -> list[str]:
    """The statuses the ladder allows from the current one, in ladder order (for buttons)."""
    return next_statuses(provider)


def violations_this_month(provider, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return provider.violations.filter(occurred_on__gte=today.replace(day=1), occurred_on__lte=today).count()


def suggested_status(provider, today: dt.date | None = None) -> str | None:
    """NET-3 ladder (policy `network.violation_ladder`): the sanction this month's count reaches,
    if it is above the current rung. `violation_record` applies it (`_apply_ladder`); the page shows it
    when the ladder was changed since."""
    count = violations_this_month(provider, today)
    ladder = policy_value("network.violation_ladder") or {}
    reached = None
    for status in LADDER[1:]:
        threshold = ladder.get(status)
        if threshold is not None and count >= int(threshold):
            reached = status
    if reached and LADDER.index(reached) > LADDER.index(provider.status):
        return reached
    return None


# --- sanction notices (NET-3) ------------------------------------------------------------

UP_THE_LADDER = (
    ProviderStatus.WARNED,
    ProviderStatus.RECTIFYING,
    ProviderStatus.DISPATCH_STOPPED,
    ProviderStatus.REMOVED,
)
NOTICE_TITLES = {
    ProviderStatus.WARNED: _("警告函"),
    ProviderStatus.RECTIFYING: _("限期整改通知"),
    ProviderStatus.DISPATCH_STOPPED: _("停止派工通知"),
    ProviderStatus.REMOVED: _("撤点通知"),
}


def _notice_text(provider, rung, *, count: int, month: dt.date, rectify_by, reason: str) -> str:
    head = _("%(name)s：") % {"name": provider.name}
    counted = (
        _("贵网点 %(y)s 年 %(m)s 月已发生违规 %(n)s 次。") % {"y": month.year, "m": month.month, "n": count}
        if count
        else ""
    )
    body = {
        ProviderStatus.WARNED: _("现予以书面警告，请立即查明原因、改进服务；再次违规将限期整改。"),
        ProviderStatus.RECTIFYING: _(
            "现责令限期整改，请于 %(d)s 前完成整改并书面回复整改结果；整改期间再次违规将停止派工。"
        )
        % {"d": rectify_by},
        ProviderStatus.DISPATCH_STOPPED: _("自即日起停止向贵网点派工，整改验收合格后方可恢复；继续违规将撤点。"),
        ProviderStatus.REMOVED: _("自即日起撤销贵网点服务资格，终止合作。"),
    }[rung]
    return f"{head}{counted}{body}{_('原因：')}{reason}"


def _issue_sanction(
    provider, rung, *, actor, reason: str, count: int, month: dt.date, automatic: bool
) -> ProviderSanction:
    """NET-3: the notice of one rung — numbered, kept in the provider's case file, sent to its dispatchers and the
    managers of its unit, recorded on its timeline."""
    rectify_by = None
    if rung == ProviderStatus.RECTIFYING:
        rectify_by = timezone.localdate() + dt.timedelta(days=int(policy_value("network.rectification_days") or 15))
    sanction = ProviderSanction.objects.create(
        number=next_number("provider_sanction", series=dict(name="网点处理通知", prefix="NS", reset="yearly")),
        provider=provider,
        rung=rung,
        month=month,
        violation_count=count,
        rectify_by=rectify_by,
        reason=reason,
        notice=_notice_text(provider, rung, count=count, month=month, rectify_by=rectify_by, reason=reason),
        automatic=automatic,
        issued_by=actor,
    )
    record_event(
        event_type=EventType.SANCTION_ISSUED,
        target=provider,
        actor=actor,
        new={"sanction": sanction.number, "rung": rung, "count": count, "automatic": automatic},
        message=sanction.notice,
    )
    notify(
        recipients=_status_recipients(provider),
        title=_("%(title)s %(n)s：%(name)s")
        % {"title": NOTICE_TITLES[rung], "n": sanction.number, "name": provider.name},
        body=sanction.notice,
        url=reverse("network:provider-detail", args=[provider.pk]),
        kind="network.sanction",
        level="warning",
    )
    return sanction


def _apply_ladder(provider, *, actor, day: dt.date) -> ProviderSanction | None:
    """NET-3, automated: when the month's violation count reaches a rung above the provider's, the provider moves
    there and the rung's notice is issued. Called by `violation_record` on the locked provider."""
    reached = suggested_status(provider, day)
    if reached is None:
        return None
    count = violations_this_month(provider, day)
    reason = _("当月违规 %(n)s 次，按违规处理阶梯（%(rung)s）") % {"n": count, "rung": ProviderStatus(reached).label}
    provider.status_reason = reason
    provider.status_changed_at = timezone.now()
    PROVIDER_WORKFLOW.move(provider, reached, actor=actor, reason=reason, fields=("status_reason", "status_changed_at"))
    return _issue_sanction(
        provider, reached, actor=actor, reason=reason, count=count, month=day.replace(day=1), automatic=True
    )


# --- writes -----------------------------------------------------------------------------


@service
def provider_create(
    *, actor, code: str, name: str, org_unit, categories=(), dispatchers=(), **fields
) -> ServiceProvider:
    """Register an outsourced service point for a region or store (NET-5: the region proposes new points)."""
    require_perm(actor, "network.add_serviceprovider")
    unknown = set(fields) - set(PROVIDER_FIELDS)
    if unknown:
        raise DomainError(E.PROVIDER_UNKNOWN_FIELDS, _("不可设置的字段：%s") % ", ".join(sorted(unknown)))
    _check_unit(actor, org_unit)
    code = (code or "").strip()
    if ServiceProvider.objects.filter(code=code).exists():
        raise DomainError(
            E.PROVIDER_DUPLICATE_CODE, _("网点编码 %(code)s 已存在") % {"code": code}, fields={"code": [_("已存在")]}
        )
    provider = ServiceProvider(code=code, name=(name or "").strip(), org_unit=org_unit, **_clean_strings(fields))
    _full_clean(provider, E.PROVIDER_INVALID)
    try:
        provider.save()
    except IntegrityError as exc:
        raise DomainError(E.PROVIDER_DUPLICATE_CODE, _("网点编码 %(code)s 已存在") % {"code": code}) from exc
    provider.categories.set(categories or [])
    provider.dispatchers.set(dispatchers or [])
    record_event(
        event_type=EventType.PROVIDER_CREATED,
        target=provider,
        actor=actor,
        new={
            "code": code,
            "name": provider.name,
            "org_unit": org_unit.pk,
            "dispatchers": _pks(dispatchers or []),
        },
    )
    return provider


@service
def provider_update(*, actor, provider_id: int, expected_version: int, **changes) -> ServiceProvider:
    """Edit a provider's data, service categories and dispatcher logins; stale version → 409.

    The status is not editable here: it moves only through `provider_change_status`.
    """
    require_perm(actor, "network.change_serviceprovider")
    unknown = set(changes) - set(PROVIDER_FIELDS) - set(PROVIDER_M2M)
    if unknown:
        raise DomainError(E.PROVIDER_UNKNOWN_FIELDS, _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    base = ServiceProvider.objects.visible_to(actor) if actor is not None else ServiceProvider.objects.all()
    provider = lock_current(base, provider_id, expected_version)
    if "org_unit" in changes and changes["org_unit"] is not None:
        _check_unit(actor, changes["org_unit"])
    changes = _clean_strings(changes)
    old, new = {}, {}
    for field in PROVIDER_FIELDS:
        if field in changes and getattr(provider, field) != changes[field]:
            old[field], new[field] = _jsonable(getattr(provider, field)), _jsonable(changes[field])
            setattr(provider, field, changes[field])
    for field in PROVIDER_M2M:
        if field in changes:
            before = _pks(getattr(provider, field).all())
            after = _pks(changes[field] or [])
            if before != after:
                old[field], new[field] = before, after
    if not new:
        return provider
    _full_clean(provider, E.PROVIDER_INVALID, exclude=["code"])
    provider.version += 1
    provider.save()
    for field in PROVIDER_M2M:
        if field in new:
            getattr(provider, field).set(changes[field] or [])
    record_event(event_type=EventType.PROVIDER_UPDATED, target=provider, actor=actor, old=old, new=new)
    return provider


def _status_recipients(provider) -> list[User]:
    """The provider's dispatchers and the managers of its org unit (notify skips inactive users)."""
    managers = holders(MANAGER_GROUPS, provider.org_unit, exact=True)
    return [*provider.dispatchers.all(), *managers]


@service
def provider_change_status(*, actor, provider_id: int, to_status: str, reason: str) -> ServiceProvider:
    """NET-3: warn, order rectification, stop dispatch, remove — or restore 正常 after rectification.

    Needs `network.change_provider_status` and a reason; the move must be a step of the ladder
    (`PROVIDER_WORKFLOW`, else 409 `status.invalid_transition`, nothing changes). The provider's
    dispatchers and the managers of its org unit are notified.
    """
    require_perm(actor, "network.change_provider_status")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(E.PROVIDER_REASON_REQUIRED, _("请填写状态变更原因"), fields={"reason": [_("必填")]})
    if to_status not in ProviderStatus.values:
        raise DomainError(E.PROVIDER_INVALID_STATUS, _("无效的状态"), fields={"to_status": [_("无效的选项")]})
    base = ServiceProvider.objects.visible_to(actor) if actor is not None else ServiceProvider.objects.all()
    provider = base.select_for_update().get(pk=provider_id)
    PROVIDER_WORKFLOW.check(provider, "change-status", target=to_status)
    old_label = provider.get_status_display()
    provider.status_reason = reason
    provider.status_changed_at = timezone.now()
    PROVIDER_WORKFLOW.move(
        provider, to_status, actor=actor, reason=reason, fields=("status_reason", "status_changed_at")
    )
    if to_status in UP_THE_LADDER:  # each rung is a document with its notice (NET-3)
        today = timezone.localdate()
        _issue_sanction(
            provider,
            to_status,
            actor=actor,
            reason=reason,
            count=violations_this_month(provider, today),
            month=today.replace(day=1),
            automatic=False,
        )
    notify(
        recipients=_status_recipients(provider),
        title=_("外协网点状态变更：%(name)s %(old)s → %(new)s")
        % {"name": provider.name, "old": old_label, "new": provider.get_status_display()},
        body=reason,
        url=reverse("network:provider-detail", args=[provider.pk]),
        kind="network.provider_status",
        level="warning" if to_status != ProviderStatus.ACTIVE else "info",
    )
    return provider


@service
def violation_record(
    *, actor, provider_id: int, occurred_on: dt.date, description: str, item: str = EvaluationItem.OTHER
) -> ProviderViolation:
    """Record a violation of a provider (NET-1 complaints about providers). NET-3 automated: when the count of
    the violation's month reaches a rung above the provider's, the ladder moves it there and issues the notice
    (warning letter, rectification deadline, stop dispatch, removal) — a stopped provider is refused dispatch."""
    require_perm(actor, "network.change_serviceprovider")
    description = (description or "").strip()
    if not description:
        raise DomainError(E.VIOLATION_DESCRIPTION_REQUIRED, _("请填写违规情况"), fields={"description": [_("必填")]})
    if item not in EvaluationItem.values:
        raise DomainError(E.VIOLATION_INVALID_ITEM, _("无效的评测项目"), fields={"item": [_("无效的选项")]})
    if occurred_on is None or occurred_on > timezone.localdate():
        raise DomainError(
            E.VIOLATION_INVALID_DATE, _("发生日期不能晚于今天"), fields={"occurred_on": [_("不能晚于今天")]}
        )
    base = ServiceProvider.objects.visible_to(actor) if actor is not None else ServiceProvider.objects.all()
    provider = base.select_for_update().get(pk=provider_id)
    if provider.status == ProviderStatus.REMOVED:
        raise DomainError(E.VIOLATION_PROVIDER_REMOVED, _("外协网点已撤点，不能再登记违规"))
    violation = ProviderViolation.objects.create(
        provider=provider, occurred_on=occurred_on, item=item, description=description, recorded_by=actor
    )
    record_event(
        event_type=EventType.VIOLATION_RECORDED,
        target=provider,
        actor=actor,
        new={"violation": violation.pk, "occurred_on": occurred_on.isoformat()},
        message=description,
    )
    _apply_ladder(provider, actor=actor, day=occurred_on)
    return violation
