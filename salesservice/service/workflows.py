"""The lifecycles of the service desk's documents, declared once (core.workflow): the service request
(DESIGN §4; seed 001 第八条 服务请求 → 受理 → 派遣 → 实施 → 验收) and the knowledge article.

    received ──contact──▶ contacted ──dispatch──▶ dispatched ──start──▶ in_progress ──resolve──▶ resolved ──close──▶ closed
        │                    │  └──resolve (remote consultation, no visit needed)──────────────────▲   │
        │                    │                      └─dispatch again (re-dispatch to someone else)     └─reject (customer
        ▼                    ▼                      ▼                   ▼                                 does not accept)
    waiting_customer (pauses the SLA clock) ──resume──▶ back to the status it paused from               ──▶ in_progress

cancel: from received, contacted or dispatched (not once work has started). closed and cancelled are final.
`resume` may lead to any status it could have paused from; the service allows only the recorded one, so a
pause can never be used to jump ahead.
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, State, Workflow

from .choices import EventType, KnowledgeStatus
from .choices import ServiceRequestStatus as S
from .errors import ServiceErrorCode

SERVICES = "salesservice.service.services"
FORMS = "salesservice.service.desk_forms"
SERIALIZERS = "salesservice.service.api.serializers"
CHANGE = "service.change_servicerequest"
WORKING = (S.RECEIVED, S.CONTACTED, S.DISPATCHED, S.IN_PROGRESS)

REQUEST_WORKFLOW = Workflow(
    "service.ServiceRequest",
    id_kwarg="request_id",
    detail_url="service:request-detail",
    action_url="service:request-action",
    related=("customer", "store", "product", "product__category", "assignee", "provider"),
    states=[
        State(S.RECEIVED, "bg-blue-lt"),
        State(S.CONTACTED, "bg-azure-lt"),
        State(S.DISPATCHED, "bg-indigo-lt"),
        State(S.IN_PROGRESS, "bg-purple-lt"),
        State(S.WAITING_CUSTOMER, "bg-yellow-lt"),
        State(S.RESOLVED, "bg-teal-lt"),
        State(S.CLOSED, "bg-green-lt", terminal=True),
        State(S.CANCELLED, "bg-secondary-lt", terminal=True),
    ],
    actions=[
        Action(
            "contact",
            _("记录首次联系"),
            sources=[S.RECEIVED],
            target=S.CONTACTED,
            permission=CHANGE,
            service=f"{SERVICES}.request_contact",
            form=f"{FORMS}.ContactForm",
            serializer=f"{SERIALIZERS}.ServiceRequestNoteSerializer",
            event_type=EventType.REQUEST_CONTACTED,
            success=_("已记录首次联系"),
            summary="记录首次联系客户（停止首次联系计时，SRV-2）",
        ),
        Action(
            "dispatch",
            _("派工"),
            sources=[S.RECEIVED, S.CONTACTED, S.DISPATCHED],
            target=S.DISPATCHED,
            permission="service.dispatch_servicerequest",
            service=f"{SERVICES}.request_dispatch",
            form=f"{FORMS}.DispatchForm",
            serializer=f"{SERIALIZERS}.ServiceRequestDispatchSerializer",
            event_type=EventType.REQUEST_DISPATCHED,
            success=_("已派工"),
            template="service/desk/_dispatch_action.html",
            summary="派工：本公司工程师上门/远程（须持有效上岗资格）或外协网点（不得为停止派工/撤点）",
            errors={
                ServiceErrorCode.DISPATCH_UNCERTIFIED: "工程师无有效上岗资格（PPL-4）",
                ServiceErrorCode.DISPATCH_PROVIDER_STOPPED: "网点停止派工（NET-3）",
                ServiceErrorCode.DISPATCH_PROVIDER_REMOVED: "网点已撤点（NET-3）",
                ServiceErrorCode.DISPATCH_ENGINEER_OUT_OF_SCOPE: "工程师不属于该门店的服务范围",
                ServiceErrorCode.DISPATCH_PROVIDER_OUT_OF_SCOPE: "网点不服务于该门店",
            },
        ),
        Action(
            "start",
            _("开始处理"),
            sources=[S.DISPATCHED],
            target=S.IN_PROGRESS,
            permission=CHANGE,
            service=f"{SERVICES}.request_start",
            serializer=f"{SERIALIZERS}.ServiceRequestNoteSerializer",
            event_type=EventType.REQUEST_STARTED,
            success=_("已开始处理"),
        ),
        Action(
            "work-record",
            _("登记服务记录"),
            sources=[S.DISPATCHED, S.IN_PROGRESS, S.WAITING_CUSTOMER],
            permission="service.add_workrecord",
            service=f"{SERVICES}.work_record_add",
            form=f"{FORMS}.WorkRecordForm",
            event_type=EventType.WORK_RECORDED,
            success=_("已登记服务记录"),
            template="service/desk/_work_record_action.html",
            versioned=False,
            api=False,  # POST /service-requests/{id}/work-records/ (a list of the request's records too)
        ),
        Action(
            "resolve",
            _("提交解决（待客户验收）"),
            sources=[S.CONTACTED, S.IN_PROGRESS],
            target=S.RESOLVED,
            permission=CHANGE,
            service=f"{SERVICES}.request_resolve",
            form=f"{FORMS}.ResolveForm",
            serializer=f"{SERIALIZERS}.ServiceRequestResolveSerializer",
            event_type=EventType.REQUEST_RESOLVED,
            success=_("已提交解决，等待客户验收"),
            style="success",
            summary="处理完成，待客户验收（停止升级计时）",
            errors={ServiceErrorCode.RESOLVE_CONDITION_UNCONFIRMED: "维修须先登记经客户确认的维修前后状况（SRV-6）"},
        ),
        Action(
            "acceptance-link",
            _("生成客户验收链接（手机签字评价）"),
            sources=[S.RESOLVED],
            permission=CHANGE,
            service=f"{SERVICES}.acceptance_link_create",
            event_type=EventType.ACCEPTANCE_LINK_CREATED,
            style="outline-primary",
            versioned=False,
            after="salesservice.service.desk_views.show_acceptance_link",
            api=False,  # answers 201 with the one-time token, not the request
        ),
        Action(
            "confirm",
            _("记录客户认可"),
            sources=[S.RESOLVED],
            permission=CHANGE,
            service=f"{SERVICES}.request_confirm",
            form=f"{FORMS}.ConfirmForm",
            serializer=f"{SERIALIZERS}.ServiceRequestConfirmSerializer",
            event_type=EventType.REQUEST_ACCEPTED,
            success=_("已记录客户验收"),
            style="success",
            template="service/desk/_confirm_action.html",
            versioned=False,
            summary="登记客户验收（现场签字/电话确认等，含 1–5 分评价）",
        ),
        Action(
            "reject",
            _("客户不认可"),
            sources=[S.RESOLVED],
            target=S.IN_PROGRESS,
            permission=CHANGE,
            service=f"{SERVICES}.request_reject",
            form=f"{FORMS}.RejectForm",
            serializer=f"{SERIALIZERS}.ServiceRequestRejectSerializer",
            event_type=EventType.REQUEST_REJECTED,
            success=_("客户不认可，已退回处理中"),
            style="outline-danger",
            template="core/_action_inline.html",
            versioned=False,
            summary="客户不认可处理结果（退回处理中，须填原因）",
        ),
        Action(
            "close",
            _("结案"),
            sources=[S.RESOLVED],
            target=S.CLOSED,
            permission="service.close_servicerequest",
            service=f"{SERVICES}.request_close",
            form=f"{FORMS}.CloseForm",
            serializer=f"{SERIALIZERS}.ServiceRequestCloseSerializer",
            event_type=EventType.REQUEST_CLOSED,
            success=_("已结案"),
            style="success",
            summary="结案（须有原因分析、解决方案和客户验收评价；需结案权限）。缺项 → 400 `close.incomplete`",
        ),
        Action(
            "wait-customer",
            _("等待客户"),
            sources=WORKING,
            target=S.WAITING_CUSTOMER,
            permission=CHANGE,
            service=f"{SERVICES}.request_wait_customer",
            form=f"{FORMS}.WaitForm",
            serializer=f"{SERIALIZERS}.ServiceRequestReasonSerializer",
            event_type=EventType.REQUEST_PAUSED,
            success=_("已暂停计时，等待客户"),
            style="outline-warning",
            template="core/_action_inline.html",
            summary="等待客户（暂停 SLA 计时）",
        ),
        Action(
            "resume",
            _("恢复处理"),
            sources=[S.WAITING_CUSTOMER],
            targets=WORKING,
            permission=CHANGE,
            service=f"{SERVICES}.request_resume",
            form=f"{FORMS}.ResumeForm",
            serializer=f"{SERIALIZERS}.ServiceRequestNoteSerializer",
            event_type=EventType.REQUEST_RESUMED,
            success=_("已恢复处理，时限已顺延"),
            template="core/_action_inline.html",
            summary="恢复处理（按暂停的业务时间顺延时限）",
        ),
        Action(
            "cancel",
            _("取消服务单"),
            sources=[S.RECEIVED, S.CONTACTED, S.DISPATCHED],
            target=S.CANCELLED,
            permission=CHANGE,
            service=f"{SERVICES}.request_cancel",
            form=f"{FORMS}.CancelForm",
            serializer=f"{SERIALIZERS}.ServiceRequestReasonSerializer",
            event_type=EventType.REQUEST_CANCELLED,
            success=_("已取消"),
            confirm=_("确定取消该服务单？"),
            style="outline-danger",
            template="core/_action_inline.html",
            summary="取消服务单（开始处理前；须填原因）",
        ),
        Action(
            "to-knowledge",
            _("生成知识库案例草稿"),
            sources=[S.CLOSED],
            permission="service.add_knowledgearticle",
            service=f"{SERVICES}.knowledge_from_request",
            event_type=EventType.KNOWLEDGE_CREATED,
            style="outline-primary",
            versioned=False,
            after="salesservice.service.desk_views.open_knowledge_draft",
            api=False,  # POST /knowledge-articles/from-request/
        ),
    ],
)

KNOWLEDGE_WORKFLOW = Workflow(
    "service.KnowledgeArticle",
    id_kwarg="article_id",
    detail_url="service:knowledge-detail",
    action_url="service:knowledge-action",
    states=[State(KnowledgeStatus.DRAFT, "bg-yellow-lt"), State(KnowledgeStatus.PUBLISHED, "bg-green-lt")],
    actions=[
        Action(
            "publish",
            _("发布"),
            sources=[KnowledgeStatus.DRAFT],
            target=KnowledgeStatus.PUBLISHED,
            permission="service.publish_knowledgearticle",
            service=f"{SERVICES}.knowledge_article_publish",
            serializer=f"{SERIALIZERS}.KnowledgeArticlePublishSerializer",
            event_type=EventType.KNOWLEDGE_PUBLISHED,
            success=_("已发布"),
            style="success",
            summary="发布文章（各门店检索可见）",
        ),
        Action(
            "withdraw",
            _("撤回为草稿"),
            sources=[KnowledgeStatus.PUBLISHED],
            target=KnowledgeStatus.DRAFT,
            permission="service.publish_knowledgearticle",
            service=f"{SERVICES}.knowledge_article_withdraw",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ServiceRequestReasonSerializer",
            event_type=EventType.KNOWLEDGE_WITHDRAWN,
            success=_("已撤回为草稿"),
            style="outline-warning",
            template="core/_action_inline.html",
            versioned=False,
            summary="撤回文章为草稿（须填原因）",
        ),
    ],
)
