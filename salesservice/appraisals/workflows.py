"""The lifecycles of the appraisal documents, declared once (core.workflow).

appraisal: pending_self 待自评 ──self-evaluate (the appraisee)──▶ pending_supervisor 待上级评价
           ──evaluate (a manager in scope, not the appraisee)──▶ evaluated 待定稿 ──finalise──▶ finalised 已定稿
           (finalise before evaluate: 409 status.invalid_transition)                    (KPI-4, KPI-5)
cycle:     open 进行中 ──close (every appraisal finalised)──▶ closed 已结束                          (KPI-3)
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, Guard, State, Workflow

from .choices import AppraisalStatus as A
from .choices import CycleStatus as C
from .choices import EventType
from .errors import AppraisalsErrorCode as E

SERVICES = "salesservice.appraisals.services"
FORMS = "salesservice.appraisals.forms"
SERIALIZERS = "salesservice.appraisals.api.serializers"

APPRAISAL_WORKFLOW = Workflow(
    "appraisals.Appraisal",
    id_kwarg="appraisal_id",
    detail_url="appraisals:appraisal-detail",
    action_url="appraisals:appraisal-action",
    related=("cycle", "appraisee", "org_unit"),
    view_permission="appraisals.view_own_appraisal",
    states=[
        State(A.PENDING_SELF, "bg-blue-lt"),
        State(A.PENDING_SUPERVISOR, "bg-orange-lt"),
        State(A.EVALUATED, "bg-azure-lt"),
        State(A.FINALISED, "bg-green-lt", terminal=True),
    ],
    actions=[
        Action(
            "self-evaluate",
            _("提交自评"),
            sources=[A.PENDING_SELF],
            target=A.PENDING_SUPERVISOR,
            permission="appraisals.self_evaluate_appraisal",
            service=f"{SERVICES}.appraisal_self_evaluate",
            form=f"{FORMS}.SelfEvaluateForm",
            serializer=f"{SERIALIZERS}.SelfEvaluateSerializer",
            event_type=EventType.SELF_EVALUATED,
            success=_("自评已提交，等待上级评价"),
            summary=_("员工自评：自评分 0–100 与说明；只有被考核人本人（KPI-4；他人 403）"),
            errors={E.NOT_APPRAISEE: E.NOT_APPRAISEE.label, E.SCORE_INVALID: E.SCORE_INVALID.label},
        ),
        Action(
            "evaluate",
            _("上级评价"),
            sources=[A.PENDING_SUPERVISOR],
            target=A.EVALUATED,
            permission="appraisals.evaluate_appraisal",
            service=f"{SERVICES}.appraisal_evaluate",
            form=f"{FORMS}.EvaluateForm",
            serializer=f"{SERIALIZERS}.EvaluateSerializer",
            event_type=EventType.EVALUATED,
            success=_("评价已登记，待定稿"),
            summary=_("上级评价：上级评分、工作态度与能力（评定）、客户评价分及来源（KPI-2、KPI-4）"),
            errors={
                E.SELF_APPRAISAL: E.SELF_APPRAISAL.label,
                E.SCORE_INVALID: E.SCORE_INVALID.label,
                E.CUSTOMER_SOURCE_REQUIRED: E.CUSTOMER_SOURCE_REQUIRED.label,
            },
        ),
        Action(
            "finalise",
            _("定稿"),
            sources=[A.EVALUATED],
            target=A.FINALISED,
            permission="appraisals.finalise_appraisal",
            service=f"{SERVICES}.appraisal_finalise",
            form=f"{FORMS}.FinaliseForm",
            serializer=f"{SERIALIZERS}.FinaliseSerializer",
            event_type=EventType.FINALISED,
            success=_("考核已定稿"),
            style="success",
            summary=_(
                "定稿：最终得分 = 70% KPI 加权分 + 30% 评价均分，等级 A/B/C/D；记录奖金档次、晋升建议、针对性培训（KPI-5）"
            ),
            errors={E.SELF_APPRAISAL: E.SELF_APPRAISAL.label, E.COURSE_UNKNOWN: E.COURSE_UNKNOWN.label},
        ),
    ],
)


def _all_finalised(cycle) -> bool:
    return not cycle.appraisals.exclude(status=A.FINALISED).exists()


ALL_FINALISED = Guard(E.CYCLE_HAS_PENDING, E.CYCLE_HAS_PENDING.label, _all_finalised)

CYCLE_WORKFLOW = Workflow(
    "appraisals.AppraisalCycle",
    id_kwarg="cycle_id",
    detail_url="appraisals:cycle-detail",
    action_url="appraisals:cycle-action",
    view_permission="appraisals.view_appraisalcycle",
    states=[State(C.OPEN, "bg-blue-lt"), State(C.CLOSED, "bg-green-lt", terminal=True)],
    actions=[
        Action(
            "close",
            _("结束周期"),
            sources=[C.OPEN],
            target=C.CLOSED,
            permission="appraisals.close_appraisalcycle",
            service=f"{SERVICES}.cycle_close",
            event_type=EventType.CYCLE_CLOSED,
            success=_("考核周期已结束"),
            style="outline-success",
            summary=_("结束考核周期：须全部考核已定稿（KPI-3）"),
            guards=(ALL_FINALISED,),
        ),
    ],
)
