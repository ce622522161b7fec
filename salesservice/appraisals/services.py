"""Every write of the appraisals app.

- KPI-1 / KPI-2 / KPI-6 `kpi_create`, `kpi_update`: HR defines a post's KPIs; the weights of its active definitions
  never exceed 100 and must be exactly 100 when a cycle opens.
- KPI-3 `cycle_open` (idempotent: one cycle per kind and period start), `open_due_cycles` (the daily job: the 1st
  of a month opens last month's, 1 Jan/Apr/Jul/Oct last quarter's, the 1st of `kpi.annual_appraisal_month` last
  year's), `cycle_close`, `appraisals_remind` (pending steps within 3 days of the deadline, once a day each).
- KPI-4 `appraisal_self_evaluate` (the appraisee), `appraisal_evaluate` (a manager in scope, not the appraisee:
  supervisor score, judged attitude and ability, customer evaluation with its source).
- KPI-5 `appraisal_finalise`: final = 70 % weighted KPI score + 30 % mean of the evaluations; grade A ≥ 90,
  B ≥ 75, C ≥ 60, else D; the consequences recorded (bonus tier, promotion proposal, targeted course, note).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import DomainError, NotFoundError, PermissionDeniedError
from salesservice.core.guards import check_version, require_perm, scoped_get
from salesservice.core.models import Membership, User
from salesservice.core.notifications import notify
from salesservice.core.policy import policy_value
from salesservice.core.roles import ROLES_BY_CODE

from . import metrics
from .choices import AppraisalStatus as A
from .choices import BonusTier, CustomerSource, CycleKind, EventType, Grade
from .choices import CycleStatus as C
from .errors import AppraisalsErrorCode as E
from .models import Appraisal, AppraisalCycle, KpiDefinition, KpiLine
from .workflows import APPRAISAL_WORKFLOW, CYCLE_WORKFLOW

KPI_SHARE = Decimal("0.7")
EVALUATION_SHARE = Decimal("0.3")
REMIND_WITHIN_DAYS = 3
GRADE_FLOORS = ((Decimal(90), Grade.A), (Decimal(75), Grade.B), (Decimal(60), Grade.C))
BONUS_OF_GRADE = {
    Grade.A: BonusTier.FULL_PLUS,
    Grade.B: BonusTier.FULL,
    Grade.C: BonusTier.REDUCED,
    Grade.D: BonusTier.NONE,
}
# Who evaluates and finalises an appraisal of a unit: its own managers, else the region manager above it.
UNIT_MANAGER_ROLES = ("cs_supervisor", "store_manager", "service_manager", "purchasing_manager")
SCORE_FIELDS = ("self_score", "supervisor_score", "attitude_score", "ability_score", "customer_score")


def _refuse(code, message, *, status: int = 409, **fields) -> DomainError:
    error = DomainError(code, message, fields=fields or None)
    error.status_code = status
    return error


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


def _score(value, field: str, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise _refuse(E.SCORE_INVALID, _("评分须在 0–100 之间"), status=400, **{field: [_("必填")]})
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = Decimal(-1)
    if not (0 <= number <= 100):
        raise _refuse(E.SCORE_INVALID, _("评分须在 0–100 之间"), status=400, **{field: [_("0–100")]})
    return number.quantize(Decimal("0.1"))


def appraisal_url(appraisal) -> str:
    return reverse("appraisals:appraisal-detail", args=[appraisal.pk])


def _get_appraisal(actor, appraisal_id) -> Appraisal:
    return scoped_get(
        Appraisal, actor, appraisal_id, code=E.APPRAISAL_NOT_FOUND, message=_("考核不存在或不在您的范围内")
    )


# --- KPI-1 / KPI-2 / KPI-6: definitions ------------------------------------------------------------


def post_weight(post: str, *, exclude_pk=None) -> int:
    rows = KpiDefinition.objects.filter(post=post, active=True)
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    return rows.aggregate(total=Sum("weight"))["total"] or 0


def _validate_kpi(*, post, code, name, metric, weight, target, active, exclude_pk=None):
    if post not in ROLES_BY_CODE:
        raise _refuse(E.UNKNOWN_POST, _("岗位不是系统中的角色"), status=400, post=[_("无效")])
    if metric not in metrics.METRICS:
        raise _refuse(E.UNKNOWN_METRIC, _("指标不在指标库中"), status=400, metric=[_("无效")])
    if not code or not name or weight is None or not (1 <= int(weight) <= 100) or target is None:
        raise _refuse(E.KPI_INVALID, _("请填写岗位、编码、名称、指标、权重（1–100）和目标值"), status=400)
    duplicate = KpiDefinition.objects.filter(post=post, code=code)
    if exclude_pk:
        duplicate = duplicate.exclude(pk=exclude_pk)
    if duplicate.exists():
        raise _refuse(E.DUPLICATE_CODE, _("该岗位已有相同编码的指标"), code=[_("重复")])
    if active and post_weight(post, exclude_pk=exclude_pk) + int(weight) > 100:
        raise _refuse(
            E.WEIGHTS_OVER_100,
            _("岗位 %(post)s 启用指标的权重合计将超过 100%%") % {"post": post},
            weight=[_("合计超过 100%")],
        )


@service
def kpi_create(
    *,
    actor,
    post: str,
    code: str,
    name: str,
    metric: str,
    weight: int,
    target,
    higher_is_better: bool = True,
    active: bool = True,
    description: str = "",
) -> KpiDefinition:
    """KPI-1 / KPI-2 / KPI-6: HR adds a KPI of a post; the post's active weights may not exceed 100."""
    require_perm(actor, "appraisals.add_kpidefinition")
    code, name = _text(code, 40), _text(name, 100)
    _validate_kpi(post=post, code=code, name=name, metric=metric, weight=weight, target=target, active=active)
    kpi = KpiDefinition.objects.create(
        post=post,
        code=code,
        name=name,
        metric=metric,
        weight=int(weight),
        target=Decimal(str(target)),
        higher_is_better=bool(higher_is_better),
        active=bool(active),
        description=_text(description, 2000),
    )
    record_event(event_type=EventType.KPI_DEFINED, target=kpi, actor=actor, new={"post": post, "weight": kpi.weight})
    return kpi


KPI_FIELDS = ("name", "metric", "weight", "target", "higher_is_better", "active", "description")


@service
def kpi_update(*, actor, kpi_id, expected_version=None, **changes) -> KpiDefinition:
    """KPI-1: HR changes a KPI (name, metric, weight, target, direction, active); weights stay ≤ 100 per post.
    Cycles already opened keep their snapshot."""
    require_perm(actor, "appraisals.change_kpidefinition")
    kpi = KpiDefinition.objects.select_for_update().filter(pk=kpi_id).first()
    if kpi is None:
        raise NotFoundError(E.KPI_NOT_FOUND, _("考核指标不存在"))
    check_version(kpi, expected_version)
    values = {name: changes[name] for name in KPI_FIELDS if name in changes}
    merged = {name: values.get(name, getattr(kpi, name)) for name in KPI_FIELDS}
    _validate_kpi(
        post=kpi.post,
        code=kpi.code,
        name=merged["name"],
        metric=merged["metric"],
        weight=merged["weight"],
        target=merged["target"],
        active=merged["active"],
        exclude_pk=kpi.pk,
    )
    old = {name: str(getattr(kpi, name)) for name in values}
    for name, value in values.items():
        setattr(kpi, name, Decimal(str(value)) if name == "target" else value)
    kpi.version += 1
    kpi.save()
    record_event(
        event_type=EventType.KPI_CHANGED, target=kpi, actor=actor, old=old, new={k: str(v) for k, v in values.items()}
    )
    return kpi


def incomplete_posts() -> dict[str, int]:
    """Posts whose active KPI weights do not sum to 100 → their sum."""
    rows = KpiDefinition.objects.filter(active=True).values("post").annotate(total=Sum("weight"))
    return {row["post"]: row["total"] for row in rows if row["total"] != 100}


# --- KPI-3: cycles ---------------------------------------------------------------------------------


def previous_period(kind: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period before `today` of a kind: last month, last quarter or last year (inclusive dates)."""
    if kind == CycleKind.MONTHLY:
        end = today.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    if kind == CycleKind.QUARTERLY:
        quarter_start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        end = quarter_start - dt.timedelta(days=1)
        return dt.date(end.year, (end.month - 1) // 3 * 3 + 1, 1), end
    return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)


def cycle_deadline(kind: str, period_end: dt.date) -> dt.date:
    """KPI-3: the appraisals of a period are done by day `kpi.monthly_appraisal_deadline_day` of the month after it
    (monthly, quarterly); the annual ones by that day of month `kpi.annual_appraisal_month` of the next year."""
    day = int(policy_value("kpi.monthly_appraisal_deadline_day"))
    after = period_end + dt.timedelta(days=1)
    if kind == CycleKind.ANNUAL:
        return dt.date(after.year, int(policy_value("kpi.annual_appraisal_month")), day)
    return after.replace(day=day)


def appraisee_posts() -> dict[int, tuple[str, int]]:
    """{user id: (post, org unit id)} for every active user holding a post with active KPI definitions (the first
    such membership)."""
    posts = set(KpiDefinition.objects.filter(active=True).values_list("post", flat=True))
    groups = {ROLES_BY_CODE[post].group_name: post for post in posts if post in ROLES_BY_CODE}
    result: dict[int, tuple[str, int]] = {}
    for user_id, role, unit_id in (
        Membership.objects.filter(role__name__in=groups, user__is_active=True)
        .order_by("user_id", "id")
        .values_list("user_id", "role__name", "org_unit_id")
    ):
        result.setdefault(user_id, (groups[role], unit_id))
    return result


def kpi_lines_for(people: dict[int, str], start: dt.date, end: dt.date) -> dict[int, list[KpiLine]]:
    """Unsaved KPI lines per user ({user id: post}), every metric computed once for all users who need it."""
    definitions: dict[str, list[KpiDefinition]] = {}
    for kpi in KpiDefinition.objects.filter(active=True, post__in=set(people.values())):
        definitions.setdefault(kpi.post, []).append(kpi)
    needed: dict[str, set[int]] = {}
    for user_id, post in people.items():
        for kpi in definitions.get(post, []):
            needed.setdefault(kpi.metric, set()).add(user_id)
    figures = {key: metrics.METRICS[key].compute(sorted(ids), start, end) for key, ids in needed.items()}
    result = {}
    for user_id, post in people.items():
        lines = []
        for kpi in definitions.get(post, []):
            figure = figures[kpi.metric].get(user_id, metrics.NO_DATA)
            lines.append(
                KpiLine(
                    code=kpi.code,
                    name=kpi.name,
                    metric=kpi.metric,
                    weight=kpi.weight,
                    target=kpi.target,
                    higher_is_better=kpi.higher_is_better,
                    value=figure.value,
                    numerator=figure.numerator,
                    denominator=figure.denominator,
                    score=metrics.score(figure.value, kpi.target, kpi.higher_is_better),
                )
            )
        result[user_id] = lines
    return result


def weighted_score(lines) -> Decimal | None:
    """KPI-1: Σ score·weight / Σ weight over the lines with a score (a line without data is left out)."""
    scored = [(line.score, line.weight) for line in lines if line.score is not None]
    total_weight = sum(weight for _score, weight in scored)
    if not total_weight:
        return None
    return (sum(Decimal(score) * weight for score, weight in scored) / total_weight).quantize(Decimal("0.1"))


@service
def cycle_open(*, actor=None, kind: str, today: dt.date | None = None) -> AppraisalCycle:
    """KPI-3: open the cycle of the period before `today` (idempotent: an existing cycle of that kind and period is
    returned untouched). Creates an appraisal for every active user holding a post with KPI definitions, its KPI
    lines computed and snapshotted, and tells them."""
    if actor is not None:
        require_perm(actor, "appraisals.add_appraisalcycle")
    today = today or timezone.localdate()
    start, end = previous_period(kind, today)
    existing = AppraisalCycle.objects.filter(kind=kind, period_start=start).first()
    if existing is not None:
        return existing
    incomplete = incomplete_posts()
    if incomplete:
        posts = "、".join(f"{post}={total}%" for post, total in sorted(incomplete.items()))
        raise _refuse(E.WEIGHTS_NOT_100, _("以下岗位启用指标的权重合计不是 100%%：%(posts)s") % {"posts": posts})
    cycle = AppraisalCycle(kind=kind, period_start=start, period_end=end, deadline=cycle_deadline(kind, end))
    CYCLE_WORKFLOW.initial(cycle, C.OPEN)
    cycle.save()
    people = appraisee_posts()
    lines_of = kpi_lines_for({pk: post for pk, (post, _unit) in people.items()}, start, end)
    appraisals = []
    for user_id, (post, unit_id) in sorted(people.items()):
        appraisal = Appraisal(
            cycle=cycle,
            appraisee_id=user_id,
            org_unit_id=unit_id,
            post=post,
            kpi_score=weighted_score(lines_of[user_id]),
        )
        APPRAISAL_WORKFLOW.initial(appraisal, A.PENDING_SELF)
        appraisals.append(appraisal)
    Appraisal.objects.bulk_create(appraisals)
    if appraisals and appraisals[0].pk is None:  # backends without RETURNING
        appraisals = list(Appraisal.objects.filter(cycle=cycle))
    rows = []
    for appraisal in appraisals:
        for line in lines_of[appraisal.appraisee_id]:
            line.appraisal = appraisal
            rows.append(line)
    KpiLine.objects.bulk_create(rows)
    record_event(
        event_type=EventType.CYCLE_OPENED,
        target=cycle,
        actor=actor,
        new={"kind": kind, "period": cycle.label, "appraisals": len(appraisals)},
    )
    if appraisals:
        notify(
            recipients=User.objects.filter(pk__in=[a.appraisee_id for a in appraisals]),
            title=_("%(cycle)s 考核已开启，请在 %(deadline)s 前完成自评")
            % {"cycle": cycle, "deadline": cycle.deadline},
            url=reverse("appraisals:mine"),
            kind="appraisals.cycle_opened",
        )
    return cycle


def due_kinds(today: dt.date) -> list[str]:
    """KPI-3: which cycles the daily job opens on `today`."""
    kinds = []
    if today.day == 1:
        kinds.append(CycleKind.MONTHLY)
        if today.month in (1, 4, 7, 10):
            kinds.append(CycleKind.QUARTERLY)
        if today.month == int(policy_value("kpi.annual_appraisal_month")):
            kinds.append(CycleKind.ANNUAL)
    return kinds


def open_due_cycles(*, today: dt.date | None = None) -> list[AppraisalCycle]:
    """KPI-3: the daily job — open the cycles due today (each idempotent)."""
    today = today or timezone.localdate()
    return [cycle_open(actor=None, kind=kind, today=today) for kind in due_kinds(today)]


@service
def cycle_close(*, actor, cycle_id, expected_version=None) -> AppraisalCycle:
    """KPI-3: HR closes a cycle once every appraisal in it is finalised."""
    require_perm(actor, "appraisals.close_appraisalcycle")
    cycle = AppraisalCycle.objects.select_for_update().filter(pk=cycle_id).first()
    if cycle is None:
        raise NotFoundError(E.CYCLE_NOT_FOUND, _("考核周期不存在"))
    check_version(cycle, expected_version)
    CYCLE_WORKFLOW.check(cycle, "close")  # guard: every appraisal finalised (appraisals.cycle_has_pending)
    cycle.closed_at = timezone.now()
    CYCLE_WORKFLOW.move(cycle, C.CLOSED, actor=actor, fields=("closed_at",))
    record_event(event_type=EventType.CYCLE_CLOSED, target=cycle, actor=actor)
    return cycle


# --- KPI-4: evaluations ----------------------------------------------------------------------------


@service
def appraisal_self_evaluate(
    *, actor, appraisal_id, self_score, self_comment: str = "", expected_version=None
) -> Appraisal:
    """KPI-4: the appraisee's self-evaluation (score 0–100 and comment); nobody else's (403)."""
    require_perm(actor, "appraisals.self_evaluate_appraisal")
    appraisal = _get_appraisal(actor, appraisal_id)
    if actor is not None and appraisal.appraisee_id != actor.pk:
        raise PermissionDeniedError(E.NOT_APPRAISEE, _("只有被考核人本人可以自评"))
    check_version(appraisal, expected_version)
    APPRAISAL_WORKFLOW.check(appraisal, "self-evaluate")
    appraisal.self_score = _score(self_score, "self_score")
    appraisal.self_comment = _text(self_comment, 5000)
    appraisal.self_evaluated_at = timezone.now()
    APPRAISAL_WORKFLOW.move(
        appraisal,
        A.PENDING_SUPERVISOR,
        actor=actor,
        fields=("self_score", "self_comment", "self_evaluated_at"),
    )
    record_event(
        event_type=EventType.SELF_EVALUATED,
        target=appraisal,
        actor=actor,
        new={"self_score": str(appraisal.self_score)},
    )
    return appraisal


@service
def appraisal_evaluate(
    *,
    actor,
    appraisal_id,
    supervisor_score,
    attitude_score,
    ability_score,
    supervisor_comment: str = "",
    customer_score=None,
    customer_source: str = "",
    expected_version=None,
) -> Appraisal:
    """KPI-4 / KPI-2: a manager in scope (not the appraisee) evaluates — supervisor score, the judged attitude and
    ability scores, and the customer evaluation score with its source."""
    require_perm(actor, "appraisals.evaluate_appraisal")
    appraisal = _get_appraisal(actor, appraisal_id)
    if actor is not None and appraisal.appraisee_id == actor.pk:
        raise PermissionDeniedError(E.SELF_APPRAISAL, _("不能评价自己的考核"))
    check_version(appraisal, expected_version)
    APPRAISAL_WORKFLOW.check(appraisal, "evaluate")
    appraisal.supervisor_score = _score(supervisor_score, "supervisor_score")
    appraisal.attitude_score = _score(attitude_score, "attitude_score")
    appraisal.ability_score = _score(ability_score, "ability_score")
    appraisal.customer_score = _score(customer_score, "customer_score", required=False)
    source = customer_source or ""
    if appraisal.customer_score is not None and source not in CustomerSource.values:
        raise _refuse(
            E.CUSTOMER_SOURCE_REQUIRED, _("填写客户评价分时须注明来源"), status=400, customer_source=[_("必填")]
        )
    appraisal.customer_source = source if appraisal.customer_score is not None else ""
    appraisal.supervisor_comment = _text(supervisor_comment, 5000)
    appraisal.supervisor = actor
    appraisal.evaluated_at = timezone.now()
    APPRAISAL_WORKFLOW.move(
        appraisal,
        A.EVALUATED,
        actor=actor,
        fields=(*SCORE_FIELDS[1:], "customer_source", "supervisor_comment", "supervisor", "evaluated_at"),
    )
    record_event(
        event_type=EventType.EVALUATED,
        target=appraisal,
        actor=actor,
        new={name: str(getattr(appraisal, name)) for name in SCORE_FIELDS[1:]},
    )
    return appraisal


# --- KPI-5: result and consequences ----------------------------------------------------------------


def evaluation_mean(appraisal) -> Decimal | None:
    """The mean of the evaluations given: self, supervisor, attitude, ability and customer (those filled in)."""
    given = [Decimal(getattr(appraisal, name)) for name in SCORE_FIELDS if getattr(appraisal, name) is not None]
    return (sum(given) / len(given)).quantize(Decimal("0.1")) if given else None


def final_score(appraisal) -> Decimal:
    """KPI-5: 70 % the weighted KPI score + 30 % the mean of the evaluations (either alone when the other is
    missing)."""
    kpi, evaluations = appraisal.kpi_score, evaluation_mean(appraisal)
    if kpi is None and evaluations is None:
        return Decimal(0)
    if kpi is None:
        return evaluations
    if evaluations is None:
        return Decimal(kpi)
    return (KPI_SHARE * Decimal(kpi) + EVALUATION_SHARE * evaluations).quantize(Decimal("0.1"))


def grade_of(score: Decimal) -> str:
    """KPI-5: A ≥ 90, B ≥ 75, C ≥ 60, else D."""
    for floor, grade in GRADE_FLOORS:
        if score >= floor:
            return grade
    return Grade.D


@service
def appraisal_finalise(
    *,
    actor,
    appraisal_id,
    bonus_tier: str = "",
    promotion_proposed: bool = False,
    training_course=None,
    result_note: str = "",
    expected_version=None,
) -> Appraisal:
    """KPI-5: finalise — the final score and grade, and the consequences: bonus tier (default from the grade:
    A 上浮, B 全额, C 减发, D 不发), promotion proposal, a targeted training course (people.Course), a note.
    Only after the supervisor evaluated (else 409 `status.invalid_transition`); not one's own (403)."""
    require_perm(actor, "appraisals.finalise_appraisal")
    appraisal = _get_appraisal(actor, appraisal_id)
    if actor is not None and appraisal.appraisee_id == actor.pk:
        raise PermissionDeniedError(E.SELF_APPRAISAL, _("不能定稿自己的考核"))
    check_version(appraisal, expected_version)
    APPRAISAL_WORKFLOW.check(appraisal, "finalise")
    appraisal.final_score = final_score(appraisal)
    appraisal.grade = grade_of(appraisal.final_score)
    appraisal.bonus_tier = bonus_tier if bonus_tier in BonusTier.values else BONUS_OF_GRADE[appraisal.grade]
    appraisal.promotion_proposed = bool(promotion_proposed)
    course_id = getattr(training_course, "pk", training_course) or None
    if course_id is not None:
        from salesservice.people.models import Course

        if not Course.objects.filter(pk=course_id).exists():
            raise _refuse(E.COURSE_UNKNOWN, _("所选培训课程不存在"), status=400, training_course=[_("无效")])
    appraisal.training_course_id = course_id
    appraisal.result_note = _text(result_note, 5000)
    appraisal.finalised_by = actor
    appraisal.finalised_at = timezone.now()
    APPRAISAL_WORKFLOW.move(
        appraisal,
        A.FINALISED,
        actor=actor,
        fields=(
            "final_score",
            "grade",
            "bonus_tier",
            "promotion_proposed",
            "training_course",
            "result_note",
            "finalised_by",
            "finalised_at",
        ),
    )
    record_event(
        event_type=EventType.FINALISED,
        target=appraisal,
        actor=actor,
        new={"final_score": str(appraisal.final_score), "grade": appraisal.grade, "bonus_tier": appraisal.bonus_tier},
    )
    notify(
        recipients=[appraisal.appraisee],
        title=_("您的 %(cycle)s 考核已定稿：%(grade)s") % {"cycle": appraisal.cycle, "grade": appraisal.grade},
        url=appraisal_url(appraisal),
        kind="appraisals.finalised",
    )
    return appraisal


def reviewers(unit_id: int) -> list:
    """Who evaluates and finalises the appraisals of a unit: its own managers, else the region manager above it."""
    return holders(UNIT_MANAGER_ROLES, unit_id, exact=True) or holders("region_manager", unit_id)


@service
def appraisals_remind(*, actor=None, today: dt.date | None = None) -> int:
    """KPI-3: daily — every pending step of an open cycle due within 3 days (or overdue) is reminded once a day:
    the appraisee to self-evaluate, the unit's managers to evaluate or finalise."""
    today = today or timezone.localdate()
    due = (
        Appraisal.objects.filter(
            cycle__status=C.OPEN,
            cycle__deadline__lte=today + dt.timedelta(days=REMIND_WITHIN_DAYS),
            status__in=APPRAISAL_WORKFLOW.open_states,
        )
        .exclude(reminded_on=today)
        .select_related("cycle", "appraisee")
        .order_by("pk")
    )
    count = 0
    for appraisal in due:
        if appraisal.status == A.PENDING_SELF:
            recipients, step = [appraisal.appraisee], _("自评")
        else:
            recipients = reviewers(appraisal.org_unit_id)
            step = _("上级评价") if appraisal.status == A.PENDING_SUPERVISOR else _("定稿")
        notify(
            recipients=recipients,
            title=_("%(cycle)s %(person)s 的考核待%(step)s，截止 %(deadline)s")
            % {
                "cycle": appraisal.cycle,
                "person": appraisal.appraisee,
                "step": step,
                "deadline": appraisal.cycle.deadline,
            },
            url=appraisal_url(appraisal),
            kind="appraisals.reminder",
        )
        record_event(event_type=EventType.REMINDED, target=appraisal, actor=actor, message=str(step))
        count += 1
    Appraisal.objects.filter(pk__in=[a.pk for a in due]).update(reminded_on=today)
    return count
