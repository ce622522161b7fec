"""Compliance evidence of the follow-ups and satisfaction (issue 16 §4): FBK-1 (follow-ups recorded, reminded,
completed against the coverage target), FBK-2 — every service customer followed up, against the coverage target in
force (`feedback.follow_up_coverage_target`, 100 %), FBK-3 (evaluations received by channel), FBK-4 (satisfaction
by channel)."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from salesservice.core.evidence import Evidence, Figure, Period, count_only, evidence, none_violating, percent, rate
from salesservice.core.policy import policy_value

from .choices import AttemptChannel, FollowUpKind
from .models import FollowUp


@evidence("FBK-2")
def service_customers_followed_up(period: Period) -> Evidence:
    """服务客户回访覆盖率"""
    from salesservice.service.choices import ServiceRequestStatus
    from salesservice.service.models import ServiceRequest

    _start, until = period.bounds
    target = Decimal(str(policy_value("feedback.follow_up_coverage_target", min(until, timezone.now()))))
    closed = ServiceRequest.objects.in_unit(period.unit).filter(
        status=ServiceRequestStatus.CLOSED, **period.during("closed_at")
    )
    # counted from the follow-ups' side, joined to their request (an index probe per follow-up, not a hash of every
    # closed request), in one aggregate; only where a request has two follow-ups is the exact overlap queried
    follow_ups = FollowUp.objects.filter(
        service_request__status=ServiceRequestStatus.CLOSED,
        **{f"service_request__{key}": value for key, value in period.during("closed_at").items()},
    )
    if period.unit is not None:  # the request's store in the unit's subtree, as `closed` counts it
        follow_ups = follow_ups.filter(service_request__store__path__startswith=period.unit.path)
    now = timezone.now()
    open_not_due = Q(completed_at__isnull=True, due_at__gt=now)
    tally = follow_ups.aggregate(
        rows=Count("pk"),
        scheduled=Count("service_request", distinct=True),
        good=Count("service_request", distinct=True, filter=Q(completed_at__isnull=False)),
        waiting=Count("service_request", distinct=True, filter=open_not_due),
    )
    good, scheduled_count, waiting = tally["good"], tally["scheduled"], tally["waiting"]
    done_requests = follow_ups.filter(completed_at__isnull=False).values("service_request")
    not_yet_due = follow_ups.filter(open_not_due).exclude(service_request__in=done_requests)
    if tally["rows"] > scheduled_count:  # a request followed up twice: do not count it as waiting if one is done
        waiting = not_yet_due.aggregate(n=Count("service_request", distinct=True))["n"]
    counts = {"total": closed.count() - waiting, "good": good, "scheduled": scheduled_count}
    missing = (
        closed.exclude(pk__in=done_requests)
        .exclude(pk__in=not_yet_due.values("service_request"))
        .order_by("pk")  # the id order: the walk stops at the 20th, no sort of every closed request
        .values("pk", "number")[:20]
        if counts["total"] > good
        else []
    )
    return rate(
        "结案服务单的回访覆盖率",
        good=counts["good"],
        total=counts["total"],
        target=target,
        noun="单",
        good_label="已回访",
        shortfalls=[(row["number"], reverse("service:request-detail", args=[row["pk"]])) for row in missing],
        records_url=reverse("feedback:coverage") + f"?start={period.start}&end={period.end}",
        extra=(Figure("已安排回访", counts["scheduled"], "单"),),
        note="回访未到期的服务单不计入",
    )


# --- FBK-1, FBK-3, FBK-4 -------------------------------------------------------------------------

REMINDER_GRACE = dt.timedelta(hours=2)  # the reminder job runs hourly


def _follow_ups(period: Period):
    return FollowUp.objects.in_unit(period.unit)


def _follow_up_link(row) -> tuple[str, str]:
    # lists walk the id order (creation) and stop at 20 rows: no sort of every follow-up in the period
    return row["number"], reverse("feedback:follow-up-detail", args=[row["pk"]])


def _follow_up_list_url(period: Period, **extra) -> str:
    query = f"due_after={period.start}&due_before={period.end}"
    if period.unit is not None and period.unit.kind == "store":
        query += f"&store={period.unit.pk}"
    for key, value in extra.items():
        query += f"&{key}={value}"
    return reverse("feedback:follow-ups") + "?" + query


def _coverage_target(period: Period) -> Decimal:
    _start, until = period.bounds
    return Decimal(str(policy_value("feedback.follow_up_coverage_target", min(until, timezone.now()))))


@evidence("FBK-1")
def follow_ups_record_satisfaction_and_opinions(period: Period) -> Evidence:
    """回访记录满意度、意见与建议"""
    completed = _follow_ups(period).filter(completed_at__isnull=False, **period.during("completed_at"))
    incomplete = Q(outcome="") | Q(satisfaction__isnull=True)
    counts = completed.aggregate(
        total=Count("pk"),
        incomplete=Count("pk", filter=incomplete),
        issues=Count("pk", filter=~Q(issues_raised="")),
        improved=Count("pk", filter=Q(opened_service_request__isnull=False) | Q(opened_complaint_id__isnull=False)),
    )
    rows = completed.filter(incomplete).order_by("pk").values("pk", "number")[:20] if counts["incomplete"] else []
    return rate(
        "完成的回访记录了满意度与客户意见",
        good=counts["total"] - counts["incomplete"],
        total=counts["total"],
        noun="次",
        good_label="记录完整",
        shortfalls=[_follow_up_link(row) for row in rows],
        records_url=reverse("feedback:follow-ups") + "?status=done",
        extra=(
            Figure("客户反映问题", counts["issues"], "次"),
            Figure("转服务单或投诉改进", counts["improved"], "次"),
        ),
    )


@evidence("FBK-1")
def due_follow_ups_reminded(period: Period) -> Evidence:
    """到期回访已提醒回访人"""
    grace = REMINDER_GRACE
    due = _follow_ups(period).filter(due_at__lte=timezone.now() - grace, **period.during("due_at"))
    # a follow-up done, closed or already tried before its due time (+ the job's interval) needs no reminder
    handled_in_time = (
        Q(completed_at__lte=F("due_at") + grace)
        | Q(closed_at__lte=F("due_at") + grace)
        | Q(last_attempt_at__lte=F("due_at") + grace)
    )
    needing = ~handled_in_time
    missed = needing & Q(reminded_at__isnull=True)
    counts = due.aggregate(
        checked=Count("pk", filter=needing),
        missed=Count("pk", filter=missed),
        unassigned=Count("pk", filter=missed & Q(assignee__isnull=True)),
    )
    rows = due.filter(missed).order_by("pk").values("pk", "number")[:20] if counts["missed"] else []
    return none_violating(
        "到期未回访的回访已提醒回访人",
        checked=counts["checked"],
        violations=[_follow_up_link(row) for row in rows],
        violation_count=counts["missed"],
        noun="次",
        records_url=_follow_up_list_url(period),
        extra=(Figure("其中无回访人", counts["unassigned"], "次"),),
        note="本期没有到期仍未回访的回访",
    )


@evidence("FBK-1")
def due_follow_ups_completed(period: Period) -> Evidence:
    """定期回访完成率"""
    due = _follow_ups(period).filter(due_at__lte=timezone.now(), **period.during("due_at"))
    by_kind = {
        row["kind"]: row
        for row in due.values("kind").annotate(n=Count("pk"), done=Count("pk", filter=Q(completed_at__isnull=False)))
    }
    total = sum(row["n"] for row in by_kind.values())
    good = sum(row["done"] for row in by_kind.values())
    labels = dict(FollowUpKind.choices)
    extra = tuple(
        Figure(f"{labels.get(kind, kind)}（完成/到期）", f"{row['done']}/{row['n']}", "次")
        for kind, row in sorted(by_kind.items())
    )
    rows = due.filter(completed_at__isnull=True).order_by("pk").values("pk", "number")[:20] if good < total else []
    return rate(
        "到期回访的完成率",
        good=good,
        total=total,
        target=_coverage_target(period) if total else 100,
        noun="次",
        good_label="已完成回访",
        shortfalls=[_follow_up_link(row) for row in rows],
        records_url=_follow_up_list_url(period),
        extra=extra,
        note="目标为回访覆盖率参数（feedback.follow_up_coverage_target）；未到期的回访不计入",
    )


@evidence("FBK-3")
def evaluations_by_channel(period: Period) -> Evidence:
    """客户评价渠道：在线评价、问卷、电话回访、意见箱"""
    from .choices import SuggestionKind
    from .models import Suggestion, SurveyLink, SurveyResponse

    responses = SurveyResponse.objects.in_unit(period.unit).filter(**period.during("submitted_at")).count()
    sent = SurveyLink.objects.in_unit(period.unit).filter(**period.during("sent_at")).count()
    suggestions = dict(
        Suggestion.objects.in_unit(period.unit)
        .filter(**period.during("submitted_at"))
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    follow_ups = _follow_ups(period).filter(completed_at__isnull=False, **period.during("completed_at")).count()
    kinds = dict(SuggestionKind.choices)
    extra = (
        Figure("满意度问卷答复（在线）", responses, "份"),
        Figure("已发送问卷", sent, "份"),
        Figure("回访（电话等）", follow_ups, "次"),
        *(Figure(f"意见箱·{kinds.get(kind, kind)}", n, "条") for kind, n in sorted(suggestions.items())),
    )
    return count_only(
        "收到的客户评价（问卷、回访、意见箱/在线评价）",
        count=responses + follow_ups + sum(suggestions.values()),
        noun="条",
        records_url=reverse("feedback:suggestions"),
        extra=extra,
    )


@evidence("FBK-4")
def satisfaction_by_channel(period: Period) -> Evidence:
    """各渠道收集的满意度及分析"""
    from .choices import QuestionKind
    from .metrics import PROMOTER_MIN, SATISFIED_MIN
    from .models import FollowUpAttempt, Suggestion, SurveyAnswer, SurveyResponse

    responses = SurveyResponse.objects.in_unit(period.unit).filter(**period.during("submitted_at"))
    answers = SurveyAnswer.objects.filter(response__in=responses.values("pk")).aggregate(
        ratings=Count("pk", filter=Q(kind=QuestionKind.RATING)),
        satisfied=Count("pk", filter=Q(kind=QuestionKind.RATING, score__gte=SATISFIED_MIN)),
        nps=Count("pk", filter=Q(kind=QuestionKind.NPS)),
        promoters=Count("pk", filter=Q(kind=QuestionKind.NPS, score__gte=PROMOTER_MIN)),
        detractors=Count("pk", filter=Q(kind=QuestionKind.NPS, score__lte=6)),
    )
    completed = _follow_ups(period).filter(satisfaction__isnull=False, **period.during("completed_at"))
    # a follow-up's channel is that of the attempt that reached the customer, counted from the attempts' side
    by_channel = (
        FollowUpAttempt.objects.filter(reached=True, follow_up__in=completed.values("pk"))
        .values("channel")
        .annotate(
            n=Count("follow_up", distinct=True),
            satisfied=Count("follow_up", distinct=True, filter=Q(follow_up__satisfaction__gte=SATISFIED_MIN)),
        )
        .order_by("channel")
    )
    suggestions = (
        Suggestion.objects.in_unit(period.unit)
        .filter(rating__isnull=False, **period.during("submitted_at"))
        .aggregate(n=Count("pk"), satisfied=Count("pk", filter=Q(rating__gte=SATISFIED_MIN)))
    )
    channels = dict(AttemptChannel.choices)
    rows = [("问卷", answers["ratings"], answers["satisfied"])]
    rows += [(f"回访·{channels.get(row['channel'], row['channel'])}", row["n"], row["satisfied"]) for row in by_channel]
    rows += [("意见箱/在线评价", suggestions["n"], suggestions["satisfied"])]
    extra = []
    for label, n, satisfied in rows:
        if n:
            extra += [Figure(f"{label}：评价数", n, "条"), Figure(f"{label}：满意率", percent(satisfied, n), "%")]
    if answers["nps"]:
        nps = percent(answers["promoters"], answers["nps"]) - percent(answers["detractors"], answers["nps"])
        extra.append(Figure("问卷 NPS", nps, ""))
    return count_only(
        "各渠道收集的客户满意度（满意 = 4–5 分）",
        count=sum(n for _label, n, _s in rows),
        noun="条",
        records_url=reverse("feedback:dashboard") + f"?start={period.start}&end={period.end}",
        extra=tuple(extra),
        note="满意度无目标参数：列出各渠道的评价数与满意率",
    )
