"""Technicians of the outsourced providers and their quarterly training (NET-4; seed 004 通程: 售后网点每季度员工
培训考核合格率不得低于80%；连续三次达不到培训合格标准，将予以停工整顿，培训后仍无法达标的，将解除合同).

The rules, as this system reads them (docs/network.md §NET-4):

* Each quarter (`2026-Q4`) a provider's trainer records one training and test per technician (DB unique).
* **Stop**: a technician whose last `network.failed_quarters_to_stop` recorded trainings (consecutive quarters
  trained, in quarter order) all failed is stopped — status `stopped`, a timeline event, a notice to the
  provider's dispatchers and the managers of its unit. A pass in between resets the count. A stopped technician
  is refused for assignment (`technician_assign_check`, code `dispatch.technician_stopped`).
* **Still failing → contract end proposed**: a stopped technician who is trained again (培训后) and fails again
  makes the system propose ending the provider's contract — the ladder's `removed` rung proposed to the
  after-sales managers (an event on the provider's case file and a notice). It is a proposal, not a removal: a
  manager decides through the ladder (`provider_change_status`) or a region evaluation.
* **Pass rate**: per provider and quarter, passed / trained. The quarterly task (first day of each quarter)
  archives the previous quarter's figures (`TrainingQuarter`), flags providers below
  `network.training_pass_rate_min` (and providers with technicians but nobody trained) and lists the technicians
  not trained at all that quarter (the shortfall).

A technician's status moves only through `workflows.TECHNICIAN_WORKFLOW.move`, which writes `core.status_changed`
(core's `EventType.STATUS_CHANGED`) on the technician; the stop is also recorded on the provider's case file.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import ConflictError, DomainError, NotFoundError
from salesservice.core.guards import check_version, require_perm, scoped_get
from salesservice.core.notifications import notify
from salesservice.core.policy import policy_value
from salesservice.core.reasons import Reason

from .choices import EventType, ProviderStatus, TechnicianStatus
from .errors import NetworkErrorCode as E
from .models import ProviderTechnician, ServiceProvider, TechnicianTraining, TrainingQuarter
from .workflows import TECHNICIAN_WORKFLOW

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
HQ_MANAGERS = ("service_manager",)


# --- quarters ------------------------------------------------------------------------------


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    """First and last day of `quarter` ('2026-Q4'); DomainError if it is not one."""
    match = QUARTER.match(quarter or "") if isinstance(quarter, str) else None
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        raise DomainError(
            E.TRAINING_INVALID_QUARTER, E.TRAINING_INVALID_QUARTER.label, fields={"quarter": [_("格式应为 2026-Q4")]}
        )
    year, q = int(match.group(1)), int(match.group(2))
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
    return start, end


def previous_quarter(quarter: str) -> str:
    start, _end = quarter_bounds(quarter)
    return quarter_of(start - dt.timedelta(days=1))


def pass_rate(trained: int, passed: int) -> Decimal | None:
    """passed / trained in per cent, one decimal (None when nobody was trained)."""
    if not trained:
        return None
    return (Decimal(passed) * 100 / Decimal(trained)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rate_minimum() -> Decimal:
    return Decimal(str(policy_value("network.training_pass_rate_min")))


def below_minimum(rate: Decimal | None, minimum: Decimal) -> bool:
    """NET-4: a quarter is under standard when the pass rate is below the minimum (5 trained, 4 passed = 80 %
    meets 80 %; 3 of 5 = 60 % does not)."""
    return rate is not None and rate < minimum


# --- gates ---------------------------------------------------------------------------------


def technician_assign_check(technician) -> list[Reason]:
    """NET-4: may work be assigned to this provider technician? Empty when yes. The service desk calls it
    (service may import network) together with `provider_dispatch_check` for the provider."""
    if technician.status == TechnicianStatus.STOPPED:
        return [
            Reason(
                E.DISPATCH_TECHNICIAN_STOPPED,
                _("技师 %(name)s 季度培训连续不合格，已停止工作，不能派工") % {"name": technician.name},
            )
        ]
    if technician.status == TechnicianStatus.LEFT:
        return [Reason(E.DISPATCH_TECHNICIAN_LEFT, _("技师 %(name)s 已离职，不能派工") % {"name": technician.name})]
    return []


def failed_streak(technician) -> int:
    """How many of the technician's latest recorded quarterly trainings failed in a row (a pass resets)."""
    streak = 0
    for passed in technician.trainings.order_by("-quarter").values_list("passed", flat=True):
        if passed:
            break
        streak += 1
    return streak


# --- writes --------------------------------------------------------------------------------


def _provider(actor, provider_id) -> ServiceProvider:
    return scoped_get(
        ServiceProvider, actor, provider_id, code=E.PROVIDER_NOT_FOUND, message=_("外协网点不存在或不在您的范围内")
    )


def _technician(actor, technician_id) -> ProviderTechnician:
    return scoped_get(
        ProviderTechnician,
        actor,
        technician_id,
        code=E.TECHNICIAN_NOT_FOUND,
        message=_("网点技师不存在或不在您的范围内"),
    )


def _recipients(provider) -> list:
    from .services import _status_recipients

    return _status_recipients(provider)


@service
def technician_add(
    *, actor, provider_id: int, name: str, phone: str = "", skills: str = "", categories=()
) -> ProviderTechnician:
    """Register a technician of a provider (NET-4) — the provider's dispatcher/trainer or an after-sales manager."""
    require_perm(actor, "network.add_providertechnician")
    provider = _provider(actor, provider_id)
    name, phone, skills = (name or "").strip(), (phone or "").strip(), (skills or "").strip()
    if (
        not name
        or len(name) > 60
        or len(phone) > 40
        or len(skills) > 200
        or (phone and not re.fullmatch(r"[0-9+\- ]{5,40}", phone))
    ):
        raise DomainError(E.TECHNICIAN_INVALID, E.TECHNICIAN_INVALID.label, fields={"name": [_("必填，不超过 60 字")]})
    if provider.status == ProviderStatus.REMOVED:
        raise DomainError(E.VIOLATION_PROVIDER_REMOVED, _("外协网点已撤点"))
    technician = ProviderTechnician.objects.create(provider=provider, name=name, phone=phone, skills=skills)
    technician.categories.set(categories or [])
    record_event(
        event_type=EventType.TECHNICIAN_ADDED,
        target=provider,
        actor=actor,
        new={"technician": technician.pk, "name": name},
    )
    return technician


@service
def technician_set_status(
    *, actor, technician_id: int, status: str, reason: str, expected_version: int | None = None
) -> ProviderTechnician:
    """A manager restores a stopped technician after retraining (active) or records that one left (left)."""
    require_perm(actor, "network.change_providertechnician")
    technician = _technician(actor, technician_id)
    check_version(technician, expected_version)
    reason = (reason or "").strip()[:500]
    if (
        status not in (TechnicianStatus.ACTIVE, TechnicianStatus.LEFT)
        or status == technician.status
        or technician.status == TechnicianStatus.LEFT
        or not reason
    ):
        raise DomainError(
            E.TECHNICIAN_INVALID_STATUS,
            E.TECHNICIAN_INVALID_STATUS.label,
            fields={"status": [_("无效的选项")], "reason": [_("必填")]},
        )
    if status == TechnicianStatus.LEFT:
        technician.stopped_reason = reason
    TECHNICIAN_WORKFLOW.move(technician, status, actor=actor, reason=reason, fields=("stopped_reason",))
    return technician


def _stop(technician, *, actor, streak: int, quarter: str) -> None:
    technician.stopped_at = timezone.now()
    technician.stopped_reason = _("连续 %(n)s 个季度培训考核不合格（至 %(q)s）") % {"n": streak, "q": quarter}
    TECHNICIAN_WORKFLOW.move(
        technician,
        TechnicianStatus.STOPPED,
        actor=actor,
        reason=technician.stopped_reason,
        fields=("stopped_at", "stopped_reason"),
    )
    provider = technician.provider
    record_event(
        event_type=EventType.TECHNICIAN_STOPPED,
        target=provider,
        actor=actor,
        new={"technician": technician.pk, "name": technician.name, "quarter": quarter, "streak": streak},
        message=technician.stopped_reason,
    )
    title = _("网点技师停止工作：%(p)s %(t)s") % {"p": provider.name, "t": technician.name}
    recipients, body = _recipients(provider), technician.stopped_reason
    url = reverse("network:provider-case-file", args=[provider.pk])
    notify(recipients=recipients, title=title, body=body, url=url, kind="network.technician", level="warning")


def _propose_contract_end(technician, *, actor, quarter: str) -> None:
    """NET-4 'still failing → contract ended': proposed to the HQ after-sales managers, never applied here."""
    provider = technician.provider
    message = _("技师 %(t)s 停止工作后再次培训（%(q)s）仍不合格，建议解除 %(p)s 合同（撤点），请审定") % {
        "t": technician.name,
        "q": quarter,
        "p": provider.name,
    }
    record_event(
        event_type=EventType.CONTRACT_END_PROPOSED,
        target=provider,
        actor=actor,
        new={"technician": technician.pk, "quarter": quarter, "proposed": ProviderStatus.REMOVED},
        message=message,
    )
    recipients = [*holders(HQ_MANAGERS), *holders(("region_manager",), provider.org_unit)]
    url = reverse("network:provider-case-file", args=[provider.pk])
    notify(recipients=recipients, title=message[:200], url=url, kind="network.contract_end", level="warning")


@service
def training_record(
    *,
    actor,
    technician_id: int,
    quarter: str,
    trained_on: dt.date,
    topic: str,
    score: int,
    passed: bool,
    today: dt.date | None = None,
) -> TechnicianTraining:
    """NET-4: record a technician's training and test of a quarter — one per technician per quarter (409
    `training.duplicate`). Applies the stop rule and the contract-end proposal (module docstring)."""
    require_perm(actor, "network.record_technician_training")
    today = today or timezone.localdate()
    start, end = quarter_bounds(quarter)
    if start > today:
        raise DomainError(
            E.TRAINING_INVALID_QUARTER, E.TRAINING_INVALID_QUARTER.label, fields={"quarter": [_("不能晚于本季度")]}
        )
    if not isinstance(trained_on, dt.date) or not start <= trained_on <= min(end, today):
        raise DomainError(
            E.TRAINING_INVALID_DATE,
            E.TRAINING_INVALID_DATE.label,
            fields={"trained_on": [_("须在该季度内且不晚于今天")]},
        )
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise DomainError(E.TRAINING_INVALID_SCORE, E.TRAINING_INVALID_SCORE.label, fields={"score": [_("0–100")]})
    topic = (topic or "").strip()
    if not topic or len(topic) > 200:
        raise DomainError(
            E.TRAINING_TOPIC_REQUIRED, E.TRAINING_TOPIC_REQUIRED.label, fields={"topic": [_("必填，不超过 200 字")]}
        )
    technician = _technician(actor, technician_id)
    if technician.status == TechnicianStatus.LEFT:
        raise DomainError(E.TECHNICIAN_NOT_ACTIVE, E.TECHNICIAN_NOT_ACTIVE.label)
    was_stopped = technician.status == TechnicianStatus.STOPPED
    try:
        with transaction.atomic():
            training = TechnicianTraining.objects.create(
                technician=technician,
                provider_id=technician.provider_id,
                quarter=quarter,
                trained_on=trained_on,
                topic=topic,
                score=score,
                passed=bool(passed),
                recorded_by=actor,
            )
    except IntegrityError:
        raise ConflictError(
            E.TRAINING_DUPLICATE, _("技师 %(t)s 的 %(q)s 培训考核已登记") % {"t": technician.name, "q": quarter}
        ) from None
    record_event(
        event_type=EventType.TRAINING_RECORDED,
        target=technician.provider,
        actor=actor,
        new={"technician": technician.pk, "quarter": quarter, "score": score, "passed": bool(passed)},
        message=f"{technician.name} {quarter} {topic}",
    )
    if passed:
        return training
    latest = technician.trainings.order_by("-quarter").values_list("quarter", flat=True).first()
    if latest != quarter:
        return training  # a late entry for an earlier quarter: the rules run on the latest quarter only
    if was_stopped:  # trained again after the stop (a later quarter) and still failing
        _propose_contract_end(technician, actor=actor, quarter=quarter)
        return training
    streak = failed_streak(technician)
    if streak >= int(policy_value("network.failed_quarters_to_stop")):
        _stop(technician, actor=actor, streak=streak, quarter=quarter)
    return training


# --- the quarter's close (the quarterly task) ----------------------------------------------------


def quarter_figures(quarter: str, providers=None) -> dict[int, dict]:
    """Live figures of `quarter` per provider: trained, passed, rate, flagged, the technicians not trained."""
    start, end = quarter_bounds(quarter)
    minimum = rate_minimum()
    providers = providers if providers is not None else ServiceProvider.objects.exclude(status=ProviderStatus.REMOVED)
    provider_ids = [p.pk if hasattr(p, "pk") else p for p in providers]
    figures = {pk: {"technicians": 0, "trained": 0, "passed": 0, "untrained": []} for pk in provider_ids}
    trained_ids = set()
    for provider_id, technician_id, passed in TechnicianTraining.objects.filter(
        quarter=quarter, provider_id__in=provider_ids
    ).values_list("provider_id", "technician_id", "passed"):
        figures[provider_id]["trained"] += 1
        figures[provider_id]["passed"] += int(passed)
        trained_ids.add(technician_id)
    on_roll = ProviderTechnician.objects.filter(provider_id__in=provider_ids, added_at__date__lte=end).exclude(
        status=TechnicianStatus.LEFT
    )
    for technician_id, provider_id, name in on_roll.values_list("pk", "provider_id", "name"):
        figures[provider_id]["technicians"] += 1
        if technician_id not in trained_ids:
            figures[provider_id]["untrained"].append({"id": technician_id, "name": name})
    for row in figures.values():
        row["pass_rate"] = pass_rate(row["trained"], row["passed"])
        row["minimum"] = minimum
        row["flagged"] = below_minimum(row["pass_rate"], minimum) or (row["technicians"] > 0 and row["trained"] == 0)
    return figures


@service
def training_quarter_close(*, actor=None, today: dt.date | None = None) -> list[TrainingQuarter]:
    """NET-4, the quarterly task (first day of each quarter): archive the previous quarter's pass rate per
    provider, flag those below `network.training_pass_rate_min`, list the technicians trained zero times. Once per
    provider and quarter — a second run finds the rows and changes nothing."""
    require_perm(actor, "network.add_providerreport")
    today = today or timezone.localdate()
    quarter = previous_quarter(quarter_of(today))
    done = set(TrainingQuarter.objects.filter(quarter=quarter).values_list("provider_id", flat=True))
    providers = list(
        ServiceProvider.objects.exclude(status=ProviderStatus.REMOVED).exclude(pk__in=done).select_related("org_unit")
    )
    created = []
    for provider in providers:
        row = quarter_figures(quarter, [provider])[provider.pk]
        try:
            with transaction.atomic():
                created.append(
                    TrainingQuarter.objects.create(
                        provider=provider,
                        quarter=quarter,
                        technicians=row["technicians"],
                        trained=row["trained"],
                        passed=row["passed"],
                        pass_rate=row["pass_rate"],
                        rate_min=row["minimum"],
                        flagged=row["flagged"],
                        untrained=row["untrained"],
                    )
                )
        except IntegrityError:
            continue
        if row["flagged"] or row["untrained"]:
            record_event(
                event_type=EventType.TRAINING_QUARTER_CLOSED,
                target=provider,
                actor=actor,
                new={
                    "quarter": quarter,
                    "pass_rate": str(row["pass_rate"]),
                    "flagged": row["flagged"],
                    "untrained": len(row["untrained"]),
                },
                message=_("%(q)s 培训合格率 %(r)s%%（下限 %(m)s%%），未参训 %(u)s 人")
                % {
                    "q": quarter,
                    "r": row["pass_rate"] if row["pass_rate"] is not None else "—",
                    "m": row["minimum"],
                    "u": len(row["untrained"]),
                },
            )
    flagged = [q for q in created if q.flagged]
    if flagged:
        names = "、".join(q.provider.name for q in flagged[:10])
        title = _("%(q)s 培训合格率未达标网点 %(n)s 个：%(names)s") % {"q": quarter, "n": len(flagged), "names": names}
        recipients = holders(("service_manager", "region_manager"))
        notify(
            recipients=recipients,
            title=title[:200],
            url=reverse("network:providers"),
            kind="network.training",
            level="warning",
        )
    return created


def latest_quarter(provider_ids) -> dict[int, TrainingQuarter]:
    """The latest archived quarter per provider (for the reports, the workbench and the case file)."""
    result = {}
    for row in TrainingQuarter.objects.filter(provider_id__in=list(provider_ids)).order_by("provider_id", "-quarter"):
        result.setdefault(row.provider_id, row)
    return result


def get_technician_or_404(actor, technician_id):
    try:
        return ProviderTechnician.objects.visible_to(actor).select_related("provider").get(pk=technician_id)
    except (ProviderTechnician.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(E.TECHNICIAN_NOT_FOUND, _("网点技师不存在或不在您的范围内")) from None
