"""Certification pages (PPL-4): list with filters and export, create/edit form, detail with revoke and history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesservice.core.exceptions import DomainError
from salesservice.core.forms import apply_domain_error
from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history

from . import services
from .choices import CertificationState, ExamAttemptStatus, ExamKind
from .filtersets import CertificationFilterSet, CourseFilterSet, ExamAttemptFilterSet
from .forms import CertificationForm, CourseForm, GradeForm, PracticalStartForm, QuestionForm, RevokeForm
from .models import Question
from .selectors import attempt_list, certification_list, course_list, failure_streak

STATE_BADGES = {
    CertificationState.VALID: "bg-success",
    CertificationState.NOT_YET_VALID: "bg-secondary",
    CertificationState.EXPIRED: "bg-warning",
    CertificationState.REVOKED: "bg-danger",
}


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def state_badge(certification):
    state = certification.state
    return format_html(
        '<span class="badge {} text-white" data-state="{}">{}</span>',
        STATE_BADGES[state],
        state,
        CertificationState(state).label,
    )


class CertificationListView(ListPageView):
    """上岗资格列表: search, engineer, category, valid today; export; 新建."""

    permission_required = "people.view_certification"
    title = gettext_lazy("上岗资格")
    filterset_class = CertificationFilterSet
    default_sort = "-issued_at"
    export_filename = "certifications"
    detail_url_name = "people:certification-detail"
    actions = [(gettext_lazy("登记上岗资格"), "people:certification-create", "people.add_certification")]
    columns = [
        Column(gettext_lazy("证书编号"), "certificate_no", sort="certificate_no", link=True),
        Column(gettext_lazy("工程师"), "user.name", sort="user__display_name"),
        Column(gettext_lazy("商品分类"), "category.name", sort="category__path"),
        Column(gettext_lazy("发证机构"), "issued_by"),
        Column(gettext_lazy("发证日期"), "issued_at", sort="issued_at"),
        Column(gettext_lazy("有效期至"), lambda c: c.valid_until or _("长期"), sort="valid_until"),
        Column(gettext_lazy("状态"), state_badge, export="get_state_display"),
    ]

    def base_queryset(self):
        return certification_list(self.request.user)


def _certification_for_page(request, pk):
    return get_object_or_404(certification_list(request.user), pk=pk)


def _detail_context(request, certification, revoke_form=None):
    can_change = request.user.has_perm("people.change_certification")
    return {
        "certification": certification,
        "title": _("上岗资格 %(no)s") % {"no": certification.certificate_no},
        "can_edit": can_change and certification.revoked_at is None,
        "revoke_form": (revoke_form or RevokeForm()) if can_change and certification.revoked_at is None else None,
        "state_badge": state_badge(certification),
        **audit_history(certification),
    }


@login_required
def certification_detail(request, pk):
    """上岗资格详情: the certificate, its state today, evidence, revoke, history."""
    _require(request, "people.view_certification")
    certification = _certification_for_page(request, pk)
    return render(request, "people/certification_detail.html", _detail_context(request, certification))


@login_required
@require_POST
def certification_revoke(request, pk):
    _require(request, "people.change_certification")
    certification = _certification_for_page(request, pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.certification_revoke(
                actor=request.user, certification_id=certification.pk, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已吊销上岗资格"))
            return redirect("people:certification-detail", pk=certification.pk)
    context = _detail_context(request, certification, revoke_form=form)
    return render(request, "people/certification_detail.html", context, status=400)


@login_required
def certification_create(request):
    _require(request, "people.add_certification")
    form = CertificationForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            certification = services.certification_add(actor=request.user, **form.service_kwargs())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已登记上岗资格 %(no)s") % {"no": certification.certificate_no})
            return redirect("people:certification-detail", pk=certification.pk)
    return render(request, "people/certification_form.html", {"form": form, "title": _("登记上岗资格")})


@login_required
def certification_edit(request, pk):
    """Edit with the version the user read: a stale save shows a clear error and saves nothing."""
    _require(request, "people.change_certification")
    certification = _certification_for_page(request, pk)
    form = CertificationForm(
        request.POST or None,
        instance=certification,
        initial={"version": certification.version},
        actor=request.user,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        changes = form.service_kwargs()
        changes.pop("user", None)
        try:
            services.certification_update(
                actor=request.user,
                certification_id=certification.pk,
                expected_version=form.cleaned_data["version"],
                **changes,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("people:certification-detail", pk=certification.pk)
    title = _("编辑上岗资格 %(no)s") % {"no": certification.certificate_no}
    return render(
        request, "people/certification_form.html", {"form": form, "certification": certification, "title": title}
    )


# --- training and exams (PPL-4) ---------------------------------------------------------


RESULT_LABELS = {None: gettext_lazy("待评分"), True: gettext_lazy("合格"), False: gettext_lazy("不合格")}


def result_badge(attempt):
    if attempt.passed is None:
        return format_html('<span class="badge bg-blue-lt" data-result="pending">{}</span>', _("待评分"))
    if attempt.passed:
        return format_html('<span class="badge bg-success text-white" data-result="passed">{}</span>', _("合格"))
    return format_html('<span class="badge bg-danger text-white" data-result="failed">{}</span>', _("不合格"))


class CourseListView(ListPageView):
    """培训课程: search, category, kind; 新建 for HR (PPL-2/PPL-4)."""

    permission_required = "people.view_course"
    title = gettext_lazy("培训课程")
    filterset_class = CourseFilterSet
    default_sort = "title"
    export_filename = "courses"
    detail_url_name = "people:course-detail"
    actions = [(gettext_lazy("新建课程"), "people:course-create", "people.add_course")]
    columns = [
        Column(gettext_lazy("课程名称"), "title", sort="title", link=True),
        Column(gettext_lazy("认证商品分类"), "category.name", sort="category__path"),
        Column(gettext_lazy("考核方式"), "get_kind_display", sort="kind"),
        Column(gettext_lazy("合格分数"), "pass_mark", sort="pass_mark"),
        Column(gettext_lazy("证书有效期（月）"), "validity_months"),
        Column(gettext_lazy("启用"), lambda c: _("是") if c.is_active else _("否")),
    ]

    def base_queryset(self):
        return course_list(self.request.user)


def _course_for_page(request, pk):
    return get_object_or_404(course_list(request.user), pk=pk)


def _course_context(request, course, question_form=None, practical_form=None):
    user = request.user
    can_manage = user.has_perm("people.change_course")
    own = attempt_list(user).filter(course=course, user=user)
    return {
        "course": course,
        "title": course.title,
        "can_manage": can_manage,
        "can_take": user.has_perm("people.take_exam") and course.is_active and course.kind == ExamKind.WRITTEN,
        "can_grade": user.has_perm("people.grade_examattempt") and course.kind == ExamKind.PRACTICAL,
        "questions": course.questions.filter(is_active=True).order_by("position", "id"),
        "question_form": (question_form or QuestionForm()) if can_manage and course.kind == ExamKind.WRITTEN else None,
        "practical_form": practical_form or PracticalStartForm(actor=user),
        "own_attempts": own[:10],
        "failure_streak": failure_streak(user, course),
        "failures_to_revoke": services.FAILURES_TO_REVOKE,
        "open_attempt": own.filter(status=ExamAttemptStatus.STARTED).first(),
        **audit_history(course),
    }


@login_required
def course_detail(request, pk):
    """课程详情: content, the question bank (HR), 参加考试 (engineer), practical assessment (HR)."""
    _require(request, "people.view_course")
    course = _course_for_page(request, pk)
    return render(request, "people/course_detail.html", _course_context(request, course))


@login_required
def course_create(request):
    _require(request, "people.add_course")
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=request.user, **form.service_kwargs())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已新建课程 %(title)s") % {"title": course.title})
            return redirect("people:course-detail", pk=course.pk)
    return render(request, "people/course_form.html", {"form": form, "title": _("新建培训课程")})


@login_required
def course_edit(request, pk):
    _require(request, "people.change_course")
    course = _course_for_page(request, pk)
    form = CourseForm(request.POST or None, instance=course, initial={"version": course.version}, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(
                actor=request.user,
                course_id=course.pk,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("people:course-detail", pk=course.pk)
    title = _("编辑课程 %(title)s") % {"title": course.title}
    return render(request, "people/course_form.html", {"form": form, "course": course, "title": title})


@login_required
@require_POST
def question_add(request, pk):
    _require(request, "people.change_course")
    course = _course_for_page(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_add(actor=request.user, course_id=course.pk, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已添加考题"))
            return redirect("people:course-detail", pk=course.pk)
    context = _course_context(request, course, question_form=form)
    return render(request, "people/course_detail.html", context, status=400)


@login_required
@require_POST
def question_remove(request, pk, question_pk):
    _require(request, "people.change_course")
    course = _course_for_page(request, pk)
    question = get_object_or_404(course.questions.filter(is_active=True), pk=question_pk)
    services.question_remove(actor=request.user, question_id=question.pk)
    messages.success(request, _("已停用考题"))
    return redirect("people:course-detail", pk=course.pk)


@login_required
@require_POST
def exam_start(request, pk):
    """参加考试 (written, for oneself) or 登记实操考核 (practical, for an engineer chosen by HR)."""
    course = _course_for_page(request, pk)
    user = None
    if course.kind == ExamKind.PRACTICAL:
        _require(request, "people.grade_examattempt")
        form = PracticalStartForm(request.POST, actor=request.user)
        if not form.is_valid():
            context = _course_context(request, course, practical_form=form)
            return render(request, "people/course_detail.html", context, status=400)
        user = form.cleaned_data["user"]
    else:
        _require(request, "people.take_exam")
        started = attempt_list(request.user).filter(course=course, user=request.user, status=ExamAttemptStatus.STARTED)
        if started.exists():  # an open sheet is continued, not duplicated
            return redirect("people:attempt-detail", pk=started.first().pk)
    try:
        attempt = services.exam_attempt_start(actor=request.user, course_id=course.pk, user=user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("people:course-detail", pk=course.pk)
    return redirect("people:attempt-detail", pk=attempt.pk)


class AttemptListView(ListPageView):
    """考试记录: HR and managers see every attempt in scope with filters; an engineer his own (PPL-4)."""

    permission_required = ()
    title = gettext_lazy("考试记录")
    filterset_class = ExamAttemptFilterSet
    default_sort = "-started_at"
    export_filename = "exam-attempts"
    detail_url_name = "people:attempt-detail"
    columns = [
        Column(gettext_lazy("课程"), "course.title", sort="course__title", link=True),
        Column(gettext_lazy("工程师"), "user.name", sort="user__display_name"),
        Column(gettext_lazy("考核方式"), "get_kind_display", sort="kind"),
        Column(gettext_lazy("开始时间"), "started_at", sort="started_at"),
        Column(gettext_lazy("成绩"), lambda a: "—" if a.score is None else a.score, sort="score"),
        Column(gettext_lazy("结果"), result_badge, export=lambda a: RESULT_LABELS[a.passed]),
        Column(gettext_lazy("连续不合格"), "failure_streak"),
    ]

    def has_permission(self):
        user = self.request.user
        return user.has_perm("people.view_examattempt") or user.has_perm("people.take_exam")

    def base_queryset(self):
        return attempt_list(self.request.user)


def _attempt_for_page(request, pk):
    return get_object_or_404(attempt_list(request.user), pk=pk)


def _attempt_context(request, attempt, grade_form=None, error=None):
    user = request.user
    questions = []
    if attempt.kind == ExamKind.WRITTEN:
        by_id = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
        for number, pk in enumerate(attempt.question_ids, start=1):
            question = by_id.get(pk)
            if question is None:
                continue
            chosen = attempt.answers.get(str(pk), "")
            questions.append(
                {
                    "number": number,
                    "question": question,
                    "chosen": chosen,
                    # the correct answer only once the sheet is scored (PPL-4: never before submission)
                    "correct": question.answer if attempt.passed is not None else "",
                }
            )
    scored = attempt.status == ExamAttemptStatus.SCORED
    return {
        "attempt": attempt,
        "title": _("%(course)s · %(name)s") % {"course": attempt.course.title, "name": attempt.user.name},
        "questions": questions,
        "can_answer": not scored and attempt.kind == ExamKind.WRITTEN and attempt.user_id == user.pk,
        "grade_form": (grade_form or GradeForm())
        if not scored and attempt.kind == ExamKind.PRACTICAL and user.has_perm("people.grade_examattempt")
        else None,
        "result_badge": result_badge(attempt),
        "certification": attempt.certifications.order_by("-id").first() if attempt.passed else None,
        "failures_to_revoke": services.FAILURES_TO_REVOKE,
        "error": error,
        **audit_history(attempt),
    }


@login_required
def attempt_detail(request, pk):
    """The exam sheet while started (engineer), the grading form (HR, practical), the result once scored."""
    attempt = _attempt_for_page(request, pk)
    return render(request, "people/attempt_detail.html", _attempt_context(request, attempt))


@login_required
@require_POST
def attempt_submit(request, pk):
    """The engineer hands in the sheet: only the chosen options are read, never a score (PPL-4)."""
    attempt = _attempt_for_page(request, pk)
    answers = {str(q): request.POST.get(f"q_{q}", "") for q in attempt.question_ids}
    try:
        services.exam_attempt_submit(actor=request.user, attempt_id=attempt.pk, answers=answers)
    except DomainError as error:
        return render(
            request, "people/attempt_detail.html", _attempt_context(request, attempt, error=error.message), status=400
        )
    return redirect("people:attempt-detail", pk=attempt.pk)


@login_required
@require_POST
def attempt_grade(request, pk):
    _require(request, "people.grade_examattempt")
    attempt = _attempt_for_page(request, pk)
    form = GradeForm(request.POST)
    if form.is_valid():
        try:
            services.exam_attempt_grade(actor=request.user, attempt_id=attempt.pk, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已录入成绩"))
            return redirect("people:attempt-detail", pk=attempt.pk)
    context = _attempt_context(request, attempt, grade_form=form)
    return render(request, "people/attempt_detail.html", context, status=400)
