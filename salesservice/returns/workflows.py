"""The return request's lifecycle 退换货单 (DESIGN §4, seed 000 退換貨處理; RET-2), declared once.

    requested ──approve──▶ approved ──receive──▶ goods_received ──inspect──▶ inspected ──refund──▶ refunded ──┐
        │                     │                                                 ├──exchange─▶ exchanged ─┼─close─▶ closed
        ├──reject──▶ rejected  └──cancel──▶ cancelled                           ├──repair───▶ repaired ──┘
        └──cancel──▶ cancelled                                                  └──close (nothing to do: no fault found,
                                                                                   goods returned as they are) ─▶ closed
    rejected, closed and cancelled are final.

The transition table, the page's action forms, the API action endpoints and the status badges all follow
from this declaration (`core.workflow`). Approving and rejecting need `approve_returnrequest`; the warehouse
receives and QA inspects (`change_returnrequest`); money and goods leave the company only by a CS desk or
supervisor (`settle_returnrequest`).
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, State, Workflow

from .choices import EventType
from .choices import ReturnStatus as R

SERVICES = "salesservice.returns.services"
FORMS = "salesservice.returns.forms"
SERIALIZERS = "salesservice.returns.api.serializers"

RETURN_WORKFLOW = Workflow(
    "returns.ReturnRequest",
    id_kwarg="return_id",
    detail_url="returns:return-detail",
    action_url="returns:return-action",
    states=[
        State(R.REQUESTED, "bg-blue-lt"),
        State(R.APPROVED, "bg-azure-lt"),
        State(R.REJECTED, "bg-red-lt", terminal=True),
        State(R.GOODS_RECEIVED, "bg-indigo-lt"),
        State(R.INSPECTED, "bg-purple-lt"),
        State(R.REFUNDED, "bg-teal-lt"),
        State(R.EXCHANGED, "bg-teal-lt"),
        State(R.REPAIRED, "bg-teal-lt"),
        State(R.CLOSED, "bg-green-lt", terminal=True),
        State(R.CANCELLED, "bg-secondary-lt", terminal=True),
    ],
    # Declared in the order the request page shows their forms.
    actions=[
        Action(
            "approve",
            _("批准"),
            sources=[R.REQUESTED],
            target=R.APPROVED,
            permission="returns.approve_returnrequest",
            service=f"{SERVICES}.return_approve",
            form=f"{FORMS}.ApproveForm",
            serializer=f"{SERIALIZERS}.ReturnRequestApproveSerializer",
            event_type=EventType.APPROVED,
            success=_("已批准"),
            style="success",
            summary=_("批准（不符合规则须填特批理由；需审批权限）"),
        ),
        Action(
            "reject",
            _("拒绝"),
            sources=[R.REQUESTED],
            target=R.REJECTED,
            permission="returns.approve_returnrequest",
            service=f"{SERVICES}.return_reject",
            form=f"{FORMS}.RejectForm",
            serializer=f"{SERIALIZERS}.ReturnRequestReasonSerializer",
            event_type=EventType.REJECTED,
            success=_("已拒绝"),
            confirm=_("确定拒绝该退换货申请？"),
            style="outline-danger",
            summary=_("拒绝（须填理由；需审批权限）"),
        ),
        Action(
            "receive",
            _("确认收货"),
            sources=[R.APPROVED],
            target=R.GOODS_RECEIVED,
            permission="returns.change_returnrequest",
            service=f"{SERVICES}.return_receive",
            form=f"{FORMS}.ReceiveForm",
            serializer=f"{SERIALIZERS}.ReturnRequestReceiveSerializer",
            event_type=EventType.GOODS_RECEIVED,
            success=_("已收货"),
            summary=_("收货并记录商品状况（人为损坏须填协商结果）"),
        ),
        Action(
            "inspect",
            _("提交检验结果"),
            sources=[R.GOODS_RECEIVED],
            target=R.INSPECTED,
            permission="returns.change_returnrequest",
            service=f"{SERVICES}.return_inspect",
            form=f"{FORMS}.InspectForm",
            serializer=f"{SERIALIZERS}.ReturnRequestInspectSerializer",
            event_type=EventType.INSPECTED,
            success=_("已检验"),
            after="salesservice.returns.views.after_inspect",  # says when a nonconformance was opened
            summary=_("检验（存在质量问题 → 自动登记不合格品，SUP-8）"),
        ),
        Action(
            "refund",
            _("退款"),
            sources=[R.INSPECTED],
            target=R.REFUNDED,
            permission="returns.settle_returnrequest",
            service=f"{SERVICES}.return_refund",
            form=f"{FORMS}.RefundForm",
            serializer=f"{SERIALIZERS}.ReturnRequestRefundSerializer",
            event_type=EventType.REFUNDED,
            success=_("已退款"),
            confirm=_("确定退款？"),
            summary=_("退款（金额须大于 0）"),
        ),
        Action(
            "exchange",
            _("换货"),
            sources=[R.INSPECTED],
            target=R.EXCHANGED,
            permission="returns.settle_returnrequest",
            service=f"{SERVICES}.return_exchange",
            form=f"{FORMS}.ExchangeForm",
            serializer=f"{SERIALIZERS}.ReturnRequestExchangeSerializer",
            event_type=EventType.EXCHANGED,
            success=_("已换货"),
            summary=_("换货（记录新机序列号）"),
        ),
        Action(
            "repair",
            _("维修完成"),
            sources=[R.INSPECTED],
            target=R.REPAIRED,
            permission="returns.settle_returnrequest",
            service=f"{SERVICES}.return_repair",
            form=f"{FORMS}.RepairForm",
            serializer=f"{SERIALIZERS}.ReturnRequestNoteSerializer",
            event_type=EventType.REPAIRED,
            success=_("已维修"),
            summary=_("维修完成（须填维修内容）"),
        ),
        Action(
            "close",
            _("结案"),
            sources=[R.INSPECTED, R.REFUNDED, R.EXCHANGED, R.REPAIRED],
            target=R.CLOSED,
            permission="returns.settle_returnrequest",
            service=f"{SERVICES}.return_close",
            form=f"{FORMS}.CloseForm",
            serializer=f"{SERIALIZERS}.ReturnRequestCloseSerializer",
            event_type=EventType.CLOSED,
            success=_("已结案"),
            style="success",
            summary=_("结案（计算处理时长）"),
        ),
        Action(
            "cancel",
            _("取消"),
            sources=[R.REQUESTED, R.APPROVED],
            target=R.CANCELLED,
            permission="returns.change_returnrequest",
            service=f"{SERVICES}.return_cancel",
            form=f"{FORMS}.CancelForm",
            serializer=f"{SERIALIZERS}.ReturnRequestReasonSerializer",
            event_type=EventType.CANCELLED,
            success=_("已取消"),
            confirm=_("确定取消该退换货？"),
            style="outline-danger",
            template="core/_action_inline.html",
            summary=_("取消（收货前；须填原因）"),
        ),
    ],
)
