"""The lifecycle of an exam attempt 考试记录, declared once (core.workflow).

    started 考试中 ──submit (written: the system scores the answers, PPL-4)──▶ scored 已评分
    started 考试中 ──grade (practical: the trainer records the score, PPL-4)──▶ scored 已评分

Scoring passes or fails the attempt; a pass issues or renews the certification, the third failure in a
row revokes it (`services.exam_attempt_submit` / `exam_attempt_grade`). Pages and API call the services
directly (the answers sheet and the grading form are the app's own), so the actions are not rendered.
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, State, Workflow

from .choices import CandidateStatus as C
from .choices import EventType
from .choices import ExamAttemptStatus as S
from .choices import NeedStatus as N
from .choices import PlanStatus as P
from .errors import PeopleErrorCode as E

SERVICES = "salesservice.people.services"
RECRUITMENT = "salesservice.people.recruitment"
TRAINING = "salesservice.people.training"
FORMS = "salesservice.people.forms"
SERIALIZERS = "salesservice.people.api.serializers"

ATTEMPT_WORKFLOW = Workflow(
    "people.ExamAttempt",
    id_kwarg="attempt_id",
    detail_url="people:attempt-detail",
    action_url="people:attempt-detail",
    related=("course", "user"),
    states=[State(S.STARTED, "bg-blue-lt"), State(S.SCORED, "bg-green-lt", terminal=True)],
    actions=[
        Action(
            "submit",
            _("提交答卷"),
            sources=[S.STARTED],
            target=S.SCORED,
            permission="people.take_exam",
            event_type=EventType.EXAM_SUBMITTED,
            service=f"{SERVICES}.exam_attempt_submit",
            versioned=False,
            page=False,
            api=False,
        ),
        Action(
            "grade",
            _("录入实操成绩"),
            sources=[S.STARTED],
            target=S.SCORED,
            permission="people.grade_examattempt",
            event_type=EventType.EXAM_GRADED,
            service=f"{SERVICES}.exam_attempt_grade",
            versioned=False,
            page=False,
            api=False,
        ),
    ],
)


# --- recruitment (PPL-1) ---------------------------------------------------------------------------------
#   applied ──interview──▶ interviewed ──written-test──▶ written_test ──background-check──▶ background_check
#   any open state ──hire (the three steps passed)──▶ hired;  any open state ──reject (reason)──▶ rejected

OPEN_CANDIDATE = [C.APPLIED, C.INTERVIEWED, C.WRITTEN_TEST, C.BACKGROUND_CHECK]


def _step_action(name, label, source, target, step_service, summary):
    return Action(
        name,
        label,
        sources=[source],
        target=target,
        permission="people.change_candidate",
        service=f"{RECRUITMENT}.{step_service}",
        form=f"{FORMS}.CandidateStepForm",
        serializer=f"{SERIALIZERS}.CandidateStepSerializer",
        event_type=EventType.CANDIDATE_STEP_RECORDED,
        success=_("已登记环节记录"),
        summary=summary,
        errors={E.CANDIDATE_STEP_INVALID: E.CANDIDATE_STEP_INVALID.label},
    )


CANDIDATE_WORKFLOW = Workflow(
    "people.Candidate",
    id_kwarg="candidate_id",
    detail_url="people:candidate-detail",
    action_url="people:candidate-action",
    related=("post", "org_unit"),
    states=[
        State(C.APPLIED, "bg-blue-lt"),
        State(C.INTERVIEWED, "bg-azure-lt"),
        State(C.WRITTEN_TEST, "bg-indigo-lt"),
        State(C.BACKGROUND_CHECK, "bg-purple-lt"),
        State(C.HIRED, "bg-green-lt", terminal=True),
        State(C.REJECTED, "bg-secondary-lt", terminal=True),
    ],
    actions=[
        _step_action(
            "interview",
            _("面试"),
            C.APPLIED,
            C.INTERVIEWED,
            "candidate_interview",
            _("登记面试：日期、得分、是否通过（PPL-1）"),
        ),
        _step_action(
            "written-test",
            _("笔试"),
            C.INTERVIEWED,
            C.WRITTEN_TEST,
            "candidate_written_test",
            _("登记笔试：日期、得分、是否通过（PPL-1）"),
        ),
        _step_action(
            "background-check",
            _("背景调查"),
            C.WRITTEN_TEST,
            C.BACKGROUND_CHECK,
            "candidate_background_check",
            _("登记背景调查：日期、结论（PPL-1）"),
        ),
        Action(
            "hire",
            _("录用"),
            sources=OPEN_CANDIDATE,
            target=C.HIRED,
            permission="people.decide_candidate",
            service=f"{RECRUITMENT}.candidate_hire",
            event_type=EventType.CANDIDATE_HIRED,
            success=_("已录用"),
            style="success",
            confirm=_("确认录用该应聘者？"),
            summary=_("录用：面试、笔试、背景调查均须有通过的记录（否则 409 candidate.steps_incomplete，PPL-1）"),
            errors={E.CANDIDATE_STEPS_INCOMPLETE: E.CANDIDATE_STEPS_INCOMPLETE.label},
        ),
        Action(
            "reject",
            _("不予录用"),
            sources=OPEN_CANDIDATE,
            target=C.REJECTED,
            permission="people.decide_candidate",
            service=f"{RECRUITMENT}.candidate_reject",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.PeopleReasonSerializer",
            event_type=EventType.CANDIDATE_REJECTED,
            success=_("已记录不予录用"),
            style="outline-danger",
            confirm=_("确认不予录用？"),
            summary=_("不予录用（须写原因，PPL-1）"),
            errors={E.CANDIDATE_REASON_REQUIRED: E.CANDIDATE_REASON_REQUIRED.label},
        ),
    ],
)

# --- the annual training plan and needs (PPL-3) --------------------------------------------------------------

PLAN_WORKFLOW = Workflow(
    "people.TrainingPlan",
    id_kwarg="plan_id",
    detail_url="people:plan-detail",
    action_url="people:plan-action",
    related=("org_unit",),
    states=[State(P.DRAFT, "bg-blue-lt"), State(P.APPROVED, "bg-green-lt", terminal=True)],
    actions=[
        Action(
            "approve",
            _("批准计划"),
            sources=[P.DRAFT],
            target=P.APPROVED,
            permission="people.approve_trainingplan",
            service=f"{TRAINING}.plan_approve",
            event_type=EventType.PLAN_APPROVED,
            success=_("年度培训计划已批准"),
            style="success",
            confirm=_("批准后不能再增加场次，确认批准？"),
            summary=_("批准年度培训计划（须至少一个场次，PPL-3）"),
            errors={E.PLAN_NO_SESSIONS: E.PLAN_NO_SESSIONS.label},
        ),
    ],
)

NEED_WORKFLOW = Workflow(
    "people.TrainingNeed",
    id_kwarg="need_id",
    detail_url="people:need-detail",
    action_url="people:need-action",
    related=("org_unit",),
    states=[
        State(N.OPEN, "bg-orange-lt"),
        State(N.PLANNED, "bg-blue-lt"),
        State(N.CLOSED, "bg-green-lt", terminal=True),
    ],
    actions=[
        Action(
            "plan",
            _("列入计划"),
            sources=[N.OPEN],
            target=N.PLANNED,
            permission="people.change_trainingneed",
            event_type=EventType.NEED_PLANNED,
            success=_("已列入计划"),
            summary=_("培训需求已安排进年度计划（PPL-3）"),
        ),
        Action(
            "close",
            _("关闭"),
            sources=[N.OPEN, N.PLANNED],
            target=N.CLOSED,
            permission="people.change_trainingneed",
            event_type=EventType.NEED_CLOSED,
            success=_("已关闭"),
            style="outline-secondary",
            summary=_("关闭培训需求（已满足或不再需要）"),
        ),
    ],
)
