"""Region evaluations of providers (NET-5; seed 004: 区部定期对外协售后网点的考察、评价；对新售后合作网点前期建点
考察及不符合规范售后网点淘汰的建议).

A region manager drafts an evaluation of a provider in their region for a period: the computed part is taken from
the records (complaint cases and violations by evaluation item in the period, the sanctions, the last archived
training pass rate — NET-2, NET-4), the manager scores each evaluation item 0–100, concludes keep / rectify /
remove, and may propose a new service point (area and reason) or the removal. It is submitted, then approved or
rejected by the HQ network manager (`network.approve_providerevaluation`) — never by its author. An approved
evaluation proposing removal moves the provider to 撤点 through the ladder (`provider_change_status`), which issues
the removal notice (NET-3).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.events import record_event
from salesservice.core.exceptions import DomainError, PermissionDeniedError
from salesservice.core.guards import check_version, require_perm, scoped_get
from salesservice.core.numbering import next_number

from .choices import EvaluationConclusion, EvaluationItem, EvaluationStatus, EventType, ProviderStatus
from .errors import NetworkErrorCode as E
from .models import ProviderEvaluation, ProviderViolation, ServiceProvider
from .training import latest_quarter
from .workflows import EVALUATION_WORKFLOW

MAX_DAYS = 366


def computed_figures(provider, start: dt.date, end: dt.date) -> dict:
    """NET-5's computed part: the period's violations by item, the sanctions, the latest training quarter."""
    items = Counter(
        ProviderViolation.objects.filter(provider=provider, occurred_on__gte=start, occurred_on__lte=end).values_list(
            "item", flat=True
        )
    )
    sanctions = provider.sanctions.filter(issued_at__date__gte=start, issued_at__date__lte=end).count()
    quarter = latest_quarter([provider.pk]).get(provider.pk)
    return {
        "violations": sum(items.values()),
        "by_item": {item: items[item] for item in EvaluationItem.values if items[item]},
        "sanctions": sanctions,
        "status": provider.status,
        "training_quarter": quarter.quarter if quarter else "",
        "pass_rate": str(quarter.pass_rate) if quarter and quarter.pass_rate is not None else "",
        "training_flagged": bool(quarter and quarter.flagged),
    }


def _clean_scores(scores) -> dict:
    if not isinstance(scores, dict) or not scores:
        raise DomainError(E.EVALUATION_INVALID, E.EVALUATION_INVALID.label, fields={"scores": [_("请为评测项目打分")]})
    clean = {}
    for item, value in scores.items():
        if (
            item not in EvaluationItem.values
            or isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 <= value <= 100
        ):
            raise DomainError(
                E.EVALUATION_INVALID, E.EVALUATION_INVALID.label, fields={"scores": [_("评测项目或分数无效")]}
            )
        clean[item] = value
    return clean


def _get(actor, evaluation_id) -> ProviderEvaluation:
    return scoped_get(
        ProviderEvaluation,
        actor,
        evaluation_id,
        code=E.EVALUATION_NOT_FOUND,
        message=_("网点评价不存在或不在您的范围内"),
    )


@service
def evaluation_create(
    *,
    actor,
    provider_id: int,
    period_start: dt.date,
    period_end: dt.date,
    scores: dict,
    conclusion: str,
    comment: str = "",
    propose_new_point: bool = False,
    new_point_area: str = "",
    new_point_reason: str = "",
    propose_removal: bool = False,
    today: dt.date | None = None,
) -> ProviderEvaluation:
    """NET-5: a region manager drafts the evaluation of a provider in their scope (else 404)."""
    require_perm(actor, "network.add_providerevaluation")
    provider = scoped_get(
        ServiceProvider,
        actor,
        provider_id,
        lock=False,
        code=E.PROVIDER_NOT_FOUND,
        message=_("外协网点不存在或不在您的范围内"),
    )
    today = today or timezone.localdate()
    if (
        not isinstance(period_start, dt.date)
        or not isinstance(period_end, dt.date)
        or period_start > period_end
        or period_end > today
        or (period_end - period_start).days > MAX_DAYS
    ):
        raise DomainError(
            E.EVALUATION_INVALID,
            _("评价期间无效：起始不晚于截止，截止不晚于今天，最长一年"),
            fields={"period_end": [_("无效")]},
        )
    if conclusion not in EvaluationConclusion.values:
        raise DomainError(E.EVALUATION_INVALID, _("无效的结论"), fields={"conclusion": [_("无效的选项")]})
    scores = _clean_scores(scores)
    comment, area, reason = (comment or "").strip(), (new_point_area or "").strip(), (new_point_reason or "").strip()
    if len(comment) > 2000 or len(area) > 200 or len(reason) > 2000:
        raise DomainError(E.EVALUATION_INVALID, _("文字过长"), fields={"comment": [_("过长")]})
    if propose_new_point and not (area and reason):
        raise DomainError(
            E.EVALUATION_PROPOSAL_INVALID, E.EVALUATION_PROPOSAL_INVALID.label, fields={"new_point_area": [_("必填")]}
        )
    if provider.status == ProviderStatus.REMOVED:
        raise DomainError(E.VIOLATION_PROVIDER_REMOVED, _("外协网点已撤点"))
    evaluation = ProviderEvaluation(
        number=next_number("provider_evaluation", series=dict(name="网点评价", prefix="PE", reset="yearly")),
        provider=provider,
        period_start=period_start,
        period_end=period_end,
        scores=scores,
        computed=computed_figures(provider, period_start, period_end),
        conclusion=conclusion,
        comment=comment,
        propose_new_point=bool(propose_new_point),
        new_point_area=area if propose_new_point else "",
        new_point_reason=reason if propose_new_point else "",
        propose_removal=bool(propose_removal) or conclusion == EvaluationConclusion.REMOVE,
        created_by=actor,
    )
    EVALUATION_WORKFLOW.initial(evaluation, EvaluationStatus.DRAFT)
    evaluation.save()
    record_event(
        event_type=EventType.EVALUATION_CREATED,
        target=evaluation,
        actor=actor,
        new={"provider": provider.pk, "conclusion": conclusion},
    )
    return evaluation


@service
def evaluation_submit(*, actor, evaluation_id: int, expected_version: int | None = None) -> ProviderEvaluation:
    require_perm(actor, "network.change_providerevaluation")
    evaluation = _get(actor, evaluation_id)
    check_version(evaluation, expected_version)
    EVALUATION_WORKFLOW.check(evaluation, "submit")
    evaluation.submitted_at = timezone.now()
    EVALUATION_WORKFLOW.move(evaluation, EvaluationStatus.SUBMITTED, actor=actor, fields=("submitted_at",))
    record_event(event_type=EventType.EVALUATION_SUBMITTED, target=evaluation, actor=actor)
    return evaluation


def _decide(actor, evaluation_id, expected_version, name: str) -> ProviderEvaluation:
    require_perm(actor, "network.approve_providerevaluation")
    evaluation = _get(actor, evaluation_id)
    check_version(evaluation, expected_version)
    EVALUATION_WORKFLOW.check(evaluation, name)
    if actor is not None and actor.pk == evaluation.created_by_id:
        raise PermissionDeniedError(E.EVALUATION_SELF_APPROVAL, E.EVALUATION_SELF_APPROVAL.label)
    return evaluation


@service
def evaluation_approve(
    *, actor, evaluation_id: int, note: str = "", expected_version: int | None = None
) -> ProviderEvaluation:
    """NET-5: the HQ network manager approves; a removal proposal then moves the provider to 撤点 with its notice."""
    from .services import provider_change_status

    evaluation = _decide(actor, evaluation_id, expected_version, "approve")
    evaluation.decided_by, evaluation.decided_at = actor, timezone.now()
    evaluation.decision_note = (note or "").strip()[:2000]
    EVALUATION_WORKFLOW.move(
        evaluation, EvaluationStatus.APPROVED, actor=actor, fields=("decided_by", "decided_at", "decision_note")
    )
    record_event(
        event_type=EventType.EVALUATION_APPROVED, target=evaluation, actor=actor, message=evaluation.decision_note
    )
    provider = evaluation.provider
    if evaluation.propose_removal and provider.status != ProviderStatus.REMOVED:
        provider_change_status(
            actor=actor,
            provider_id=provider.pk,
            to_status=ProviderStatus.REMOVED,
            reason=_("区域评价 %(n)s 建议撤点，已批准") % {"n": evaluation.number},
        )
    return evaluation


@service
def evaluation_reject(
    *, actor, evaluation_id: int, note: str = "", expected_version: int | None = None
) -> ProviderEvaluation:
    evaluation = _decide(actor, evaluation_id, expected_version, "reject")
    note = (note or "").strip()[:2000]
    if not note:
        raise DomainError(
            E.EVALUATION_REASON_REQUIRED, E.EVALUATION_REASON_REQUIRED.label, fields={"note": [_("必填")]}
        )
    evaluation.decided_by, evaluation.decided_at, evaluation.decision_note = actor, timezone.now(), note
    EVALUATION_WORKFLOW.move(
        evaluation,
        EvaluationStatus.REJECTED,
        actor=actor,
        reason=note,
        fields=("decided_by", "decided_at", "decision_note"),
    )
    record_event(event_type=EventType.EVALUATION_REJECTED, target=evaluation, actor=actor, message=note)
    return evaluation
