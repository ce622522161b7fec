"""The lifecycle of an exam attempt 考试记录, declared once (core.workflow).

    started 考试中 ──submit (written: the system scores the answers, PPL-4)──▶ scored 已评分
    started 考试中 ──grade (practical: the trainer records the score, PPL-4)──▶ scored 已评分

Scoring passes or fails the attempt; a pass issues or renews the certification, the third failure in a
row revokes it (`services.exam_attempt_submit` / `exam_attempt_grade`). Pages and API call the services
directly (the answers sheet and the grading form are the app's own), so the actions are not rendered.
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, State, Workflow

from .choices import EventType
from .choices import ExamAttemptStatus as S

SERVICES = "salesservice.people.services"

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
