"""Compliance evidence of people (issue 16 §4): PPL-1 — hires with interview, written test and background check
passed against a post with recruitment criteria; PPL-2 — training sessions held with attendance recorded; PPL-3 —
annual plans approved, session reminders sent; PPL-4 — certifications issued or renewed only on a passed exam
(hand-registered external certificates counted, not judged), revoked after the third failure in a row (dispatch of
uncertified engineers is refused by the service desk; its records live in the service app, above this one); PPL-5 — sessions held evaluated for effect; PPL-6 —
development talks held and the agreed next talk held."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Avg, Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from salesservice.core.evidence import (
    SHORTFALL_ROWS,
    Evidence,
    Figure,
    Period,
    count_only,
    evidence,
    none_violating,
    percent,
    rate,
)

from .choices import CandidateStatus, PlanStatus, RecruitmentStep, SessionKind
from .models import (
    Candidate,
    CareerStep,
    Certification,
    DevelopmentTalk,
    EffectEvaluation,
    ExamAttempt,
    TrainingNeed,
    TrainingPlan,
    TrainingSession,
)
from .services import FAILURES_TO_REVOKE
from .training import SESSION_REMINDER_DAYS


def _held_sessions(period: Period):
    """Sessions of approved plans of the unit whose date falls in the period, up to today."""
    last = min(period.end, timezone.localdate())
    return TrainingSession.objects.in_unit(period.unit).filter(
        plan__status=PlanStatus.APPROVED, planned_on__gte=period.start, planned_on__lte=last
    )


def _session_links(queryset):
    rows = queryset.order_by("planned_on", "id").values("pk", "planned_on", "topic")[:SHORTFALL_ROWS]
    return [
        (f"{row['planned_on']:%Y-%m-%d} {row['topic']}", reverse("people:session-detail", args=[row["pk"]]))
        for row in rows
    ]


def _plans_url(period: Period) -> str:
    url = reverse("people:plans")
    return url + f"?year={period.start.year}" if period.start.year == period.end.year else url


# --- PPL-1: recruitment ------------------------------------------------------------------------------------


@evidence("PPL-1")
def hires_fully_assessed(period: Period) -> Evidence:
    """录用经面试、笔试、背景调查"""
    steps = len(RecruitmentStep.values)
    hires = list(
        Candidate.objects.in_unit(period.unit)
        .filter(status=CandidateStatus.HIRED, **period.during("decided_at"))
        .values("pk", "number", "name", "post__criteria", "decided_at")
        .annotate(passed=Count("step_records__step", distinct=True, filter=Q(step_records__passed=True)))
        .order_by("decided_at", "pk")
    )
    short = []
    for row in hires:
        missing = []
        if row["passed"] < steps:
            missing.append(f"通过 {row['passed']}/{steps} 个招聘环节")
        if not (row["post__criteria"] or "").strip():
            missing.append("岗位无招聘标准")
        if missing:
            label = f"{row['number']} {row['name']}：{'，'.join(missing)}"
            short.append((label, reverse("people:candidate-detail", args=[row["pk"]])))
    return rate(
        "录用的应聘者面试、笔试、背景调查均通过，且岗位有招聘标准",
        good=len(hires) - len(short),
        total=len(hires),
        noun="人",
        good_label="三项齐全",
        shortfalls=short,
        records_url=reverse("people:candidates") + "?status=hired",
    )


# --- PPL-2: training held -------------------------------------------------------------------------------------


@evidence("PPL-2")
def sessions_held_and_recorded(period: Period) -> Evidence:
    """培训场次按计划举办并登记出勤"""
    sessions = _held_sessions(period)
    row = sessions.aggregate(
        total=Count("pk"),
        recorded=Count("pk", filter=Q(attendance_recorded_at__isnull=False)),
        **{kind: Count("pk", filter=Q(kind=kind, attendance_recorded_at__isnull=False)) for kind in SessionKind.values},
    )
    return rate(
        "计划内的培训场次已举办并登记出勤",
        good=row["recorded"],
        total=row["total"],
        noun="场",
        good_label="已登记出勤",
        shortfalls=_session_links(sessions.filter(attendance_recorded_at__isnull=True)),
        records_url=_plans_url(period),
        extra=tuple(Figure(str(SessionKind(kind).label), row[kind], "场") for kind in SessionKind.values),
    )


# --- PPL-3: needs analysis, annual plan, reminders ---------------------------------------------------------------


@evidence("PPL-3")
def annual_plans_approved(period: Period) -> Evidence:
    """年度培训计划已批准"""
    plans = TrainingPlan.objects.in_unit(period.unit).filter(year__gte=period.start.year, year__lte=period.end.year)
    drafts = plans.exclude(status=PlanStatus.APPROVED)
    rows = drafts.order_by("year", "id").values("pk", "year", "title")[:SHORTFALL_ROWS]
    needs = TrainingNeed.objects.in_unit(period.unit).filter(**period.during("created_at"))
    total = plans.count()
    return rate(
        "本期各年度的培训计划已批准",
        good=total - drafts.count(),
        total=total,
        noun="份",
        good_label="已批准",
        shortfalls=[
            (f"{row['year']} {row['title']}（草稿）", reverse("people:plan-detail", args=[row["pk"]])) for row in rows
        ],
        records_url=_plans_url(period),
        extra=(
            Figure("本期登记培训需求", needs.count(), "条"),
            Figure("其中已列入计划", needs.exclude(status="open").count(), "条"),
        ),
        note="计划按单位与年度编制；需求分析以登记的培训需求计",
    )


@evidence("PPL-3")
def session_reminders_sent(period: Period) -> Evidence:
    """培训提醒"""
    today = timezone.localdate()
    days = dt.timedelta(days=SESSION_REMINDER_DAYS)
    approved = TrainingSession.objects.in_unit(period.unit).filter(plan__status=PlanStatus.APPROVED)
    # ahead: due from `days` before the session (inside the period, up to today), the plan approved by the session
    ahead = approved.filter(planned_on__gte=period.start + days, planned_on__lte=min(period.end, today) + days).exclude(
        plan__approved_at__date__gte=F("planned_on")
    )
    # overdue: the day after the session without attendance recorded (the daily task then tells HR)
    last = min(period.end, today) - dt.timedelta(days=1)
    overdue = approved.filter(planned_on__gte=period.start - dt.timedelta(days=1), planned_on__lte=last).filter(
        Q(attendance_recorded_at__isnull=True) | Q(attendance_recorded_at__date__gt=F("planned_on"))
    )
    ahead_row = ahead.aggregate(total=Count("pk"), sent=Count("pk", filter=Q(reminded_on__isnull=False)))
    overdue_row = overdue.aggregate(total=Count("pk"), sent=Count("pk", filter=Q(overdue_reminded_on__isnull=False)))
    missing = _session_links(ahead.filter(reminded_on__isnull=True))
    missing += [
        (f"{label}（未登记出勤提醒）", url)
        for label, url in _session_links(overdue.filter(overdue_reminded_on__isnull=True))
    ]
    return rate(
        "培训前提醒讲师与学员、过期未登记出勤提醒人事",
        good=ahead_row["sent"] + overdue_row["sent"],
        total=ahead_row["total"] + overdue_row["total"],
        noun="次",
        good_label="已提醒",
        shortfalls=missing,
        records_url=_plans_url(period),
        extra=(
            Figure("培训前提醒", f"{ahead_row['sent']}/{ahead_row['total']}", ""),
            Figure("未登记出勤提醒", f"{overdue_row['sent']}/{overdue_row['total']}", ""),
        ),
        note=f"培训前 {SESSION_REMINDER_DAYS} 天内提醒；培训日后仍未登记出勤的提醒人事",
    )


# --- PPL-4: only those who pass take up the post ---------------------------------------------------------------


@evidence("PPL-4")
def certified_only_after_passing(period: Period) -> Evidence:
    """上岗资格只颁发给考试合格者"""
    start, end = period.bounds
    certifications = Certification.objects.in_unit(period.unit).filter(
        Q(exam_attempt__isnull=False, exam_attempt__scored_at__gte=start, exam_attempt__scored_at__lt=end)
        | Q(exam_attempt__isnull=True, **period.during("created_at"))
    )
    bad = certifications.filter(exam_attempt__isnull=False).exclude(exam_attempt__passed=True)
    rows = bad.order_by("issued_at", "id").values("pk", "certificate_no", "user__display_name")[:SHORTFALL_ROWS]
    manual = certifications.filter(exam_attempt__isnull=True)
    return none_violating(
        "本期颁发或延续的上岗资格均来自考试合格",
        checked=certifications.count(),
        violations=[
            (
                f"{row['certificate_no']} {row['user__display_name']}：考试未合格",
                reverse("people:certification-detail", args=[row["pk"]]),
            )
            for row in rows
        ],
        violation_count=bad.count(),
        noun="份",
        records_url=reverse("people:certifications"),
        extra=(
            Figure("手工登记（外部发证）", manual.count(), "份"),
            Figure("其中无证书扫描件", manual.filter(evidence__isnull=True).count(), "份"),
        ),
    )


@evidence("PPL-4")
def revoked_after_repeated_failures(period: Period) -> Evidence:
    """连续考试不合格暂停上岗资格"""
    attempts = list(
        ExamAttempt.objects.in_unit(period.unit)
        .filter(failure_streak__gte=FAILURES_TO_REVOKE, passed=False, **period.during("scored_at"))
        .values("pk", "user_id", "user__display_name", "course__title", "course__category_id", "scored_at")
        .order_by("scored_at", "pk")
    )
    if not attempts:
        return Evidence.none("连续三次考试不合格的暂停上岗资格", f"本期无连续 {FAILURES_TO_REVOKE} 次考试不合格的记录")
    held = defaultdict(list)
    for user_id, category_id, issued_at, valid_until, revoked_at in Certification.objects.filter(
        user_id__in={row["user_id"] for row in attempts}
    ).values_list("user_id", "category_id", "issued_at", "valid_until", "revoked_at"):
        held[(user_id, category_id)].append((issued_at, valid_until, revoked_at))
    bad = []
    for row in attempts:
        moment, day = row["scored_at"], timezone.localdate(row["scored_at"])
        still_valid = any(
            issued_at <= day
            and (valid_until is None or valid_until >= day)
            and (revoked_at is None or revoked_at > moment)
            for issued_at, valid_until, revoked_at in held[(row["user_id"], row["course__category_id"])]
        )
        if still_valid:
            bad.append(
                (
                    f"{row['user__display_name']} {row['course__title']}：连续不合格后仍持有效上岗资格",
                    reverse("people:attempt-detail", args=[row["pk"]]),
                )
            )
    return none_violating(
        f"连续 {FAILURES_TO_REVOKE} 次考试不合格的暂停上岗资格",
        checked=len(attempts),
        violations=bad,
        noun="次",
        records_url=reverse("people:attempts") + "?passed=false",
    )


# --- PPL-5: training effect ---------------------------------------------------------------------------------------


@evidence("PPL-5")
def sessions_evaluated(period: Period) -> Evidence:
    """培训效果评估"""
    held = _held_sessions(period).filter(attendance_recorded_at__isnull=False)
    total = held.count()
    unevaluated = held.filter(evaluation__isnull=True)
    effects = EffectEvaluation.objects.filter(session__in=held).aggregate(
        n=Count("pk"), reaction=Avg("reaction_score"), takers=Sum("exam_takers"), passed=Sum("exam_passed")
    )
    fed_back = TrainingNeed.objects.filter(evaluation__session__in=held).count()
    reaction = effects["reaction"]
    return rate(
        "已举办的培训场次做了效果评估",
        good=effects["n"],
        total=total,
        noun="场",
        good_label="已评估",
        shortfalls=_session_links(unevaluated),
        records_url=_plans_url(period),
        extra=(
            Figure("平均学员满意度", round(float(reaction), 2) if reaction is not None else "—", "分(1–5)"),
            Figure("考试合格率", percent(effects["passed"], effects["takers"]) if effects["takers"] else "—", "%"),
            Figure("反馈为新培训需求", fed_back, "条"),
        ),
        note="每场已登记出勤的培训均须评估效果（003 培訓效果評估）",
    )


# --- PPL-6: career path ----------------------------------------------------------------------------------------


@evidence("PPL-6")
def development_talks_held(period: Period) -> Evidence:
    """职业发展面谈"""
    talks = DevelopmentTalk.objects.in_unit(period.unit).filter(**period.dates("held_on"))
    return count_only(
        "本期进行的职业发展面谈",
        count=talks.count(),
        noun="次",
        records_url=reverse("people:career"),
        extra=(
            Figure("面谈人数", talks.values("user_id").distinct().count(), "人"),
            Figure("职业发展阶梯", CareerStep.objects.count(), "级"),
        ),
    )


@evidence("PPL-6")
def next_talks_held(period: Period) -> Evidence:
    """约定的下次面谈已进行"""
    last = min(period.end, timezone.localdate())
    due = list(
        DevelopmentTalk.objects.in_unit(period.unit)
        .filter(next_talk_on__gte=period.start, next_talk_on__lte=last)
        .values("pk", "user_id", "user__display_name", "held_on", "next_talk_on")
        .order_by("next_talk_on", "pk")
    )
    later = defaultdict(list)
    for user_id, held_on in DevelopmentTalk.objects.filter(user_id__in={row["user_id"] for row in due}).values_list(
        "user_id", "held_on"
    ):
        later[user_id].append(held_on)
    missing = [
        (
            f"{row['user__display_name']}：约定 {row['next_talk_on']:%Y-%m-%d} 面谈",
            reverse("people:career") + f"?user={row['user_id']}",
        )
        for row in due
        if not any(held_on > row["held_on"] for held_on in later[row["user_id"]])
    ]
    return rate(
        "约定的下次职业发展面谈已进行",
        good=len(due) - len(missing),
        total=len(due),
        noun="次",
        good_label="已面谈",
        shortfalls=missing,
        records_url=reverse("people:career"),
        note="本期到期的“下次面谈”，其后有新的面谈记录即计为已进行",
    )
