"""工作台 queues of the people app (PPL-4): HR — certificates ending within 30 days and practical assessments
to grade; engineers — the exams they may take (courses whose category they are not certified for first)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.workbench import Panel, PanelRow, workbench_panel

from .choices import ExamAttemptStatus, ExamKind
from .models import Certification, Course
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
        total=queryset.count(),
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
        total=queryset.count(),
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
