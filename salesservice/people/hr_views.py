"""Pages of posts and recruitment (PPL-1), training needs, plans, sessions and their effect (PPL-2, PPL-3,
PPL-5) and the career path (PPL-6). Every write calls one service; errors show in Chinese on the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesservice.core import privacy
from salesservice.core.exceptions import DomainError
from salesservice.core.forms import apply_domain_error
from salesservice.core.models import User
from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history

from . import career, recruitment, training
from .choices import Attendance, RecruitmentStep
from .filtersets import CandidateFilterSet, PostFilterSet, TrainingNeedFilterSet, TrainingPlanFilterSet
from .forms import CandidateForm, EffectForm, NeedForm, PlanForm, PostForm, SessionForm, TalkForm
from .models import (
    Candidate,
    CareerStep,
    DevelopmentTalk,
    EffectEvaluation,
    Post,
    TrainingNeed,
    TrainingPlan,
    TrainingSession,
)
from .workflows import CANDIDATE_WORKFLOW, NEED_WORKFLOW, PLAN_WORKFLOW


def _form_page(request, form, title, back, *, save, success, done):
    """One form page: on a valid POST call `save(cleaned_data)` (one service), show `success` and redirect to
    `done(result)`; a refusal shows on the form (400) in Chinese."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(dict(form.cleaned_data))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, success)
            return done(result)
    status = 400 if form.errors else 200
    return render(request, "people/form.html", {"form": form, "title": title, "back": back}, status=status)


# --- posts (PPL-1) -------------------------------------------------------------------------------------------


class PostListView(ListPageView):
    """岗位说明书: name, code, level, requirements; export; 新建 for HR (PPL-1)."""

    permission_required = "people.view_post"
    title = gettext_lazy("岗位说明书")
    filterset_class = PostFilterSet
    default_sort = "name"
    export_filename = "posts"
    detail_url_name = "people:post-detail"
    actions = [(gettext_lazy("新建岗位"), "people:post-create", "people.add_post")]
    columns = [
        Column(gettext_lazy("岗位名称"), "name", sort="name", link=True),
        Column(gettext_lazy("岗位代码"), "code", sort="code"),
        Column(gettext_lazy("所属层级"), "get_level_display", sort="level"),
        Column(gettext_lazy("学历要求"), "education"),
        Column(gettext_lazy("工作经验"), "experience"),
        Column(gettext_lazy("启用"), lambda p: _("是") if p.is_active else _("否")),
    ]

    def base_queryset(self):
        return Post.objects.all()


@login_required
@permission_required("people.view_post", raise_exception=True)
def post_detail(request, pk):
    """岗位说明书 (printable with the browser): duties, requirements, recruitment criteria, candidates count."""
    post = get_object_or_404(Post, pk=pk)
    candidates = Candidate.objects.visible_to(request.user).filter(post=post).select_related("org_unit")[:20]
    context = {"post": post, "title": post.name, "candidates": candidates, **audit_history(post)}
    return render(request, "people/post_detail.html", context)


@login_required
@permission_required("people.add_post", raise_exception=True)
def post_create(request):
    return _form_page(
        request,
        PostForm(request.POST or None),
        _("新建岗位说明书"),
        "people:posts",
        save=lambda data: recruitment.post_create(
            actor=request.user, **{k: v for k, v in data.items() if k != "version"}
        ),
        success=_("已新建岗位"),
        done=lambda post: redirect("people:post-detail", pk=post.pk),
    )


@login_required
@permission_required("people.change_post", raise_exception=True)
def post_edit(request, pk):
    post = get_object_or_404(Post, pk=pk)
    form = PostForm(request.POST or None, instance=post, initial={"version": post.version}, editing=True)
    return _form_page(
        request,
        form,
        _("编辑岗位 %(name)s") % {"name": post.name},
        "people:posts",
        save=lambda data: recruitment.post_update(
            actor=request.user, post_id=post.pk, expected_version=data.pop("version"), **data
        ),
        success=_("已保存"),
        done=lambda saved: redirect("people:post-detail", pk=post.pk),
    )


# --- candidates (PPL-1) ----------------------------------------------------------------------------------------


class CandidateListView(ListPageView):
    """应聘者: post, unit, source, status, step filters; phone masked; export (PPL-1)."""

    permission_required = "people.view_candidate"
    title = gettext_lazy("应聘者")
    filterset_class = CandidateFilterSet
    default_sort = "-applied_on"
    export_filename = "candidates"
    detail_url_name = "people:candidate-detail"
    actions = [(gettext_lazy("登记应聘者"), "people:candidate-create", "people.add_candidate")]
    columns = [
        Column(gettext_lazy("应聘编号"), "number", sort="number", link=True),
        Column(gettext_lazy("姓名"), "name", sort="name"),
        Column(gettext_lazy("电话"), lambda c: privacy.mask_phone(c.phone)),
        Column(gettext_lazy("应聘岗位"), "post.name", sort="post__name"),
        Column(gettext_lazy("用人单位"), "org_unit.name"),
        Column(gettext_lazy("来源"), "get_source_display", sort="source"),
        Column(gettext_lazy("报名日期"), "applied_on", sort="applied_on"),
        Column(
            gettext_lazy("状态"),
            lambda c: CANDIDATE_WORKFLOW.badge(c.status),
            sort="status",
            export="get_status_display",
        ),
    ]

    def base_queryset(self):
        return Candidate.objects.visible_to(self.request.user).select_related("post", "org_unit")


def _candidate(request, pk) -> Candidate:
    if not request.user.has_perm("people.view_candidate"):
        raise PermissionDenied
    queryset = Candidate.objects.visible_to(request.user).select_related("post", "org_unit", "decided_by")
    return get_object_or_404(queryset, pk=pk)


@login_required
def candidate_detail(request, pk):
    """The candidate: masked phone/ID (reveal logged), each step's record, the next step's form, hire/reject."""
    candidate = _candidate(request, pk)
    records = candidate.step_records.select_related("assessor").order_by("held_on", "id")
    context = {
        "candidate": candidate,
        "title": f"{candidate.number} · {candidate.name}",
        "records": records,
        "masked_phone": privacy.mask_phone(candidate.phone),
        "masked_id": privacy.mask_id_number(candidate.id_number),
        "can_reveal": privacy.can_reveal(request.user, candidate),
        "missing": [RecruitmentStep(step).label for step in recruitment.missing_steps(candidate)],
        **audit_history(candidate),
    }
    return render(request, "people/candidate_detail.html", context)


@login_required
@require_POST
def candidate_reveal(request, pk, field):
    """htmx: the full phone / ID number of a candidate; the read is written to the access log."""
    candidate = _candidate(request, pk)
    try:
        value = privacy.reveal(actor=request.user, obj=candidate, field=field, purpose=request.POST.get("purpose", ""))
    except DomainError as error:
        return HttpResponse(format_html('<span class="text-danger">{}</span>', error.message), status=403)
    return HttpResponse(format_html('<span class="revealed">{}</span>', value))


@login_required
@permission_required("people.add_candidate", raise_exception=True)
def candidate_create(request):
    form = CandidateForm(request.POST or None, actor=request.user, initial={"applied_on": timezone.localdate()})
    return _form_page(
        request,
        form,
        _("登记应聘者"),
        "people:candidates",
        save=lambda data: recruitment.candidate_add(actor=request.user, **data),
        success=_("已登记应聘者"),
        done=lambda candidate: redirect("people:candidate-detail", pk=candidate.pk),
    )


# --- training needs, plans, sessions (PPL-2, PPL-3, PPL-5) ------------------------------------------------------


class NeedListView(ListPageView):
    """培训需求: source, priority, status; 列入计划 / 关闭 on each (PPL-3)."""

    permission_required = "people.view_trainingneed"
    title = gettext_lazy("培训需求")
    filterset_class = TrainingNeedFilterSet
    default_sort = "-created_at"
    export_filename = "training-needs"
    detail_url_name = "people:need-detail"
    actions = [(gettext_lazy("登记培训需求"), "people:need-create", "people.add_trainingneed")]
    columns = [
        Column(gettext_lazy("能力差距"), "gap", link=True),
        Column(gettext_lazy("单位"), "org_unit.name"),
        Column(gettext_lazy("岗位"), lambda n: n.post.name if n.post else "—"),
        Column(gettext_lazy("人员"), lambda n: n.user.name if n.user else "—"),
        Column(gettext_lazy("来源"), "get_source_display", sort="source"),
        Column(gettext_lazy("优先级"), "get_priority_display", sort="priority"),
        Column(gettext_lazy("登记时间"), "created_at", sort="created_at"),
        Column(
            gettext_lazy("状态"), lambda n: NEED_WORKFLOW.badge(n.status), sort="status", export="get_status_display"
        ),
    ]

    def base_queryset(self):
        return TrainingNeed.objects.visible_to(self.request.user).select_related("org_unit", "post", "user")


@login_required
@permission_required("people.add_trainingneed", raise_exception=True)
def need_create(request):
    return _form_page(
        request,
        NeedForm(request.POST or None, actor=request.user),
        _("登记培训需求"),
        "people:needs",
        save=lambda data: training.need_raise(actor=request.user, **data),
        success=_("已登记培训需求"),
        done=lambda need: redirect("people:needs"),
    )


@login_required
@permission_required("people.view_trainingneed", raise_exception=True)
def need_detail(request, pk):
    need = get_object_or_404(
        TrainingNeed.objects.visible_to(request.user).select_related("org_unit", "post", "user", "evaluation__session"),
        pk=pk,
    )
    return render(request, "people/need_detail.html", {"need": need, "title": _("培训需求"), **audit_history(need)})


class PlanListView(ListPageView):
    """年度培训计划: year, unit, status, sessions; 新建 for HR (PPL-3)."""

    permission_required = "people.view_trainingplan"
    title = gettext_lazy("年度培训计划")
    filterset_class = TrainingPlanFilterSet
    default_sort = "-year"
    export_filename = "training-plans"
    detail_url_name = "people:plan-detail"
    actions = [(gettext_lazy("新建培训计划"), "people:plan-create", "people.add_trainingplan")]
    columns = [
        Column(gettext_lazy("计划名称"), "title", sort="title", link=True),
        Column(gettext_lazy("年度"), "year", sort="year"),
        Column(gettext_lazy("单位"), "org_unit.name"),
        Column(
            gettext_lazy("状态"), lambda p: PLAN_WORKFLOW.badge(p.status), sort="status", export="get_status_display"
        ),
    ]

    def base_queryset(self):
        return TrainingPlan.objects.visible_to(self.request.user).select_related("org_unit")


def _plan(request, pk) -> TrainingPlan:
    if not request.user.has_perm("people.view_trainingplan"):
        raise PermissionDenied
    return get_object_or_404(TrainingPlan.objects.visible_to(request.user).select_related("org_unit"), pk=pk)


@login_required
@permission_required("people.add_trainingplan", raise_exception=True)
def plan_create(request):
    form = PlanForm(request.POST or None, actor=request.user, initial={"year": timezone.localdate().year})
    return _form_page(
        request,
        form,
        _("新建年度培训计划"),
        "people:plans",
        save=lambda data: training.plan_create(actor=request.user, **data),
        success=_("已新建培训计划"),
        done=lambda plan: redirect("people:plan-detail", pk=plan.pk),
    )


@login_required
def plan_detail(request, pk):
    """The plan: figures (completion %, pass rate, average reaction — PPL-5), its sessions, add a session (draft)."""
    plan = _plan(request, pk)
    session_form = None
    status = 200
    if plan.status == "draft" and request.user.has_perm("people.change_trainingplan"):
        session_form = SessionForm(request.POST or None, actor=request.user, prefix="session")
        if request.method == "POST":
            if session_form.is_valid():
                try:
                    training.session_add(actor=request.user, plan_id=plan.pk, **session_form.cleaned_data)
                except DomainError as error:
                    apply_domain_error(session_form, error)
                else:
                    messages.success(request, _("已添加培训场次"))
                    return redirect("people:plan-detail", pk=plan.pk)
            status = 400
    sessions = plan.sessions.select_related("trainer", "course", "evaluation").order_by("planned_on", "id")
    context = {
        "plan": plan,
        "title": plan.title,
        "sessions": sessions,
        "figures": training.plan_figures([plan.pk])[plan.pk],
        "session_form": session_form,
        **audit_history(plan),
    }
    return render(request, "people/plan_detail.html", context, status=status)


def _session(request, pk) -> TrainingSession:
    if not request.user.has_perm("people.view_trainingplan"):
        raise PermissionDenied
    queryset = TrainingSession.objects.visible_to(request.user).select_related("plan__org_unit", "trainer", "course")
    return get_object_or_404(queryset, pk=pk)


@login_required
def session_detail(request, pk):
    """A session: participants with attendance (a phone-sized list of radio buttons), the effect evaluation."""
    session = _session(request, pk)
    can_record = request.user.has_perm("people.change_trainingplan")
    today = timezone.localdate()
    error = None
    effect_form = None
    status = 200
    if can_record and request.method == "POST" and request.POST.get("form") == "attendance":
        attendance = {
            key.removeprefix("att_"): value for key, value in request.POST.items() if key.startswith("att_") and value
        }
        try:
            training.attendance_record(
                actor=request.user,
                session_id=session.pk,
                attendance=attendance,
                expected_version=int(request.POST.get("version") or 0) or None,
            )
        except DomainError as exc:
            error, status = exc.message, 400 if getattr(exc, "status_code", 400) == 400 else 409
        else:
            messages.success(request, _("已登记出勤"))
            return redirect("people:session-detail", pk=session.pk)
    evaluation = EffectEvaluation.objects.filter(session=session).first()
    if can_record and session.attendance_recorded_at and evaluation is None:
        posted = request.method == "POST" and request.POST.get("form") == "effect"
        effect_form = EffectForm(request.POST if posted else None, initial={"evaluated_on": today}, prefix="effect")
        if posted:
            if effect_form.is_valid():
                try:
                    training.effect_evaluate(actor=request.user, session_id=session.pk, **effect_form.cleaned_data)
                except DomainError as exc:
                    apply_domain_error(effect_form, exc)
                else:
                    messages.success(request, _("已登记培训效果评估"))
                    return redirect("people:session-detail", pk=session.pk)
            status = 400
    enrolments = session.enrolments.select_related("user").order_by("user__display_name", "user__username")
    context = {
        "session": session,
        "title": f"{session.planned_on:%Y-%m-%d} · {session.topic}",
        "enrolments": enrolments,
        "attendance_choices": Attendance.choices,
        "can_record": can_record and session.planned_on <= today,
        "error": error,
        "evaluation": evaluation,
        "effect_form": effect_form,
        **audit_history(session),
    }
    return render(request, "people/session_detail.html", context, status=status)


# --- career path (PPL-6) ---------------------------------------------------------------------------------------


@login_required
@permission_required("people.view_careerstep", raise_exception=True)
def career_page(request):
    """职业发展: the ladder with its criteria, a promotion eligibility check for a person, development talks."""
    steps = CareerStep.objects.select_related("from_post", "to_post").prefetch_related(
        "required_courses", "required_categories"
    )
    people = User.objects.visible_to(request.user).filter(is_active=True).order_by("display_name", "username")
    checked = None
    person_id = request.GET.get("user", "")
    if person_id.isdigit():
        person = people.filter(pk=int(person_id)).first()
        if person is not None:
            checked = {
                "user": person,
                "steps": [
                    (step, criteria, career.is_eligible(criteria))
                    for step in steps
                    for criteria in [career.promotion_eligibility(person, step)]
                ],
            }
    talks = (
        DevelopmentTalk.objects.visible_to(request.user)
        .select_related("user", "manager")
        .order_by("-held_on", "-id")[:30]
    )
    context = {
        "title": _("职业发展"),
        "steps": steps,
        "people": people,
        "checked": checked,
        "talks": talks,
        "can_talk": request.user.has_perm("people.add_developmenttalk"),
    }
    return render(request, "people/career.html", context)


@login_required
@permission_required("people.add_developmenttalk", raise_exception=True)
def talk_create(request):
    return _form_page(
        request,
        TalkForm(request.POST or None, actor=request.user, initial={"held_on": timezone.localdate()}),
        _("记录职业发展面谈"),
        "people:career",
        save=lambda data: career.talk_record(actor=request.user, **data),
        success=_("已记录职业发展面谈"),
        done=lambda talk: redirect("people:career"),
    )
