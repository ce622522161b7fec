"""工作台 queues of the people app (PPL-4): HR — certificates ending within 30 days and practical assessments
to grade; engineers — the exams they may take (courses whose category they are not certified for first).
HR also (PPL-1…PPL-3): training sessions this and next week, sessions without attendance, open training needs,
candidates waiting on a step."""

import datetime as dt

from django.db.models import Case, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.workbench import Panel, PanelRow, queue_panel, queue_total, workbench_panel

from .choices import CandidateStatus, ExamAttemptStatus, ExamKind, NeedPriority, NeedStatus, PlanStatus
from .models import Candidate, Certification, Course, TrainingNeed, TrainingSession
from .selectors import attempt_list, certification_list
from .services import EXPIRY_REMINDER_DAYS

PANEL_ROWS = 6


@workbench_panel(order=60)
def certificates_expiring(request):
    user = request.user
    if not user.has_perm("people.change_course"):
        return None
    today = timezone.localdate()
    queryset = (
        certification_list(user)
        .valid_on(today)
        .filter(valid_until__isnull=False, valid_until__lte=today + dt.timedelta(days=EXPIRY_REMINDER_DAYS))
        .order_by("valid_until", "id")
    )
    return Panel(
        key="certificates-expiring",
        title=_("%(n)s 天内到期的上岗资格") % {"n": EXPIRY_REMINDER_DAYS},
        rows=[
            PanelRow(
                text=f"{c.user.name} · {c.category.name}",
                url=reverse("people:certification-detail", args=[c.pk]),
                meta=c.valid_until.isoformat(),
                badge=c.certificate_no,
            )
            for c in queryset[:PANEL_ROWS]
        ],
        **queue_total(queryset),
        more_url=reverse("people:certifications") + "?valid=true",
        empty_text=_("暂无即将到期的证书"),
    )


@workbench_panel(order=61)
def attempts_to_grade(request):
    user = request.user
    if not user.has_perm("people.grade_examattempt"):
        return None
    queryset = (
        attempt_list(user)
        .filter(kind=ExamKind.PRACTICAL, status=ExamAttemptStatus.STARTED)
        .order_by("started_at", "id")
    )
    return Panel(
        key="attempts-to-grade",
        title=_("待录入成绩的实操考核"),
        rows=[
            PanelRow(
                text=f"{a.user.name} · {a.course.title}",
                url=reverse("people:attempt-detail", args=[a.pk]),
                meta=timezone.localtime(a.started_at).strftime("%m-%d %H:%M"),
            )
            for a in queryset[:PANEL_ROWS]
        ],
        **queue_total(queryset),
        more_url=reverse("people:attempts") + "?kind=practical&status=started",
        empty_text=_("暂无待评分的考核"),
    )


@workbench_panel(order=62)
def exams_available(request):
    user = request.user
    if not user.has_perm("people.take_exam") or user.has_perm("people.change_course"):
        return None
    certified = Certification.objects.valid_on().filter(user=user).values("category_id")
    courses = list(
        Course.objects.filter(is_active=True, kind=ExamKind.WRITTEN).select_related("category").order_by("title")
    )
    held = set(certified.values_list("category_id", flat=True))
    courses.sort(key=lambda c: c.category_id in held)  # not yet certified first

    def row(course):
        badge, css = (
            (_("已持证，可复训"), "bg-green-lt") if course.category_id in held else (_("未持证"), "bg-orange-lt")
        )
        return PanelRow(
            text=f"{course.title} · {course.category.name}",
            url=reverse("people:course-detail", args=[course.pk]),
            badge=badge,
            badge_class=css,
        )

    return Panel(
        key="exams-available",
        title=_("可参加的考试"),
        rows=[row(c) for c in courses[:PANEL_ROWS]],
        total=len(courses),
        more_url=reverse("people:courses"),
        empty_text=_("暂无可参加的考试"),
    )


# --- HR: training plan, needs and recruitment (PPL-1, PPL-2, PPL-3) ---------------------------------------------


def _queue(key, title, queryset, row, more_url, empty_text):
    return queue_panel(key, title, queryset, row, more_url, empty_text=empty_text)


def _session_row(session):
    return PanelRow(
        text=f"{session.topic} · {session.plan.org_unit.name}",
        url=reverse("people:session-detail", args=[session.pk]),
        meta=session.planned_on.isoformat(),
        badge=session.trainer.name,
    )


@workbench_panel(order=63)
def training_sessions_soon(request):
    """PPL-2/PPL-3: sessions of approved plans this week and next (from Monday of this week)."""
    user = request.user
    if not user.has_perm("people.change_trainingplan"):
        return None
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    queryset = (
        TrainingSession.objects.visible_to(user)
        .filter(plan__status=PlanStatus.APPROVED, planned_on__gte=monday, planned_on__lt=monday + dt.timedelta(days=14))
        .select_related("plan__org_unit", "trainer")
        .order_by("planned_on", "id")
    )
    return _queue(
        "training-sessions-soon",
        _("本周和下周的培训"),
        queryset,
        _session_row,
        reverse("people:plans"),
        _("两周内没有培训"),
    )


@workbench_panel(order=64)
def sessions_without_attendance(request):
    """PPL-2: sessions past their date whose attendance is not recorded yet."""
    user = request.user
    if not user.has_perm("people.change_trainingplan"):
        return None
    queryset = (
        TrainingSession.objects.visible_to(user)
        .filter(
            plan__status=PlanStatus.APPROVED,
            planned_on__lt=timezone.localdate(),
            attendance_recorded_at__isnull=True,
        )
        .select_related("plan__org_unit", "trainer")
        .order_by("planned_on", "id")
    )
    return _queue(
        "sessions-without-attendance",
        _("未登记出勤的培训"),
        queryset,
        _session_row,
        reverse("people:plans"),
        _("出勤均已登记"),
    )


@workbench_panel(order=65)
def open_training_needs(request):
    """PPL-3: training needs not yet planned, highest priority first."""
    user = request.user
    if not user.has_perm("people.change_trainingneed"):
        return None
    queryset = (
        TrainingNeed.objects.visible_to(user)
        .filter(status=NeedStatus.OPEN)
        .select_related("org_unit")
        .order_by(Case(*[When(priority=p, then=i) for i, p in enumerate(NeedPriority.values)]), "-created_at")
    )
    return _queue(
        "open-training-needs",
        _("待安排的培训需求"),
        queryset,
        lambda n: PanelRow(
            text=f"{n.gap[:40]} · {n.org_unit.name}",
            url=reverse("people:need-detail", args=[n.pk]),
            badge=n.get_priority_display(),
        ),
        reverse("people:needs") + "?status=open",
        _("暂无待安排的培训需求"),
    )


@workbench_panel(order=66)
def candidates_waiting(request):
    """PPL-1: candidates whose next step (interview, written test, background check, decision) is due."""
    user = request.user
    if not user.has_perm("people.change_candidate"):
        return None
    queryset = (
        Candidate.objects.visible_to(user)
        .filter(
            status__in=[s for s in CandidateStatus.values if s not in (CandidateStatus.HIRED, CandidateStatus.REJECTED)]
        )
        .select_related("post")
        .order_by("applied_on", "id")
    )
    return _queue(
        "candidates-waiting",
        _("招聘中的应聘者"),
        queryset,
        lambda c: PanelRow(
            text=f"{c.name} · {c.post.name}",
            url=reverse("people:candidate-detail", args=[c.pk]),
            meta=c.applied_on.isoformat(),
            badge=c.get_status_display(),
        ),
        reverse("people:candidates"),
        _("暂无招聘中的应聘者"),
    )
