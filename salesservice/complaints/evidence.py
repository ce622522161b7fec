"""Compliance evidence of complaint handling (issue 16 §4): CMP-1 … CMP-8 from the complaints' own records — the
deadline promised, the reply within 2 h, verification and responsibility, the customer's agreement and the result fed
back, root cause and improvement, satisfaction, three-level handling, and the fund's payouts within authority and
recovered from the responsible party."""

import datetime as dt
from decimal import Decimal

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone

from salesservice.core.evidence import Evidence, Figure, Period, evidence, none_violating, rate

from .choices import RECOVERABLE_PARTIES, RUNNING_STATUSES, ComplaintLevel, EntryKind, RecoveryStatus
from .choices import ComplaintStatus as C
from .choices import ResponsibleParty as P
from .models import CompensationEntry, Complaint, ImprovementAction, Recovery


def _list_url(period: Period, **extra) -> str:
    query = f"received_after={period.start}&received_before={period.end}"
    if period.unit is not None and period.unit.kind == "store":
        query += f"&store={period.unit.pk}"
    for key, value in extra.items():
        query += f"&{key}={value}"
    return reverse("complaints:complaints") + "?" + query


def _links(queryset):
    rows = queryset.order_by("received_at").values("pk", "number")[:20]
    return [(row["number"], reverse("complaints:complaint-detail", args=[row["pk"]])) for row in rows]


@evidence("CMP-2")
def first_reply_in_time(period: Period) -> Evidence:
    """2 小时内首次答复"""
    complaints = Complaint.objects.in_unit(period.unit).filter(**period.during("received_at"))
    due = complaints.filter(Q(first_responded_at__isnull=False) | Q(first_response_breached_at__isnull=False))
    late = due.filter(Q(first_responded_at__gt=F("first_response_due_at")) | Q(first_responded_at__isnull=True))
    late_count = late.count()
    total = due.count()
    return rate(
        "2 小时内首次答复",
        good=total - late_count,
        total=total,
        noun="件",
        good_label="按时答复",
        shortfalls=_links(late),
        records_url=_list_url(period),
        note="未到期且尚未答复的投诉不计入",
    )


@evidence("CMP-5")
def closed_with_root_cause(period: Period) -> Evidence:
    """结案有根本原因与改进措施"""
    closed = Complaint.objects.in_unit(period.unit).filter(status=C.CLOSED, **period.during("closed_at"))
    has_action = Exists(ImprovementAction.objects.filter(complaint=OuterRef("pk")))
    incomplete = closed.annotate(has_action=has_action).filter(Q(root_cause="") | Q(has_action=False))
    total = closed.count()
    missing = incomplete.count()
    return rate(
        "结案有根本原因与改进措施",
        good=total - missing,
        total=total,
        noun="件",
        good_label="原因与措施齐全",
        shortfalls=_links(incomplete),
        records_url=_list_url(period, status=C.CLOSED),
    )


@evidence("CMP-6")
def handled_to_satisfaction(period: Period) -> Evidence:
    """结案投诉跟踪到客户满意度"""
    closed = Complaint.objects.in_unit(period.unit).filter(status=C.CLOSED, **period.during("closed_at"))
    rated = closed.filter(satisfaction__isnull=False)
    figures = rated.aggregate(avg=Avg("satisfaction"), satisfied=Count("pk", filter=Q(satisfaction__gte=4)))
    extra = (Figure("满意（4–5 分）", figures["satisfied"], "件"),)
    if figures["avg"] is not None:
        extra += (Figure("平均满意度", round(figures["avg"], 2), "/5"),)
    return rate(
        "结案投诉跟踪到客户满意度",
        good=rated.count(),
        total=closed.count(),
        noun="件",
        good_label="有满意度记录",
        shortfalls=_links(closed.filter(satisfaction__isnull=True)),
        records_url=_list_url(period, status=C.CLOSED),
        extra=extra,
    )


@evidence("CMP-1")
def handling_deadline_promised(period: Period) -> Evidence:
    """受理投诉承诺处理时限"""
    complaints = Complaint.objects.in_unit(period.unit).filter(**period.during("received_at"))
    unpromised = complaints.filter(promised_by__isnull=True).exclude(status__in=[C.CANCELLED, C.WITHDRAWN])
    return rate(
        "受理的投诉已向客户承诺处理时限",
        good=complaints.count() - unpromised.count(),
        total=complaints.count(),
        noun="件",
        good_label="已承诺时限",
        shortfalls=_links(unpromised),
        records_url=_list_url(period),
    )


SWEEP_GRACE = dt.timedelta(minutes=15)  # the sweep runs every minute: what fell due just now is not yet missed


def _closed(period: Period):
    return Complaint.objects.in_unit(period.unit).filter(status=C.CLOSED, **period.during("closed_at"))


def _link(row) -> tuple[str, str]:
    return row["number"], reverse("complaints:complaint-detail", args=[row["pk"]])


# CMP-3: who exactly is responsible — the provider or staff member named, the manufacturer or department written
RESPONSIBLE_NAMED = (
    Q(responsible_party__in=[P.CUSTOMER, P.NONE])
    | Q(responsible_party=P.PROVIDER, responsible_provider__isnull=False)
    | Q(responsible_party=P.STAFF, responsible_user__isnull=False)
    | (Q(responsible_party__in=[P.MANUFACTURER, P.OUR_DEPARTMENT]) & ~Q(responsible_detail=""))
)


@evidence("CMP-3")
def verified_with_responsibility(period: Period) -> Evidence:
    """投诉经核实、认定责任部门与责任人并处理"""
    closed = _closed(period)
    complete = ~Q(verification_notes="") & RESPONSIBLE_NAMED & ~Q(solution="") & Q(implemented_at__isnull=False)
    counts = closed.aggregate(
        total=Count("pk"),
        complete=Count("pk", filter=complete),
        unverified=Count("pk", filter=Q(verification_notes="")),
        unnamed=Count("pk", filter=~RESPONSIBLE_NAMED),
    )
    total, good = counts["total"], counts["complete"]
    rows = closed.exclude(complete).order_by("closed_at").values("pk", "number")[:20] if good < total else []
    return rate(
        "结案投诉有核实记录、责任方（具体到网点/员工/厂家/部门）与解决处理",
        good=good,
        total=total,
        noun="件",
        good_label="核实、定责、处理齐全",
        shortfalls=[_link(row) for row in rows],
        records_url=_list_url(period, status=C.CLOSED),
        extra=(Figure("缺核实记录", counts["unverified"], "件"), Figure("责任方未具体认定", counts["unnamed"], "件")),
    )


@evidence("CMP-4")
def agreed_and_fed_back(period: Period) -> Evidence:
    """解决方案经客户认可，处理结果反馈客户"""
    from .models import ComplaintDecision

    closed = _closed(period)
    violating_q = Q(agreed_at__isnull=True) | Q(feedback_given_at__isnull=True) | Q(feedback="")
    counts = closed.aggregate(total=Count("pk"), violating=Count("pk", filter=violating_q))
    refused = ComplaintDecision.objects.filter(complaint__in=closed.values("pk"), agreed=False).count()
    rows = closed.filter(violating_q).order_by("closed_at").values("pk", "number")[:20] if counts["violating"] else []
    return none_violating(
        "结案投诉均经客户认可方案并反馈处理结果",
        checked=counts["total"],
        violations=[_link(row) for row in rows],
        violation_count=counts["violating"],
        noun="件",
        records_url=_list_url(period, status=C.CLOSED),
        extra=(Figure("客户不认可后修改方案", refused, "次"),),
    )


def _major_threshold(period: Period) -> Decimal | None:
    """The major-complaint amount of the policy — the higher of the values in force at the period's start and end,
    so a complaint is counted major only when it was major under both (None: no value in force)."""
    from salesservice.core.exceptions import DomainError
    from salesservice.core.policy import policy_value

    start, until = period.bounds
    values = []
    for at in (start, min(until, timezone.now())):
        try:
            values.append(Decimal(str(policy_value("complaint.major_claim_amount", at))))
        except DomainError:
            continue
    return max(values) if values else None


@evidence("CMP-7")
def major_complaints_at_hq(period: Period) -> Evidence:
    """重大投诉由总部处理"""
    received = Complaint.objects.in_unit(period.unit).filter(**period.during("received_at"))
    major = Q(is_major=True) | Q(media_exposure=True) | Q(safety_issue=True)
    threshold = _major_threshold(period)
    if threshold is not None:
        major |= Q(claimed_amount__gte=threshold)
    not_at_hq = major & Q(level__lt=ComplaintLevel.HQ)
    counts = received.aggregate(major=Count("pk", filter=major), violating=Count("pk", filter=not_at_hq))
    rows = received.filter(not_at_hq).order_by("received_at").values("pk", "number")[:20] if counts["violating"] else []
    return none_violating(
        "重大投诉（索赔金额达标准、媒体曝光、人身财产安全）由总部处理",
        checked=counts["major"],
        violations=[_link(row) for row in rows],
        violation_count=counts["violating"],
        noun="件",
        records_url=_list_url(period, is_major="true"),
        note="本期没有重大投诉",
    )


@evidence("CMP-7")
def unresolved_complaints_escalated(period: Period) -> Evidence:
    """门店未按时解决的投诉逐级升级"""
    received = Complaint.objects.in_unit(period.unit).filter(**period.during("received_at"))
    # the sweep raises every running complaint past its deadline and gives it a new one; at HQ it records the
    # final breach — one still past its deadline without that was missed
    missed_q = Q(status__in=RUNNING_STATUSES, escalation_due_at__lt=timezone.now()) & (
        Q(level__lt=ComplaintLevel.HQ) | Q(escalation_exhausted_at__isnull=True)
    )
    counts = received.aggregate(escalated=Count("pk", filter=Q(level__gt=0)), missed=Count("pk", filter=missed_q))
    rows = received.filter(missed_q).order_by("received_at").values("pk", "number")[:20] if counts["missed"] else []
    return none_violating(
        "超时未解决的投诉已升级（门店 → 区部 → 总部）",
        checked=counts["escalated"] + counts["missed"],
        violations=[_link(row) for row in rows],
        violation_count=counts["missed"],
        noun="件",
        records_url=_list_url(period, overdue="true"),
        extra=(Figure("已升级", counts["escalated"], "件"),),
        note="本期没有超过升级时限的投诉",
    )


def _limits(keys: tuple[str, ...], until) -> dict[str, list]:
    """Each limit parameter's values as [(effective_from, value)], oldest first — read once, not per payout."""
    from salesservice.core.models import PolicyValue
    from salesservice.core.policy import typed

    history: dict[str, list] = {key: [] for key in keys}
    rows = (
        PolicyValue.objects.select_related("parameter")
        .filter(parameter__key__in=keys, effective_from__lt=until)
        .order_by("effective_from", "number")
    )
    for row in rows:
        history[row.parameter.key].append((row.effective_from, Decimal(str(typed(row.parameter, row.value)))))
    return history


def _in_force(history: list, at) -> Decimal | None:
    value = None
    for effective_from, amount in history:
        if effective_from <= at:
            value = amount
    return value


@evidence("CMP-8")
def payouts_within_authority(period: Period) -> Evidence:
    """先行赔付在授权范围内"""
    from .compensation import LIMIT_KEYS, authority_level

    payouts = CompensationEntry.objects.filter(
        kind=EntryKind.PAYOUT,
        complaint__in=Complaint.objects.in_unit(period.unit).values("pk"),
        **period.during("created_at"),
    )
    figures = payouts.aggregate(n=Count("pk"), total=Sum("amount"))
    if not figures["n"]:
        return Evidence.none("先行赔付在授权范围内（门店、区部、总部权限）")
    _start, until = period.bounds
    history = _limits(tuple(LIMIT_KEYS.values()), until)
    lowest = min((amount for values in history.values() for _at, amount in values), default=Decimal(0))
    # only a payout above the lowest (store) limit can exceed its authoriser's authority: few rows, checked here
    candidates = list(
        payouts.filter(amount__gt=lowest)
        .select_related("complaint", "created_by", "approved_by")
        .order_by("created_at", "pk")
    )
    levels: dict[int, int] = {}
    violations = []
    for entry in candidates:
        authoriser = entry.approved_by or entry.created_by
        key = authoriser.pk if authoriser else 0
        if key not in levels:  # once per person, not per payout
            levels[key] = authority_level(authoriser) if authoriser else ComplaintLevel.HQ
        limit = _in_force(history[LIMIT_KEYS[ComplaintLevel(levels[key])]], entry.created_at)
        if limit is not None and entry.amount > limit:
            violations.append(
                (
                    f"{entry.complaint.number} ¥{entry.amount}",
                    reverse("complaints:complaint-detail", args=[entry.complaint_id]),
                )
            )
    return none_violating(
        "先行赔付在授权范围内（门店、区部、总部权限）",
        checked=figures["n"],
        violations=violations,
        noun="笔",
        records_url=reverse("complaints:fund"),
        extra=(Figure("赔付金额", figures["total"], "元"),),
    )


@evidence("CMP-8")
def payouts_charged_to_responsible(period: Period) -> Evidence:
    """先行赔付由责任方承担（追偿）"""
    closed = _closed(period).filter(responsible_party__in=RECOVERABLE_PARTIES)
    paid = dict(
        CompensationEntry.objects.filter(kind=EntryKind.PAYOUT, complaint__in=closed.values("pk"))
        .values_list("complaint")
        .annotate(s=Sum("amount"))
        .values_list("complaint", "s")
    )
    if not paid:
        return Evidence.none("责任方造成的先行赔付已向责任方追偿", "本期结案的投诉中没有应由责任方承担的先行赔付")
    claimed = dict(
        Recovery.objects.filter(complaint__in=list(paid), status__in=[RecoveryStatus.OPEN, RecoveryStatus.SETTLED])
        .values_list("complaint")
        .annotate(s=Sum("amount"))
        .values_list("complaint", "s")
    )
    settled = Recovery.objects.filter(complaint__in=list(paid), status=RecoveryStatus.SETTLED).aggregate(
        s=Sum("amount")
    )["s"] or Decimal(0)
    short_ids = [pk for pk, amount in paid.items() if (claimed.get(pk) or Decimal(0)) < amount]
    rows = Complaint.objects.filter(pk__in=short_ids).order_by("closed_at").values("pk", "number")[:20]
    return none_violating(
        "责任方造成的先行赔付已向责任方追偿",
        checked=len(paid),
        violations=[_link(row) for row in rows],
        violation_count=len(short_ids),
        noun="件",
        records_url=reverse("complaints:recoveries"),
        extra=(
            Figure("先行赔付", sum(paid.values(), Decimal(0)), "元"),
            Figure("已追回", settled, "元"),
        ),
    )
