"""Scoped reads of certifications, and who may be dispatched (PPL-4)."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from salesservice.core.models import Membership, User
from salesservice.core.roles import ROLES_BY_CODE

from .choices import Attendance
from .models import Certification, Course, ExamAttempt, SessionParticipant

ENGINEER_GROUP = ROLES_BY_CODE["engineer"].group_name


def certification_list(user) -> QuerySet:
    """Certifications `user` may see, with what a list row shows (no N+1)."""
    return Certification.objects.visible_to(user).select_related("user", "category", "revoked_by", "evidence")


def valid_certifications(product=None, at=None) -> QuerySet:
    """Certifications in force on `at` that cover `product`'s category (any category when no product)."""
    certifications = Certification.objects.valid_on(at)
    category = getattr(product, "category", None) if product is not None else None
    if category is not None:
        certifications = certifications.covering(category)
    return certifications


def certified_engineers(product=None, at=None, unit_ids: Iterable[int] | None = None) -> QuerySet:
    """Active users holding the engineer role in `unit_ids` (None = any unit) with a certification
    valid on `at` covering `product`'s category — the engineers dispatch may choose (PPL-4).

    Two pk subqueries, no DISTINCT and no per-row query; ordered by name.
    """
    memberships = Membership.objects.filter(role__name=ENGINEER_GROUP)
    if unit_ids is not None:
        memberships = memberships.filter(org_unit_id__in=list(unit_ids))
    return (
        User.objects.filter(is_active=True)
        .filter(pk__in=memberships.values("user_id"))
        .filter(pk__in=valid_certifications(product, at).values("user_id"))
        .order_by("display_name", "username")
    )


def course_list(user) -> QuerySet:
    """Courses: HR sees all (also inactive); engineers the active ones (PPL-4)."""
    courses = Course.objects.select_related("category")
    if not user.has_perm("people.change_course"):
        courses = courses.filter(is_active=True)
    return courses


def attempt_list(user) -> QuerySet:
    """Exam attempts `user` may see: HR and managers every attempt in their scope, an engineer his own (PPL-4)."""
    if user is None or not user.is_authenticated:
        return ExamAttempt.objects.none()
    if user.has_perm("people.view_examattempt"):
        attempts = ExamAttempt.objects.visible_to(user)
    elif user.has_perm("people.take_exam"):
        attempts = ExamAttempt.objects.filter(user=user)
    else:
        return ExamAttempt.objects.none()
    return attempts.select_related("course", "course__category", "user", "graded_by")


def failure_streak(user, course) -> int:
    """Failed attempts in a row on `course` up to now (0 after a pass) — three stop the engineer (004 §4.1.4)."""
    latest = (
        ExamAttempt.objects.filter(user=user, course=course, scored_at__isnull=False)
        .order_by("-scored_at", "-id")
        .values_list("failure_streak", flat=True)
        .first()
    )
    return latest or 0


def training_completion(user_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    """Training completion per user over [start, end] (PPL-2, PPL-3, PPL-4; the KPI "training completion").

    (required, completed) per user id:
    - sessions: the training-plan sessions dated in the period that the user was enrolled in and whose
      attendance was recorded — required; those attended (present) — completed;
    - exams (engineers): the courses the user sat a scored exam of in the period — required; those passed in
      the period — completed.
    A user with nothing required maps to (0, 0). Two aggregate queries whatever the number of users.
    """
    ids = list(dict.fromkeys(int(pk) for pk in user_ids))
    result = {pk: (0, 0) for pk in ids}
    if not ids:
        return result
    sessions = (
        SessionParticipant.objects.filter(user_id__in=ids, session__planned_on__gte=start, session__planned_on__lte=end)
        .exclude(attendance="")
        .values("user_id")
        .annotate(required=Count("pk"), completed=Count("pk", filter=Q(attendance=Attendance.PRESENT)))
    )
    for row in sessions:
        result[row["user_id"]] = (row["required"], row["completed"])
    exams = (
        ExamAttempt.objects.filter(
            user_id__in=ids,
            scored_at__date__gte=start,
            scored_at__date__lte=end,
            user__memberships__role__name=ENGINEER_GROUP,
        )
        .values("user_id")
        .annotate(
            required=Count("course_id", distinct=True),
            completed=Count("course_id", distinct=True, filter=Q(passed=True)),
        )
    )
    for row in exams:
        required, completed = result[row["user_id"]]
        result[row["user_id"]] = (required + row["required"], completed + row["completed"])
    return result
