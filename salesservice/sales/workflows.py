"""The lifecycles of the sales documents, declared once (core.workflow).

Quotation 报价单::

    draft ──submit──▶ approved (discount within the free band)  |  pending_approval ──approve──▶ approved
      ▲                                                               └──reject──▶ draft
    approved ──accept──▶ accepted ──(contract/order made from it)──▶ converted
    approved/accepted ──lose──▶ lost;  draft/pending/approved ──cancel──▶ cancelled;  past validity ──▶ expired

Contract 销售合同 (SAL-1, SAL-2, SAL-8)::

    draft ──submit-review──▶ in_review ──review (each department signs its item)──▶ in_review
                               ├──approve (all passed; by amount)──▶ approved ──sign (deposit)──▶ signed
                               └──return──▶ draft
    signed ──(first order)──▶ executing ──complete──▶ completed
    approved/signed/executing ──amend (revision + 1)──▶ in_review;  draft/in_review/approved ──cancel──▶ cancelled

Sales order 销售订单 (SAL-5…7, BUY-1, PRD-1, DEL-6)::

    draft ──review──▶ reviewed ──confirm──▶ confirmed ──allocate──▶ allocated ──ship──▶ shipped
    shipped ──(delivery released: acceptance signed or concession)──▶ delivered ──close──▶ closed
    draft/reviewed/confirmed/allocated ──cancel──▶ cancelled (allocations released)

`ship` is the delivery app's service (pick list, packing, carrier, GSP record — DEL-1, TRC-1); the move to
`delivered` is made by the delivery release gate (DEL-6).
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, State, Workflow

from .choices import ContractStatus as C
from .choices import EventType
from .choices import OrderStatus as O
from .choices import QuotationStatus as Q
from .errors import SalesErrorCode as E
from .presales_workflows import *  # noqa: F403 — the pre-sales documents' workflows register on import

SERVICES = "salesservice.sales.services"
FORMS = "salesservice.sales.forms"
SERIALIZERS = "salesservice.sales.api.serializers"
VERSION = f"{SERIALIZERS}.SalesVersionSerializer"
NOTE = f"{SERIALIZERS}.SalesNoteSerializer"
REASON = f"{SERIALIZERS}.SalesReasonSerializer"

QUOTATION_WORKFLOW = Workflow(
    "sales.Quotation",
    id_kwarg="quotation_id",
    detail_url="sales:quotation-detail",
    action_url="sales:quotation-action",
    related=("customer",),
    states=[
        State(Q.DRAFT, "bg-secondary-lt"),
        State(Q.PENDING_APPROVAL, "bg-orange-lt"),
        State(Q.APPROVED, "bg-azure-lt"),
        State(Q.ACCEPTED, "bg-teal-lt"),
        State(Q.CONVERTED, "bg-green-lt", terminal=True),
        State(Q.LOST, "bg-secondary-lt", terminal=True),
        State(Q.EXPIRED, "bg-secondary-lt", terminal=True),
        State(Q.CANCELLED, "bg-secondary-lt", terminal=True),
    ],
    actions=[
        Action(
            "submit",
            _("提交"),
            sources=[Q.DRAFT],
            target=Q.PENDING_APPROVAL,
            targets=(Q.APPROVED,),
            permission="sales.change_quotation",
            service=f"{SERVICES}.quotation_submit",
            serializer=VERSION,
            event_type=EventType.QUOTATION_SUBMITTED,
            success=_("已提交（折扣在自行决定范围内的直接生效）"),
            summary=_("提交：折扣不超过无需审批档直接生效，否则待主管或总经理价格审批"),
            errors={E.QUOTATION_VALIDITY: E.QUOTATION_VALIDITY.label},
        ),
        Action(
            "approve",
            _("批准价格"),
            sources=[Q.PENDING_APPROVAL],
            target=Q.APPROVED,
            permission="sales.approve_quotation",
            service=f"{SERVICES}.quotation_approve",
            form=f"{FORMS}.NoteForm",
            serializer=NOTE,
            event_type=EventType.QUOTATION_APPROVED,
            success=_("已批准"),
            style="success",
            summary=_("价格审批（按折扣档：主管档由店长/区域经理，超出由总经理；不能审批自己的报价）"),
            errors={E.SELF_APPROVAL: E.SELF_APPROVAL.label, E.APPROVAL_LIMIT: E.APPROVAL_LIMIT.label},
        ),
        Action(
            "reject",
            _("退回"),
            sources=[Q.PENDING_APPROVAL],
            target=Q.DRAFT,
            permission="sales.approve_quotation",
            service=f"{SERVICES}.quotation_reject",
            form=f"{FORMS}.ReasonForm",
            serializer=REASON,
            event_type=EventType.QUOTATION_REJECTED,
            success=_("已退回"),
            style="outline-warning",
        ),
        Action(
            "accept",
            _("客户接受"),
            sources=[Q.APPROVED],
            target=Q.ACCEPTED,
            permission="sales.change_quotation",
            service=f"{SERVICES}.quotation_accept",
            serializer=VERSION,
            event_type=EventType.QUOTATION_ACCEPTED,
            success=_("已记录客户接受"),
            style="success",
            errors={E.QUOTATION_EXPIRED: E.QUOTATION_EXPIRED.label},
        ),
        Action(
            "lose",
            _("未成交"),
            sources=[Q.APPROVED, Q.ACCEPTED],
            target=Q.LOST,
            permission="sales.change_quotation",
            service=f"{SERVICES}.quotation_lose",
            form=f"{FORMS}.ReasonForm",
            serializer=REASON,
            event_type=EventType.QUOTATION_LOST,
            success=_("已记录未成交"),
            style="outline-secondary",
        ),
        Action(
            "cancel",
            _("取消"),
            sources=[Q.DRAFT, Q.PENDING_APPROVAL, Q.APPROVED],
            target=Q.CANCELLED,
            permission="sales.change_quotation",
            service=f"{SERVICES}.quotation_cancel",
            form=f"{FORMS}.ReasonForm",
            serializer=REASON,
            event_type=EventType.QUOTATION_CANCELLED,
            success=_("已取消"),
            confirm=_("确定取消该报价单？"),
            style="outline-danger",
        ),
        Action(
            "convert",
            _("转合同/订单"),
            sources=[Q.APPROVED, Q.ACCEPTED],
            target=Q.CONVERTED,
            permission="sales.change_quotation",
            event_type=EventType.QUOTATION_CONVERTED,
            page=False,
            api=False,
        ),
        Action(
            "expire",
            _("过期"),
            sources=[Q.DRAFT, Q.PENDING_APPROVAL, Q.APPROVED],
            target=Q.EXPIRED,
            permission="sales.change_quotation",
            event_type=EventType.QUOTATION_EXPIRED,
            page=False,
            api=False,
        ),
    ],
)

CONTRACT_WORKFLOW = Workflow(
    "sales.Contract",
    id_kwarg="contract_id",
    detail_url="sales:contract-detail",
    action_url="sales:contract-action",
    related=("customer",),
    states=[
        State(C.DRAFT, "bg-secondary-lt"),
        State(C.IN_REVIEW, "bg-orange-lt"),
        State(C.APPROVED, "bg-azure-lt"),
        State(C.SIGNED, "bg-teal-lt"),
        State(C.EXECUTING, "bg-indigo-lt"),
        State(C.COMPLETED, "bg-green-lt", terminal=True),
        State(C.CANCELLED, "bg-secondary-lt", terminal=True),
    ],
    actions=[
        Action(
            "submit-review",
            _("提交合同评审"),
            sources=[C.DRAFT],
            target=C.IN_REVIEW,
            permission="sales.change_contract",
            service=f"{SERVICES}.contract_submit_review",
            serializer=VERSION,
            event_type=EventType.CONTRACT_SUBMITTED,
            success=_("已提交评审，相关部门将逐项评审"),
            summary=_("提交合同评审（SAL-1：需求、交付能力、价格条款、资格四项，由各部门会签）"),
            errors={E.CONTRACT_TERMS_REQUIRED: E.CONTRACT_TERMS_REQUIRED.label},
        ),
        Action(
            "review",
            _("评审"),
            sources=[C.IN_REVIEW],
            stays=(C.IN_REVIEW,),
            permission="sales.review_contract",
            service=f"{SERVICES}.contract_review",
            form=f"{FORMS}.ContractReviewForm",
            serializer=f"{SERIALIZERS}.ContractReviewInputSerializer",
            event_type=EventType.CONTRACT_REVIEWED,
            success=_("评审意见已记录"),
            summary=_("会签一项评审（本部门的项目：通过/不通过与意见）"),
            errors={
                E.CONTRACT_REVIEW_NOT_YOURS: E.CONTRACT_REVIEW_NOT_YOURS.label,
                E.CONTRACT_REVIEW_DONE: E.CONTRACT_REVIEW_DONE.label,
            },
        ),
        Action(
            "approve",
            _("批准合同"),
            sources=[C.IN_REVIEW],
            target=C.APPROVED,
            permission="sales.approve_contract",
            service=f"{SERVICES}.contract_approve",
            form=f"{FORMS}.NoteForm",
            serializer=NOTE,
            event_type=EventType.CONTRACT_APPROVED,
            success=_("合同已批准"),
            style="success",
            summary=_("批准（SAL-1 评审全部通过；SAL-2 按金额分级；不能批准自己经办的合同）"),
            errors={
                E.CONTRACT_REVIEW_INCOMPLETE: E.CONTRACT_REVIEW_INCOMPLETE.label,
                E.SELF_APPROVAL: E.SELF_APPROVAL.label,
                E.APPROVAL_LIMIT: E.APPROVAL_LIMIT.label,
            },
        ),
        Action(
            "return",
            _("退回修改"),
            sources=[C.IN_REVIEW],
            target=C.DRAFT,
            permission="sales.review_contract",
            service=f"{SERVICES}.contract_return",
            form=f"{FORMS}.ReasonForm",
            serializer=REASON,
            event_type=EventType.CONTRACT_RETURNED,
            success=_("已退回修改"),
            style="outline-warning",
        ),
        Action(
            "sign",
            _("签订"),
            sources=[C.APPROVED],
            target=C.SIGNED,
            permission="sales.sign_contract",
            service=f"{SERVICES}.contract_sign",
            form=f"{FORMS}.ContractSignForm",
            serializer=f"{SERIALIZERS}.ContractSignSerializer",
            event_type=EventType.CONTRACT_SIGNED,
            success=_("合同已签订"),
            style="success",
            summary=_("签订（SAL-2：已批准；签约人、日期；约定定金收齐）"),
            errors={
                E.CONTRACT_DEPOSIT_MISSING: E.CONTRACT_DEPOSIT_MISSING.label,
                E.CONTRACT_SIGNATORY_REQUIRED: E.CONTRACT_SIGNATORY_REQUIRED.label,
            },
        ),
        Action(
            "amend",
            _("合同变更"),
            sources=[C.APPROVED, C.SIGNED, C.EXECUTING],
            target=C.IN_REVIEW,
            permission="sales.change_contract",
            service=f"{SERVICES}.contract_amend",
            form=f"{FORMS}.ContractAmendForm",
            serializer=f"{SERIALIZERS}.ContractAmendSerializer",
            event_type=EventType.CONTRACT_AMENDED,
            success=_("变更已登记，合同重新评审"),
            confirm=_("合同变更后须重新评审、批准，确定？"),
            style="outline-warning",
            summary=_("合同变更（SAL-8：版本 + 1，写明原因与变更内容，重新评审）"),
            errors={E.CONTRACT_AMEND_REASON: E.CONTRACT_AMEND_REASON.label},
        ),
        Action(
            "execute",
            _("开始执行"),
            sources=[C.SIGNED],
            target=C.EXECUTING,
            permission="sales.add_salesorder",
            event_type=EventType.CONTRACT_EXECUTING,
            page=False,
            api=False,
        ),
        Action(
            "complete",
            _("履行完毕"),
            sources=[C.SIGNED, C.EXECUTING],
            target=C.COMPLETED,
            permission="sales.change_contract",
            service=f"{SERVICES}.contract_complete",
            form=f"{FORMS}.NoteForm",
            serializer=NOTE,
            event_type=EventType.CONTRACT_COMPLETED,
            success=_("合同已履行完毕"),
            confirm=_("确定合同已履行完毕？"),
            style="outline-success",
        ),
        Action(
            "cancel",
            _("取消合同"),
            sources=[C.DRAFT, C.IN_REVIEW, C.APPROVED],
            target=C.CANCELLED,
            permission="sales.change_contract",
            service=f"{SERVICES}.contract_cancel",
            form=f"{FORMS}.ReasonForm",
            serializer=REASON,
            event_type=EventType.CONTRACT_CANCELLED,
            success=_("合同已取消"),
            confirm=_("确定取消该合同？"),
            style="outline-danger",
        ),
    ],
)

ORDER_WORKFLOW = Workflow(
    "sales.SalesOrder",
    id_kwarg="order_id",
    detail_url="sales:order-detail",
    action_url="sales:order-action",
    related=("customer", "warehouse", "contract"),
    states=[
        State(O.DRAFT, "bg-secondary-lt"),
        State(O.REVIEWED, "bg-blue-lt"),
        State(O.CONFIRMED, "bg-azure-lt"),
        State(O.ALLOCATED, "bg-indigo-lt"),
        State(O.SHIPPED, "bg-purple-lt"),
        State(O.DELIVERED, "bg-teal-lt"),
        State(O.CLOSED, "bg-green-lt", terminal=True),
        State(O.CANCELLED, "bg-secondary-lt", terminal=True),
    ],
    actions=[
        Action(
            "review",
            _("订单评审"),
            sources=[O.DRAFT],
            target=O.REVIEWED,
            permission="sales.review_salesorder",
            service=f"{SERVICES}.order_review",
            form=f"{FORMS}.NoteForm",
            serializer=NOTE,
            event_type=EventType.ORDER_REVIEWED,
            success=_("评审通过"),
            style="success",
            summary=_("订单评审（SAL-5：逐行购货资格 BUY-1、禁售 PRD-1、价格、信用、库存；不通过 409 并列出原因）"),
            errors={
                E.ORDER_REVIEW_REFUSED: E.ORDER_REVIEW_REFUSED.label,
                E.ORDER_SELF_REVIEW: E.ORDER_SELF_REVIEW.label,
            },
        ),
        Action(
            "confirm",
            _("与客户确认"),
            sources=[O.REVIEWED],
            target=O.CONFIRMED,
            permission="sales.change_salesorder",
            service=f"{SERVICES}.order_confirm",
            form=f"{FORMS}.OrderConfirmForm",
            serializer=f"{SERIALIZERS}.OrderConfirmSerializer",
            event_type=EventType.ORDER_CONFIRMED,
            success=_("已与客户确认，进度表已生成"),
            summary=_("与客户确认订单内容（SAL-5；生成进度表 SAL-7）"),
            errors={E.ORDER_CONFIRM_REQUIRED: E.ORDER_CONFIRM_REQUIRED.label},
        ),
        Action(
            "allocate",
            _("配货"),
            sources=[O.CONFIRMED],
            target=O.ALLOCATED,
            permission="sales.allocate_salesorder",
            service=f"{SERVICES}.order_allocate",
            serializer=VERSION,
            event_type=EventType.ORDER_ALLOCATED,
            success=_("已按近效期先出配货，并通知仓库发货"),
            summary=_("配货（FEFO，行锁防超卖；再查资格与禁售；发货通知仓库 SAL-6）"),
            errors={E.INSUFFICIENT_STOCK: _("库存不足或禁售，未分配任何数量（409）")},
        ),
        Action(
            "ship",
            _("发货"),
            sources=[O.ALLOCATED],
            target=O.SHIPPED,
            permission="sales.ship_salesorder",
            service="salesservice.delivery.services.order_ship",
            max_queries=65,  # issue 17: issues the allocations, writes GSP sales records and opens the delivery (56)
            form="salesservice.delivery.forms.ShipForm",
            serializer="salesservice.delivery.api.serializers.ShipSerializer",
            event_type=EventType.ORDER_SHIPPED,
            success=_("已发货，交付单已生成"),
            summary=_("发货（DEL-1 拣货装箱、承运与运单号；再查资格与禁售；写 GSP 销售记录 TRC-1）"),
            errors={
                E.ORDER_BUYER_UNQUALIFIED: E.ORDER_BUYER_UNQUALIFIED.label,
                E.ORDER_UNSELLABLE: E.ORDER_UNSELLABLE.label,
                E.GSP_INCOMPLETE: E.GSP_INCOMPLETE.label,
            },
        ),
        Action(
            "deliver",
            _("交付"),
            sources=[O.SHIPPED],
            target=O.DELIVERED,
            permission="delivery.release_delivery",
            event_type=EventType.ORDER_DELIVERED,
            page=False,
            api=False,
        ),
        Action(
            "close",
            _("关闭订单"),
            sources=[O.DELIVERED],
            target=O.CLOSED,
            permission="sales.change_salesorder",
            service=f"{SERVICES}.order_close",
            form=f"{FORMS}.NoteForm",
            serializer=NOTE,
            event_type=EventType.ORDER_CLOSED,
            success=_("订单已关闭"),
            confirm=_("确定关闭该订单？"),
            style="outline-success",
        ),
        Action(
            "cancel",
            _("取消订单"),
            sources=[O.DRAFT, O.REVIEWED, O.CONFIRMED, O.ALLOCATED],
            target=O.CANCELLED,
            permission="sales.change_salesorder",
            service=f"{SERVICES}.order_cancel",
            form=f"{FORMS}.ReasonForm",
            serializer=REASON,
            event_type=EventType.ORDER_CANCELLED,
            success=_("订单已取消，已配货的库存已释放"),
            confirm=_("确定取消该订单？已配货的库存将释放。"),
            style="outline-danger",
        ),
    ],
)
