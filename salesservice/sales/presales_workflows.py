"""The lifecycles of the pre-sales documents, declared once (core.workflow); `sales/workflows.py` imports
them (`from .presales_workflows import *`) so they register at startup.

Inquiry 客户咨询 (PRE-1, PRE-3)::

    open ──answer (reply, needs confirmed?)──▶ answered ──(a quotation is made from it)──▶ quoted
    open / answered ──route (department, assignee)──▶ (stays)
    open / answered ──close (reason)──▶ closed

Product claim 产品宣传用语 (PRE-2)::

    pending ──approve (QA, not the author)──▶ approved ──withdraw──▶ withdrawn
    pending ──reject──▶ rejected;  pending ──withdraw──▶ withdrawn

Tender 招投标 (SAL-3)::

    announced ──report (to the general manager)──▶ reported ──bid──▶ bid_submitted ──award──▶ won | lost
    won ──(the contract is made from it)──▶ contracted
    announced / reported / bid_submitted ──withdraw──▶ withdrawn

Sales-rep authorisation letters (BUY-2) and annual sales plans (SAL-4) have no status field: revoking a
letter and approving a plan are services of their own (presales.py), not workflow moves.
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, Guard, State, Workflow

from .choices import ClaimStatus as CL
from .choices import EventType
from .choices import InquiryStatus as IQ
from .choices import TenderStatus as T
from .presales_errors import PresalesErrorCode as E

__all__ = ["CLAIM_WORKFLOW", "INQUIRY_WORKFLOW", "TENDER_WORKFLOW"]

SERVICES = "salesservice.sales.presales"
FORMS = "salesservice.sales.presales_forms"
SERIALIZERS = "salesservice.sales.api.presales_serializers"

INQUIRY_WORKFLOW = Workflow(
    "sales.Inquiry",
    id_kwarg="inquiry_id",
    detail_url="sales:inquiry-detail",
    action_url="sales:inquiry-action",
    related=("customer", "org_unit"),
    states=[
        State(IQ.OPEN, "bg-orange-lt"),
        State(IQ.ANSWERED, "bg-azure-lt"),
        State(IQ.QUOTED, "bg-green-lt", terminal=True),
        State(IQ.CLOSED, "bg-secondary-lt", terminal=True),
    ],
    actions=[
        Action(
            "answer",
            _("答复"),
            sources=[IQ.OPEN, IQ.ANSWERED],
            target=IQ.ANSWERED,
            stays=(IQ.ANSWERED,),
            permission="sales.change_inquiry",
            service=f"{SERVICES}.inquiry_answer",
            form=f"{FORMS}.InquiryAnswerForm",
            serializer=f"{SERIALIZERS}.PresalesInquiryAnswerSerializer",
            event_type=EventType.INQUIRY_ANSWERED,
            success=_("已答复"),
            style="success",
            summary=_("答复客户（PRE-1）；勾选“需求已与客户确认”记录 PRE-3 的需求确认；已答复的可补充答复"),
            errors={E.INQUIRY_REPLY_REQUIRED: E.INQUIRY_REPLY_REQUIRED.label},
        ),
        Action(
            "route",
            _("转交"),
            sources=[IQ.OPEN, IQ.ANSWERED],
            permission="sales.change_inquiry",
            service=f"{SERVICES}.inquiry_route",
            form=f"{FORMS}.InquiryRouteForm",
            serializer=f"{SERIALIZERS}.PresalesInquiryRouteSerializer",
            event_type=EventType.INQUIRY_ROUTED,
            success=_("已转交"),
            style="outline-primary",
            summary=_("转交部门/负责人（PRE-1：特殊要求传达到相关部门），通知接收人"),
            errors={E.INQUIRY_ROUTE_UNCHANGED: E.INQUIRY_ROUTE_UNCHANGED.label},
        ),
        Action(
            "close",
            _("关闭"),
            sources=[IQ.OPEN, IQ.ANSWERED],
            target=IQ.CLOSED,
            permission="sales.change_inquiry",
            service=f"{SERVICES}.inquiry_close",
            form=f"{FORMS}.PresalesReasonForm",
            serializer=f"{SERIALIZERS}.PresalesReasonSerializer",
            event_type=EventType.INQUIRY_CLOSED,
            success=_("已关闭"),
            confirm=_("确定关闭该咨询？"),
            style="outline-secondary",
            errors={E.REASON_REQUIRED: E.REASON_REQUIRED.label},
        ),
        Action(
            "quote",
            _("生成报价"),
            sources=[IQ.OPEN, IQ.ANSWERED],
            target=IQ.QUOTED,
            permission="sales.add_quotation",
            service=f"{SERVICES}.inquiry_mark_quoted",
            event_type=EventType.QUOTATION_CREATED,
            page=False,
            api=False,
        ),
    ],
)

CLAIM_WORKFLOW = Workflow(
    "sales.ProductClaim",
    id_kwarg="claim_id",
    detail_url="sales:productclaim-detail",
    action_url="sales:productclaim-action",
    related=("product",),
    states=[
        State(CL.PENDING, "bg-orange-lt"),
        State(CL.APPROVED, "bg-green-lt"),
        State(CL.REJECTED, "bg-red-lt", terminal=True),
        State(CL.WITHDRAWN, "bg-secondary-lt", terminal=True),
    ],
    actions=[
        Action(
            "approve",
            _("批准"),
            sources=[CL.PENDING],
            target=CL.APPROVED,
            permission="sales.approve_productclaim",
            service=f"{SERVICES}.claim_approve",
            form=f"{FORMS}.PresalesNoteForm",
            serializer=f"{SERIALIZERS}.PresalesNoteSerializer",
            event_type=EventType.CLAIM_DECIDED,
            success=_("已批准，可向客户展示"),
            style="success",
            summary=_("质量部批准（PRE-2：真实、不夸大；不能审核自己提交的）"),
            errors={E.CLAIM_SELF_APPROVAL: E.CLAIM_SELF_APPROVAL.label},
        ),
        Action(
            "reject",
            _("驳回"),
            sources=[CL.PENDING],
            target=CL.REJECTED,
            permission="sales.approve_productclaim",
            service=f"{SERVICES}.claim_reject",
            form=f"{FORMS}.PresalesReasonForm",
            serializer=f"{SERIALIZERS}.PresalesReasonSerializer",
            event_type=EventType.CLAIM_DECIDED,
            success=_("已驳回"),
            style="outline-danger",
            errors={E.CLAIM_SELF_APPROVAL: E.CLAIM_SELF_APPROVAL.label, E.REASON_REQUIRED: E.REASON_REQUIRED.label},
        ),
        Action(
            "withdraw",
            _("撤回"),
            sources=[CL.PENDING, CL.APPROVED],
            target=CL.WITHDRAWN,
            permission="sales.change_productclaim",
            service=f"{SERVICES}.claim_withdraw",
            form=f"{FORMS}.PresalesReasonForm",
            serializer=f"{SERIALIZERS}.PresalesReasonSerializer",
            event_type=EventType.CLAIM_DECIDED,
            success=_("已撤回，不再向客户展示"),
            confirm=_("确定撤回该宣传用语？"),
            style="outline-secondary",
            errors={E.REASON_REQUIRED: E.REASON_REQUIRED.label},
        ),
    ],
)


def _reported(tender) -> bool:
    return tender.reported_at is not None


TENDER_WORKFLOW = Workflow(
    "sales.Tender",
    id_kwarg="tender_id",
    detail_url="sales:tender-detail",
    action_url="sales:tender-action",
    related=("customer", "org_unit"),
    states=[
        State(T.ANNOUNCED, "bg-blue-lt"),
        State(T.REPORTED, "bg-azure-lt"),
        State(T.BID_SUBMITTED, "bg-indigo-lt"),
        State(T.WON, "bg-teal-lt"),
        State(T.LOST, "bg-secondary-lt", terminal=True),
        State(T.WITHDRAWN, "bg-secondary-lt", terminal=True),
        State(T.CONTRACTED, "bg-green-lt", terminal=True),
    ],
    actions=[
        Action(
            "report",
            _("报总经理"),
            sources=[T.ANNOUNCED],
            target=T.REPORTED,
            permission="sales.change_tender",
            service=f"{SERVICES}.tender_report",
            form=f"{FORMS}.PresalesNoteForm",
            serializer=f"{SERIALIZERS}.PresalesNoteSerializer",
            event_type=EventType.TENDER_REPORTED,
            success=_("已报总经理"),
            summary=_("报总经理（SAL-3）：通知总经理，记录报告时间和对象；未报告不能投标"),
            errors={E.TENDER_NO_GENERAL_MANAGER: E.TENDER_NO_GENERAL_MANAGER.label},
        ),
        Action(
            "bid",
            _("投标"),
            # `announced` is a source so that bidding before the report is refused with its own code (the guard)
            sources=[T.ANNOUNCED, T.REPORTED],
            target=T.BID_SUBMITTED,
            permission="sales.change_tender",
            service=f"{SERVICES}.tender_bid",
            form=f"{FORMS}.TenderBidForm",
            serializer=f"{SERIALIZERS}.PresalesTenderBidSerializer",
            guards=(Guard(E.TENDER_NOT_REPORTED, E.TENDER_NOT_REPORTED.label, _reported),),
            event_type=EventType.TENDER_BID,
            success=_("已登记投标"),
            summary=_("登记投标报价（SAL-3：须先报总经理）"),
            errors={E.TENDER_BID_AMOUNT: E.TENDER_BID_AMOUNT.label},
        ),
        Action(
            "award",
            _("开标结果"),
            sources=[T.BID_SUBMITTED],
            target=T.WON,
            targets=(T.LOST,),
            permission="sales.change_tender",
            service=f"{SERVICES}.tender_award",
            form=f"{FORMS}.TenderAwardForm",
            serializer=f"{SERIALIZERS}.PresalesTenderAwardSerializer",
            event_type=EventType.TENDER_AWARDED,
            success=_("已记录开标结果"),
            style="success",
            summary=_("记录开标结果：中标或未中标、日期和说明（SAL-3）"),
            errors={E.TENDER_RESULT: E.TENDER_RESULT.label},
        ),
        Action(
            "withdraw",
            _("放弃投标"),
            sources=[T.ANNOUNCED, T.REPORTED, T.BID_SUBMITTED],
            target=T.WITHDRAWN,
            permission="sales.change_tender",
            service=f"{SERVICES}.tender_withdraw",
            form=f"{FORMS}.PresalesReasonForm",
            serializer=f"{SERIALIZERS}.PresalesReasonSerializer",
            event_type=EventType.TENDER_WITHDRAWN,
            success=_("已放弃"),
            confirm=_("确定放弃该招标项目？"),
            style="outline-danger",
            errors={E.REASON_REQUIRED: E.REASON_REQUIRED.label},
        ),
        Action(
            "contract",
            _("中标签约"),
            sources=[T.WON],
            target=T.CONTRACTED,
            permission="sales.add_contract",
            service=f"{SERVICES}.tender_mark_contracted",
            event_type=EventType.TENDER_CONTRACTED,
            page=False,
            api=False,
        ),
    ],
)
