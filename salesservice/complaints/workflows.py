"""The lifecycles of the complaints app, declared once (core.workflow): the complaint 投诉 (CMP-1 … CMP-7), the
over-limit compensation request and the recovery from the responsible party (CMP-8).

The complaint (seed 003 四 客户投诉处理流程: 投诉受理 → 问题核实 → 解决方案制定 → 沟通反馈 → 处理 → 结果反馈 → 总结改进):

    received ─verify─▶ verifying ─propose─▶ solution_proposed ─agree─▶ agreed ─implement─▶ implementing
                 (verify again adds notes)     ▲   │ refuse (reason; stays at 方案 for a revised proposal)
                                               └───┘ propose again (revised solution)
    implementing ─feedback─▶ feedback_given ─close (root cause + responsible party + improvement action)─▶ closed
    feedback_given ─implement─▶ implementing   (the customer is not satisfied with the result: handled again, CMP-6)

    cancel (registered in error / duplicate) from received or verifying; withdraw (the customer withdraws)
    before the work starts. closed, cancelled and withdrawn are final.

Actions that leave the status where it is: the first response (CMP-2), escalation (CMP-7), improvement
actions (CMP-5), payouts and their approval (CMP-8). `verify` moves 受理 → 核实 the first time and, while 核实,
records further notes without a move (`stays`, below).

The compensation request: pending ─approve─▶ approved | pending ─reject─▶ rejected (also when its complaint is
cancelled or withdrawn). The recovery: open ─settle─▶ settled | open ─cancel─▶ cancelled (the system, when the
responsibility moves away before anything was recovered).

The transition tables, the complaint page's action forms, the page action handler, the API action
endpoints (with their schema) and the status badges all follow from these declarations.
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, Guard, State, Workflow

from .choices import MAX_LEVEL, OPEN_STATUSES, CompensationRequestStatus, EventType, RecoveryStatus
from .choices import ComplaintStatus as C
from .errors import ComplaintsErrorCode

SERVICES = "salesservice.complaints.services"
COMPENSATION = "salesservice.complaints.compensation"
FORMS = "salesservice.complaints.forms"
SERIALIZERS = "salesservice.complaints.api.serializers"
VIEWS = "salesservice.complaints.views"
CHANGE = "complaints.change_complaint"


NOT_RESPONDED = Guard(
    ComplaintsErrorCode.COMPLAINT_ALREADY_RESPONDED,
    _("已记录过首次答复"),
    lambda complaint: complaint.first_responded_at is None,
)
BELOW_HQ = Guard(
    ComplaintsErrorCode.ESCALATION_MAX_LEVEL,
    _("投诉已由总部处理，不能再升级"),
    lambda complaint: complaint.level < MAX_LEVEL,
)
NOT_ENDED = [status for status in C.values if status not in (C.CANCELLED, C.WITHDRAWN)]
PAY_REFUSALS = {
    ComplaintsErrorCode.FUND_INSUFFICIENT: "售后基金余额不足",
    ComplaintsErrorCode.COMPENSATION_OVER_HQ_LIMIT: "超出总部先行赔付权限",
    ComplaintsErrorCode.COMPENSATION_INVALID_STATUS: "投诉当前状态不能先行赔付",
}

COMPLAINT_WORKFLOW = Workflow(
    "complaints.Complaint",
    id_kwarg="complaint_id",
    detail_url="complaints:complaint-detail",
    action_url="complaints:complaint-action",
    related=("store",),
    states=[
        State(C.RECEIVED, "bg-blue-lt"),
        State(C.VERIFYING, "bg-azure-lt"),
        State(C.SOLUTION_PROPOSED, "bg-indigo-lt"),
        State(C.AGREED, "bg-purple-lt"),
        State(C.IMPLEMENTING, "bg-orange-lt"),
        State(C.FEEDBACK_GIVEN, "bg-teal-lt"),
        State(C.CLOSED, "bg-green-lt", terminal=True),
        State(C.CANCELLED, "bg-secondary-lt", terminal=True),
        State(C.WITHDRAWN, "bg-secondary-lt", terminal=True),
    ],
    # Declared in the order the complaint page shows their forms (结案 before 重新处理, as before).
    actions=[
        Action(
            "respond",
            _("记录首次答复"),
            sources=OPEN_STATUSES,
            permission=CHANGE,
            service=f"{SERVICES}.complaint_respond",
            form=f"{FORMS}.RespondForm",
            serializer=f"{SERIALIZERS}.ComplaintRequiredNoteSerializer",
            guards=[NOT_RESPONDED],
            event_type=EventType.COMPLAINT_RESPONDED,
            success=_("已记录首次答复"),
            template="complaints/_action_card.html",
            summary="首次答复客户（CMP-2，停止 2 小时计时）",
            errors={ComplaintsErrorCode.COMPLAINT_FINAL: "已结案、取消或撤诉"},
        ),
        Action(
            "verify",
            _("记录核实情况"),
            sources=[C.RECEIVED, C.VERIFYING],
            target=C.VERIFYING,
            stays=[C.VERIFYING],  # 补充核实: another department's answer, no move
            permission=CHANGE,
            service=f"{SERVICES}.complaint_verify",
            form=f"{FORMS}.VerifyForm",
            serializer=f"{SERIALIZERS}.ComplaintVerifySerializer",
            event_type=EventType.COMPLAINT_VERIFIED,
            success=_("已记录核实情况"),
            template="complaints/_action_card.html",
            summary="核实（CMP-3：协同部门、可认定责任方；再次调用追加核实记录）",
        ),
        Action(
            "propose",
            _("提交方案"),
            sources=[C.VERIFYING, C.SOLUTION_PROPOSED],
            target=C.SOLUTION_PROPOSED,
            permission=CHANGE,
            service=f"{SERVICES}.complaint_propose",
            form=f"{FORMS}.ProposeForm",
            serializer=f"{SERIALIZERS}.ComplaintProposeSerializer",
            event_type=EventType.SOLUTION_PROPOSED,
            success=_("已提出解决方案"),
            template="complaints/_action_card.html",
            summary="提出（或修改）解决方案（CMP-4）",
        ),
        Action(
            "agree",
            _("客户认可"),
            sources=[C.SOLUTION_PROPOSED],
            target=C.AGREED,
            permission=CHANGE,
            service=f"{SERVICES}.complaint_agree",
            form=f"{FORMS}.AgreeForm",
            serializer=f"{SERIALIZERS}.ComplaintNoteSerializer",
            event_type=EventType.CUSTOMER_AGREED,
            success=_("客户已认可方案"),
            style="success",
            template="core/_action_inline.html",
            summary="客户认可方案",
        ),
        Action(
            "refuse",
            _("客户不认可"),
            sources=[C.SOLUTION_PROPOSED],
            target=C.SOLUTION_PROPOSED,
            permission=CHANGE,
            service=f"{SERVICES}.complaint_refuse",
            form=f"{FORMS}.RefuseForm",
            serializer=f"{SERIALIZERS}.ComplaintReasonSerializer",
            event_type=EventType.CUSTOMER_REFUSED,
            success=_("已记录客户不认可，请修改方案"),
            style="outline-danger",
            template="core/_action_inline.html",
            summary="客户不认可方案（须填原因；停留在“方案”待修改）",
        ),
        Action(
            "feedback",
            _("已反馈客户"),
            sources=[C.IMPLEMENTING],
            target=C.FEEDBACK_GIVEN,
            permission=CHANGE,
            service=f"{SERVICES}.complaint_feedback",
            form=f"{FORMS}.FeedbackForm",
            serializer=f"{SERIALIZERS}.ComplaintFeedbackSerializer",
            event_type=EventType.FEEDBACK_GIVEN,
            success=_("已反馈处理结果"),
            template="complaints/_action_card.html",
            summary="向客户反馈处理结果（含满意度 1–5）",
        ),
        Action(
            "close",
            _("结案"),
            sources=[C.FEEDBACK_GIVEN],
            target=C.CLOSED,
            permission="complaints.close_complaint",
            service=f"{SERVICES}.complaint_close",
            form=f"{FORMS}.CloseForm",
            serializer=f"{SERIALIZERS}.ComplaintCloseSerializer",
            event_type=EventType.COMPLAINT_CLOSED,
            success=_("已结案"),
            style="success",
            template="complaints/_action_card.html",
            summary="结案（CMP-5：根本原因、责任方、至少一项改进措施；需结案权限）",
        ),
        Action(
            "implement",
            _("按方案处理"),
            sources=[C.AGREED, C.FEEDBACK_GIVEN],
            target=C.IMPLEMENTING,
            permission=CHANGE,
            service=f"{SERVICES}.complaint_implement",
            form=f"{FORMS}.ImplementForm",
            serializer=f"{SERIALIZERS}.ComplaintNoteSerializer",
            event_type=EventType.IMPLEMENTING,
            success=_("已开始按方案处理"),
            template="complaints/_action_inline.html",  # from 结果反馈 it reads "重新处理" (reimplement-form)
            summary="按方案处理（结果反馈后客户不满意时再次处理，须填说明）",
            errors={ComplaintsErrorCode.COMPLAINT_REASON_REQUIRED: "结果反馈后再次处理须填写客户不满意的原因（400）"},
        ),
        Action(
            "escalate",
            _("升级"),
            sources=OPEN_STATUSES,
            permission=CHANGE,
            service=f"{SERVICES}.complaint_escalate",
            form=f"{FORMS}.EscalateForm",
            serializer=f"{SERIALIZERS}.ComplaintReasonSerializer",
            guards=[BELOW_HQ],
            event_type=EventType.ESCALATED,
            success=_("已升级"),
            confirm=_("确定升级到上一级处理？"),
            style="outline-warning",
            template="complaints/_action_inline.html",  # "升级到区部" / "升级到总部"
            summary="升级（门店→区部→总部，须填原因；CMP-7）",
            errors={ComplaintsErrorCode.COMPLAINT_FINAL: "已结案、取消或撤诉"},
        ),
        Action(
            "withdraw",
            _("客户撤诉"),
            sources=[C.RECEIVED, C.VERIFYING, C.SOLUTION_PROPOSED, C.AGREED],
            target=C.WITHDRAWN,
            permission=CHANGE,
            service=f"{SERVICES}.complaint_withdraw",
            form=f"{FORMS}.EndForm",
            serializer=f"{SERIALIZERS}.ComplaintReasonSerializer",
            event_type=EventType.COMPLAINT_WITHDRAWN,
            success=_("已记录客户撤诉"),
            confirm=_("确定记录客户撤诉？"),
            style="outline-secondary",
            template="core/_action_inline.html",
            summary="客户撤诉",
            errors={ComplaintsErrorCode.COMPLAINT_HAS_PAYOUTS: "已先行赔付的投诉不能取消或撤诉"},
        ),
        Action(
            "cancel",
            _("取消投诉"),
            sources=[C.RECEIVED, C.VERIFYING],
            target=C.CANCELLED,
            permission=CHANGE,
            service=f"{SERVICES}.complaint_cancel",
            form=f"{FORMS}.EndForm",
            serializer=f"{SERIALIZERS}.ComplaintReasonSerializer",
            event_type=EventType.COMPLAINT_CANCELLED,
            success=_("已取消"),
            confirm=_("确定取消该投诉（登记错误/重复）？"),
            style="outline-danger",
            template="core/_action_inline.html",
            summary="取消（登记错误/重复）",
            errors={ComplaintsErrorCode.COMPLAINT_HAS_PAYOUTS: "已先行赔付的投诉不能取消或撤诉"},
        ),
        Action(
            "improvement",
            _("登记改进措施"),
            sources=NOT_ENDED,  # also after closing (CMP-5)
            permission=CHANGE,
            service=f"{SERVICES}.improvement_action_add",
            form=f"{FORMS}.ImprovementForm",
            event_type=EventType.IMPROVEMENT_ADDED,
            success=_("已登记改进措施"),
            style="outline-primary",
            template="complaints/_improvement_action.html",
            versioned=False,
            api=False,  # POST /complaints/{id}/improvement-actions/ answers 201 with the new action
        ),
        Action(
            "pay",
            _("先行赔付"),
            sources=OPEN_STATUSES,
            permission="complaints.pay_compensation",
            service=f"{COMPENSATION}.compensation_pay",
            form=f"{FORMS}.PayForm",
            serializer=f"{SERIALIZERS}.CompensationPaySerializer",
            event_type=EventType.COMPENSATION_PAID,
            template="complaints/_pay_action.html",
            after=f"{VIEWS}.after_pay",  # paid, or sent for approval above the payer's authority
            versioned=False,
            response_serializer=f"{SERIALIZERS}.CompensationPayResultSerializer",
            summary="先行赔付（CMP-8）：权限内直接赔付 200；超权限提交上级审批 202",
            errors=PAY_REFUSALS,
        ),
        # The decision on an over-limit payout, on the complaint's page (one form per pending request).
        Action(
            "approve-payment",
            _("批准并赔付"),
            sources=OPEN_STATUSES,
            permission="complaints.approve_compensation",
            service=f"{COMPENSATION}.compensation_decide",
            form=f"{FORMS}.ApprovePaymentForm",
            serializer=f"{SERIALIZERS}.CompensationApproveSerializer",
            event_type=EventType.COMPENSATION_APPROVED,
            success=_("已批准并赔付"),
            style="success",
            versioned=False,
            response_serializer=f"{SERIALIZERS}.CompensationPayResultSerializer",
            summary="审批超权限赔付（上一级且权限覆盖金额；approve=false 为驳回，须填 note）",
            errors={**PAY_REFUSALS, ComplaintsErrorCode.COMPENSATION_ALREADY_DECIDED: "该申请已审批"},
        ),
        Action(
            "reject-payment",
            _("驳回"),
            sources=OPEN_STATUSES,
            permission="complaints.approve_compensation",
            service=f"{COMPENSATION}.compensation_decide",
            form=f"{FORMS}.RejectPaymentForm",
            event_type=EventType.COMPENSATION_REJECTED,
            success=_("已驳回赔付申请"),
            confirm=_("确定驳回该赔付申请？"),
            style="outline-danger",
            versioned=False,
            api=False,  # the API rejects through approve-payment with approve=false
        ),
    ],
)

COMPENSATION_REQUEST_WORKFLOW = Workflow(
    "complaints.CompensationRequest",
    id_kwarg="request_id",
    states=[
        State(CompensationRequestStatus.PENDING, "bg-yellow-lt"),
        State(CompensationRequestStatus.APPROVED, "bg-green-lt", terminal=True),
        State(CompensationRequestStatus.REJECTED, "bg-red-lt", terminal=True),
    ],
    # Decided on the complaint's page and API (approve-payment / reject-payment above).
    actions=[
        Action(
            "approve",
            _("批准并赔付"),
            sources=[CompensationRequestStatus.PENDING],
            target=CompensationRequestStatus.APPROVED,
            permission="complaints.approve_compensation",
            service=f"{COMPENSATION}.compensation_approve",
            event_type=EventType.COMPENSATION_APPROVED,
            versioned=False,
            page=False,
            api=False,
        ),
        Action(
            "reject",
            _("驳回"),
            sources=[CompensationRequestStatus.PENDING],
            target=CompensationRequestStatus.REJECTED,
            permission="complaints.approve_compensation",
            service=f"{COMPENSATION}.compensation_approve",
            event_type=EventType.COMPENSATION_REJECTED,
            versioned=False,
            page=False,
            api=False,
        ),
    ],
)

RECOVERY_WORKFLOW = Workflow(
    "complaints.Recovery",
    id_kwarg="recovery_id",
    detail_url="complaints:recovery-detail",  # the recoveries panel of its complaint's page
    action_url="complaints:recovery-action",
    related=("complaint",),
    states=[
        State(RecoveryStatus.OPEN, "bg-yellow-lt"),
        State(RecoveryStatus.SETTLED, "bg-green-lt", terminal=True),
        State(RecoveryStatus.CANCELLED, "bg-secondary-lt", terminal=True),
    ],
    actions=[
        Action(
            "settle",
            _("结清"),
            sources=[RecoveryStatus.OPEN],
            target=RecoveryStatus.SETTLED,
            permission="complaints.manage_compensation_fund",
            service=f"{COMPENSATION}.recovery_settle",
            form=f"{FORMS}.SettleForm",
            serializer=f"{SERIALIZERS}.RecoverySettleSerializer",
            event_type=EventType.RECOVERY_SETTLED,
            style="outline-success",
            template="complaints/_settle_action.html",
            after=f"{VIEWS}.after_settle",  # says how much went back to the fund
            versioned=False,
            summary="追偿结清（写入追偿收回台账，基金余额增加）",
            errors={ComplaintsErrorCode.RECOVERY_NOT_OPEN: "该追偿已结清或已撤销"},
        ),
        # The system cancels an open recovery when the responsibility moves to us or the customer before
        # anything was recovered (`compensation.sync_recovery`, run by verify and close).
        Action(
            "cancel",
            _("撤销追偿"),
            sources=[RecoveryStatus.OPEN],
            target=RecoveryStatus.CANCELLED,
            permission=CHANGE,
            service=f"{COMPENSATION}.sync_recovery",
            event_type=EventType.RECOVERY_CANCELLED,
            versioned=False,
            page=False,
            api=False,
        ),
    ],
)
