"""Service desk API: `/api/v1/service-requests/` and `/api/v1/knowledge-articles/` (issue 4 contract).

Reads go through `.visible_to(user)` (out of scope → 404, also for actions); each state change is a
POST action on the item calling one service. Illegal moves → 409 `status.invalid_transition`; a
refused dispatch → 409 with the gate's code (`dispatch.uncertified`, `dispatch.provider_stopped` …).
"""

from django.urls import NoReverseMatch, reverse
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from salesservice.core.api.mixins import (
    IDEMPOTENCY_HEADER,
)
from salesservice.core.api.plans import no_related, represent, validated
from salesservice.core.api.viewsets import (
    ERROR_RESPONSES,
    FORBIDDEN,
    ActionPermissions,
    ScopedDocumentViewSet,
)
from salesservice.core.api.workflow import WorkflowActionsMixin
from salesservice.core.input_guards import parse_id

from .. import services
from ..filtersets import KnowledgeArticleFilterSet, ServiceRequestFilterSet
from ..models import AcceptanceLink, Escalation, KnowledgeArticle, ServiceRequest, SlaBreach, WorkRecord
from ..selectors import knowledge_article_list, service_request_list
from ..workflows import KNOWLEDGE_WORKFLOW, REQUEST_WORKFLOW
from . import serializers as s

STATE_ERRORS = {
    **FORBIDDEN,
    **ERROR_RESPONSES,
    409: OpenApiResponse(
        description="状态不允许（`status.invalid_transition`）、版本过期（`conflict.stale`）或业务规则拒绝"
    ),
}

# --- service requests ------------------------------------------------------------------


SERVICE_PERMS = {
    "list": ["service.view_servicerequest"],
    "retrieve": ["service.view_servicerequest"],
    "create": ["service.add_servicerequest"],
    "partial_update": ["service.change_servicerequest"],
    "work_records:GET": ["service.view_servicerequest"],
    "work_records:POST": ["service.add_workrecord"],
    "*": ["service.change_servicerequest"],  # contact, wait-customer, resume, start, resolve, confirm, reject …
}


@extend_schema_view(
    list=extend_schema(
        tags=["service"],
        summary="售后服务单列表（按门店范围；外协网点调度只见派给本网点的单）",
        parameters=[
            OpenApiParameter(
                "ordering",
                str,
                description="排序：received_at, escalation_due_at, first_contact_due_at, number, escalation_level（前加 - 倒序）",
            )
        ],
    ),
    retrieve=extend_schema(tags=["service"], responses={200: s.ServiceRequestDetailSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["service"],
        summary="受理服务请求（SRV-1；按 SLA 日历计算首次联系与升级时限）",
        request=s.ServiceRequestCreateSerializer,
        responses={201: s.ServiceRequestDetailSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=["service"],
        summary="修改服务单登记信息（须带 version 或 If-Match）",
        request=s.ServiceRequestUpdateSerializer,
        responses={200: s.ServiceRequestDetailSerializer, **STATE_ERRORS},
    ),
)
class ServiceRequestViewSet(WorkflowActionsMixin, ScopedDocumentViewSet):
    """Service requests; the state-changing actions (contact, dispatch, start, resolve, confirm, reject, close,
    wait-customer, resume, cancel) come from `REQUEST_WORKFLOW` (core.api.workflow)."""

    workflow = REQUEST_WORKFLOW
    workflow_tags = ["service"]
    workflow_response = s.ServiceRequestDetailSerializer
    queryset = ServiceRequest.objects.all()
    serializer_class = s.ServiceRequestSerializer
    permission_classes = [ActionPermissions]
    required_perms = SERVICE_PERMS
    filterset_class = ServiceRequestFilterSet
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["received_at", "escalation_due_at", "first_contact_due_at", "number", "escalation_level"]
    ordering = ["-received_at", "-id"]

    def get_queryset(self):
        if self.action not in ("list", "retrieve", "partial_update") and self.kwargs.get("pk"):
            # An action only needs the request to exist in scope: its service reads it locked, and the answer
            # re-reads it with the detail's joins (`_out`) — no joins or prefetch for a read nobody shows.
            return ServiceRequest.objects.visible_to(self.request.user)
        queryset = service_request_list(self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("escalations")
        return queryset

    def get_serializer_class(self):
        return s.ServiceRequestDetailSerializer if self.action != "list" else s.ServiceRequestSerializer

    def _out(self, request_obj, code=status.HTTP_200_OK):
        fresh = (
            service_request_list(self.request.user).prefetch_related("escalations").filter(pk=request_obj.pk).first()
        )
        if fresh is None:  # e.g. a provider's dispatcher after the request was re-dispatched elsewhere
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(represent(s.ServiceRequestDetailSerializer, fresh), status=code)

    def create_object(self, request):
        values = validated(s.ServiceRequestCreateSerializer, request.data, {"request": request})
        created = services.service_request_create(actor=request.user, **values)
        # A new request has no breaches or escalations yet, and the service loaded its relations:
        # answer from it by the serializer's plan rather than reading it back (issue 17 §2).
        no_related(created, sla_breaches=SlaBreach, escalations=Escalation)
        return Response(represent(s.ServiceRequestDetailSerializer, created), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = s.ServiceRequestUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        changes.pop("version", None)
        updated = services.service_request_update(
            actor=request.user, request_id=instance.pk, expected_version=self.expected_version(request), **changes
        )
        return self._out(updated)

    def _body(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version", None)
        if version is None and self.request.headers.get("If-Match"):
            version = self.expected_version(self.request)
        return values, version

    def action_response(self, declared, obj, result):
        """Actions answer with the request as read fresh in the caller's scope (204 once it left it)."""
        return self._out(obj)

    @extend_schema(
        tags=["service"],
        summary="生成客户验收链接（一次性，72 小时有效；令牌只显示这一次）",
        request=None,
        responses={201: s.ServiceRequestAcceptanceLinkSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="acceptance-link")
    def acceptance_link(self, request, pk=None):
        obj = self.get_object()
        token = services.acceptance_link_create(actor=request.user, request_id=obj.pk)
        link = AcceptanceLink.objects.get(token_hash=services._token_hash(token))
        try:
            path = reverse("service:acceptance", args=[token])
        except NoReverseMatch:
            path = f"/service/acceptance/{token}/"
        return Response(
            {"url": request.build_absolute_uri(path), "token": token, "expires_at": link.expires_at},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        tags=["service"],
        summary="服务记录（每次上门/处理：时间、地点、人员、措施、维修前后状况、现场规范、配件、照片、带回保管物品）",
        methods=["GET"],
        request=None,
        responses={200: s.ServiceRequestWorkRecordSerializer(many=True), **ERROR_RESPONSES},
    )
    @extend_schema(
        tags=["service"],
        methods=["POST"],
        request={
            "application/json": s.ServiceRequestWorkRecordWriteSerializer,
            "multipart/form-data": s.ServiceRequestWorkRecordWriteSerializer,
        },
        responses={201: s.ServiceRequestWorkRecordSerializer, **STATE_ERRORS},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="work-records",
        parser_classes=[JSONParser, MultiPartParser, FormParser],
        pagination_class=None,
        filter_backends=[],
    )
    def work_records(self, request, pk=None):
        obj = self.get_object()
        if request.method == "GET":
            records = (
                WorkRecord.objects.filter(request=obj).select_related("recorded_by").prefetch_related("custody_items")
            )
            return Response(s.ServiceRequestWorkRecordSerializer(records, many=True).data)
        payload = request.data
        if hasattr(payload, "getlist"):  # multipart: files under "photos", nested lists as JSON strings
            payload = {key: payload.get(key) for key in payload if key != "photos"}
            payload["photos"] = request.FILES.getlist("photos")
            if isinstance(payload.get("custody_items"), str):
                import json

                payload["custody_items"] = json.loads(payload["custody_items"] or "[]")
        data = s.ServiceRequestWorkRecordWriteSerializer(data=payload)
        data.is_valid(raise_exception=True)
        record = services.work_record_add(actor=request.user, request_id=obj.pk, **data.validated_data)
        return Response(s.ServiceRequestWorkRecordSerializer(record).data, status=status.HTTP_201_CREATED)


# --- knowledge base --------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(tags=["knowledge"], summary="知识库文章（FBK-5；q 中文检索）"),
    retrieve=extend_schema(tags=["knowledge"], responses={200: s.KnowledgeArticleSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["knowledge"],
        summary="新建知识库文章（草稿）",
        request=s.KnowledgeArticleWriteSerializer,
        responses={201: s.KnowledgeArticleSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=["knowledge"],
        request=s.KnowledgeArticleUpdateSerializer,
        responses={200: s.KnowledgeArticleSerializer, **STATE_ERRORS},
    ),
)
class KnowledgeArticleViewSet(WorkflowActionsMixin, ScopedDocumentViewSet):
    workflow = KNOWLEDGE_WORKFLOW
    workflow_tags = ["knowledge"]
    workflow_response = s.KnowledgeArticleSerializer
    queryset = KnowledgeArticle.objects.all()
    serializer_class = s.KnowledgeArticleSerializer
    permission_classes = [ActionPermissions]
    required_perms = {
        "create": ["service.add_knowledgearticle"],
        "from_request": ["service.add_knowledgearticle"],
        "partial_update": ["service.change_knowledgearticle"],
        "*": ["service.view_knowledgearticle"],
    }
    filterset_class = KnowledgeArticleFilterSet

    def get_queryset(self):
        return knowledge_article_list(self.request.user)

    def _out(self, article, code=status.HTTP_200_OK):
        return Response(s.KnowledgeArticleSerializer(self.get_queryset().get(pk=article.pk)).data, status=code)

    def create_object(self, request):
        data = s.KnowledgeArticleWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        article = services.knowledge_article_create(actor=request.user, **data.validated_data)
        return self._out(article, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = s.KnowledgeArticleUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        changes.pop("version", None)
        article = services.knowledge_article_update(
            actor=request.user, article_id=instance.pk, expected_version=self.expected_version(request), **changes
        )
        return self._out(article)

    def action_response(self, declared, obj, result):
        return self._out(result)

    @extend_schema(
        tags=["knowledge"],
        summary="由已结案服务单的案例总结生成草稿",
        request=s.KnowledgeFromRequestSerializer,
        responses={201: s.KnowledgeArticleSerializer, **STATE_ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="from-request")
    def from_request(self, request):
        data = s.KnowledgeFromRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        article = services.knowledge_from_request(actor=request.user, request_id=data.validated_data["request"])
        return self._out(article, status.HTTP_201_CREATED)

    @extend_schema(
        tags=["knowledge"],
        summary="相似文章推荐（受理时边输入边提示；仅已发布）",
        parameters=[
            OpenApiParameter("text", str, required=True, description="问题描述"),
            OpenApiParameter("product", int, description="商品 ID"),
            OpenApiParameter("category", str, description="服务类别"),
        ],
        responses={200: s.KnowledgeArticleSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def similar(self, request):
        product = request.query_params.get("product")
        articles = services.similar_articles(
            request.query_params.get("text", ""),
            product=parse_id(product),
            category=request.query_params.get("category") or None,
        )
        return Response(s.KnowledgeArticleSerializer(articles, many=True).data)
