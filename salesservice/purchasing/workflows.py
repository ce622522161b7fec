"""The lifecycles of the purchasing documents, declared once (core.workflow).

Requisition 采购申请::

    draft ──submit──▶ submitted ──approve──▶ approved ──(an order is made from it)──▶ ordered
      │                  ├──reject──▶ rejected
      └──cancel──▶ cancelled ◀──cancel── (submitted, approved)

Purchase order 采购订单/采购合同 (SUP-2, SUP-4, SUP-5)::

    draft ──submit──▶ submitted ──approve──▶ approved ──receipts──▶ partially_received ──▶ received ──close──▶ closed
      ▲                  │                       │                        │ (a rejection reopens received)
      └─────reject───────┘                       │                        └──close (short, with reason)──▶ closed
    draft / submitted / approved ──cancel (reason)──▶ cancelled

Receipt 入库验收单 (SUP-6, SUP-7)::

    received 待检 ──inspect──▶ inspected 已验收 ──put-away──▶ put_away 已入库
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, State, Workflow

from .choices import EventType
from .choices import OrderStatus as O
from .choices import ReceiptStatus as R
from .choices import RequisitionStatus as Q
from .errors import PurchasingErrorCode as E

SERVICES = "salesservice.purchasing.services"
FORMS = "salesservice.purchasing.forms"
SERIALIZERS = "salesservice.purchasing.api.serializers"

REQUISITION_WORKFLOW = Workflow(
    "purchasing.PurchaseRequisition",
    id_kwarg="requisition_id",
    detail_url="purchasing:requisition-detail",
    action_url="purchasing:requisition-action",
    states=[
        State(Q.DRAFT, "bg-secondary-lt"),
        State(Q.SUBMITTED, "bg-blue-lt"),
        State(Q.APPROVED, "bg-azure-lt"),
        State(Q.ORDERED, "bg-green-lt", terminal=True),
        State(Q.REJECTED, "bg-red-lt", terminal=True),
        State(Q.CANCELLED, "bg-secondary-lt", terminal=True),
    ],
    actions=[
        Action(
            "submit",
            _("提交"),
            sources=[Q.DRAFT],
            target=Q.SUBMITTED,
            permission="purchasing.add_purchaserequisition",
            service=f"{SERVICES}.requisition_submit",
            serializer=f"{SERIALIZERS}.PurchaseVersionSerializer",
            event_type=EventType.REQUISITION_SUBMITTED,
            success=_("已提交"),
        ),
        Action(
            "approve",
            _("批准"),
            sources=[Q.SUBMITTED],
            target=Q.APPROVED,
            permission="purchasing.approve_purchaserequisition",
            service=f"{SERVICES}.requisition_approve",
            form=f"{FORMS}.NoteForm",
            serializer=f"{SERIALIZERS}.PurchaseNoteSerializer",
            event_type=EventType.REQUISITION_APPROVED,
            success=_("已批准"),
            style="success",
            errors={E.REQUISITION_SELF_APPROVAL: E.REQUISITION_SELF_APPROVAL.label},
        ),
        Action(
            "reject",
            _("驳回"),
            sources=[Q.SUBMITTED],
            target=Q.REJECTED,
            permission="purchasing.approve_purchaserequisition",
            service=f"{SERVICES}.requisition_reject",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.PurchaseReasonSerializer",
            event_type=EventType.REQUISITION_REJECTED,
            success=_("已驳回"),
            confirm=_("确定驳回该采购申请？"),
            style="outline-danger",
        ),
        Action(
            "cancel",
            _("取消"),
            sources=[Q.DRAFT, Q.SUBMITTED, Q.APPROVED],
            target=Q.CANCELLED,
            permission="purchasing.add_purchaserequisition",
            service=f"{SERVICES}.requisition_cancel",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.PurchaseReasonSerializer",
            event_type=EventType.REQUISITION_CANCELLED,
            success=_("已取消"),
            confirm=_("确定取消该采购申请？"),
            style="outline-danger",
        ),
        Action(
            "order",
            _("下单"),
            sources=[Q.APPROVED],
            target=Q.ORDERED,
            permission="purchasing.add_purchaseorder",
            service=f"{SERVICES}.requisition_mark_ordered",
            event_type=EventType.REQUISITION_ORDERED,
            page=False,
            api=False,
        ),
    ],
)

ORDER_WORKFLOW = Workflow(
    "purchasing.PurchaseOrder",
    id_kwarg="order_id",
    detail_url="purchasing:order-detail",
    action_url="purchasing:order-action",
    related=("supplier", "warehouse"),
    states=[
        State(O.DRAFT, "bg-secondary-lt"),
        State(O.SUBMITTED, "bg-blue-lt"),
        State(O.APPROVED, "bg-azure-lt"),
        State(O.PARTIALLY_RECEIVED, "bg-indigo-lt"),
        State(O.RECEIVED, "bg-teal-lt"),
        State(O.CLOSED, "bg-green-lt", terminal=True),
        State(O.CANCELLED, "bg-secondary-lt", terminal=True),
    ],
    actions=[
        Action(
            "submit",
            _("提交审批"),
            sources=[O.DRAFT],
            target=O.SUBMITTED,
            permission="purchasing.change_purchaseorder",
            service=f"{SERVICES}.order_submit",
            serializer=f"{SERIALIZERS}.PurchaseVersionSerializer",
            event_type=EventType.ORDER_SUBMITTED,
            success=_("已提交审批"),
            summary=_("提交审批（SUP-4 条款齐全；SUP-2 合格供方名单逐行检查）"),
            errors={
                E.ORDER_TERMS_REQUIRED: E.ORDER_TERMS_REQUIRED.label,
            },
        ),
        Action(
            "approve",
            _("批准"),
            sources=[O.SUBMITTED],
            target=O.APPROVED,
            permission="purchasing.approve_purchaseorder",
            service=f"{SERVICES}.order_approve",
            form=f"{FORMS}.NoteForm",
            serializer=f"{SERIALIZERS}.PurchaseNoteSerializer",
            event_type=EventType.ORDER_APPROVED,
            success=_("已批准"),
            style="success",
            summary=_("批准（按金额分级：采购主管限额内，超出由总经理；不能审批自己的订单；再查 SUP-2）"),
            errors={
                E.ORDER_SELF_APPROVAL: E.ORDER_SELF_APPROVAL.label,
                E.ORDER_APPROVAL_LIMIT: E.ORDER_APPROVAL_LIMIT.label,
            },
        ),
        Action(
            "reject",
            _("退回修改"),
            sources=[O.SUBMITTED],
            target=O.DRAFT,
            permission="purchasing.approve_purchaseorder",
            service=f"{SERVICES}.order_reject",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.PurchaseReasonSerializer",
            event_type=EventType.ORDER_REJECTED,
            success=_("已退回"),
            style="outline-warning",
        ),
        Action(
            "cancel",
            _("取消订单"),
            sources=[O.DRAFT, O.SUBMITTED, O.APPROVED],
            target=O.CANCELLED,
            permission="purchasing.change_purchaseorder",
            service=f"{SERVICES}.order_cancel",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.PurchaseReasonSerializer",
            event_type=EventType.ORDER_CANCELLED,
            success=_("已取消"),
            confirm=_("确定取消该采购订单？"),
            style="outline-danger",
        ),
        Action(
            "close",
            _("关闭订单"),
            sources=[O.PARTIALLY_RECEIVED, O.RECEIVED],
            target=O.CLOSED,
            permission="purchasing.change_purchaseorder",
            service=f"{SERVICES}.order_close",
            form=f"{FORMS}.CloseForm",
            serializer=f"{SERIALIZERS}.PurchaseCloseSerializer",
            event_type=EventType.ORDER_CLOSED,
            success=_("已关闭"),
            confirm=_("确定关闭该采购订单？"),
            style="outline-secondary",
            summary=_("关闭（未到齐时须填写理由）"),
            errors={E.ORDER_REASON_REQUIRED: E.ORDER_REASON_REQUIRED.label},
        ),
        Action(
            "receive",
            _("到货"),
            sources=[O.APPROVED, O.PARTIALLY_RECEIVED, O.RECEIVED],
            target=O.PARTIALLY_RECEIVED,
            targets=(O.RECEIVED,),
            permission="purchasing.add_receipt",
            service=f"{SERVICES}.receipt_create",
            event_type=EventType.ORDER_RECEIVED,
            page=False,
            api=False,
        ),
    ],
)

RECEIPT_WORKFLOW = Workflow(
    "purchasing.Receipt",
    id_kwarg="receipt_id",
    # Issue 17: a receipt's create registers each line's lots and serials and moves them into quarantine (measured 59).
    create_max_queries=70,
    detail_url="purchasing:receipt-detail",
    action_url="purchasing:receipt-action",
    related=("order", "warehouse"),
    states=[
        State(R.RECEIVED, "bg-orange-lt"),
        State(R.INSPECTED, "bg-azure-lt"),
        State(R.PUT_AWAY, "bg-green-lt", terminal=True),
    ],
    actions=[
        Action(
            "inspect",
            _("进货验收"),
            sources=[R.RECEIVED],
            target=R.INSPECTED,
            permission="purchasing.inspect_receipt",
            service=f"{SERVICES}.receipt_inspect",
            form=f"{FORMS}.InspectForm",
            serializer=f"{SERIALIZERS}.ReceiptInspectSerializer",
            event_type=EventType.RECEIPT_INSPECTED,
            success=_("已验收"),
            template="purchasing/_inspect_form.html",
            # Issue 17: per line the checklist, a nonconformance with its number for the rejects and the stock
            # moves out of quarantine, then the order's figures (measured 92 for the tests' receipts).
            max_queries=110,
            summary=_(
                "进货验收（SUP-6 按验收标准逐项；SUP-7 部分合格：合格数 + 不合格数 = 到货数，不合格登记不合格品）"
            ),
            errors={
                E.RECEIPT_QUANTITY_MISMATCH: E.RECEIPT_QUANTITY_MISMATCH.label,
                E.RECEIPT_CHECKLIST_INCOMPLETE: E.RECEIPT_CHECKLIST_INCOMPLETE.label,
            },
        ),
        Action(
            "put-away",
            _("上架入库"),
            sources=[R.INSPECTED],
            target=R.PUT_AWAY,
            permission="purchasing.put_away_receipt",
            service=f"{SERVICES}.receipt_put_away",
            form=f"{FORMS}.PutAwayForm",
            serializer=f"{SERIALIZERS}.ReceiptPutAwaySerializer",
            event_type=EventType.RECEIPT_PUT_AWAY,
            success=_("已上架入库"),
            template="purchasing/_put_away_form.html",
            max_queries=50,  # issue 17: a stock move per line and lot, then the order's figures (measured 41)
            summary=_("上架入库（SUP-7：仅验收合格的数量，从待上架区到本仓库货位）"),
            errors={E.RECEIPT_NOT_INSPECTED: E.RECEIPT_NOT_INSPECTED.label},
        ),
    ],
)
