"""Trace API (TRC-2): `GET /api/v1/trace/?lot=…|serial=…|customer=…`, `/api/v1/recalls/` (list, retrieve,
create + workflow actions `launch`, `close`, `cancel`) and `/api/v1/recall-tasks/` (list, retrieve + actions
`contact`, `recover`, `complete`, `unreachable`).

Reads go through `.visible_to(user)` (out of scope → 404); refusals are 409 with a code; the action endpoints are
derived from the workflows by `WorkflowActionsMixin`.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from salesservice.core.api.mixins import IDEMPOTENCY_HEADER, OptimisticUpdateMixin, ScopedQuerysetMixin
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN, ActionDocumentViewSet, ActionPermissions
from salesservice.core.api.workflow import WorkflowActionsMixin
from salesservice.core.exceptions import DomainError, NotFoundError

from .. import selectors, services
from ..errors import TraceErrorCode as E
from ..models import RecallCampaign, RecallLot, RecallTask, RecallTaskLot
from ..workflows import RECALL_TASK_WORKFLOW, RECALL_WORKFLOW
from . import serializers as s

TAGS = ["trace"]


class TracePermission(BasePermission):
    """The trace reads GSP sales records: `sales.view_salesrecord`."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("sales.view_salesrecord"))


@extend_schema(
    tags=TAGS,
    summary="批次追溯（TRC-2）：批号/序列号 → 收货客户与供货路径；客户 → 所收批次",
    description=(
        "给出 `lot`（批次 ID 或批号）、`serial`（序列号）、`customer`（客户 ID）之一。按您的组织范围读取 GSP 销售记录："
        "出库 → 发货单 → 销售订单/合同 → 客户；并向后追溯 入库验收单 → 采购订单 → 供应商。"
        "错误码：`trace.query_required`、`trace.query_ambiguous`、`trace.query_invalid`（400），"
        "`trace.lot_not_found`、`trace.customer_not_found`（404）。"
    ),
    parameters=[
        OpenApiParameter("lot", OpenApiTypes.STR, description="批次 ID 或批号"),
        OpenApiParameter("serial", OpenApiTypes.STR, description="序列号"),
        OpenApiParameter("customer", OpenApiTypes.INT, description="客户 ID"),
    ],
    responses={200: s.TraceResultSerializer, **FORBIDDEN, 400: ERROR_RESPONSES[400], 404: ERROR_RESPONSES[404]},
)
class TraceView(APIView):
    permission_classes = [TracePermission]

    def get(self, request):
        given = {key: request.query_params.get(key, "").strip() for key in ("lot", "serial", "customer")}
        given = {key: value for key, value in given.items() if value}
        if not given:
            raise DomainError(E.QUERY_REQUIRED, _("请给出批号（lot）、序列号（serial）或客户（customer）之一"))
        if len(given) > 1:
            raise DomainError(
                E.QUERY_AMBIGUOUS, _("批号、序列号、客户只能给出一个"), fields={k: [_("只能给出一个")] for k in given}
            )
        query = s.TraceQuerySerializer(data=given)
        if not query.is_valid():
            raise DomainError(E.QUERY_INVALID, _("查询参数无效"), fields=query.errors)
        values = query.validated_data
        if "customer" in values:
            result = selectors.trace_customer(request.user, values["customer"])
            if result is None:
                raise NotFoundError(E.CUSTOMER_NOT_FOUND, _("客户不存在或不在您的范围内"))
        else:
            result = selectors.trace_lots(request.user, lot=values.get("lot", ""), serial=values.get("serial", ""))
            if result is None:
                raise NotFoundError(E.LOT_NOT_FOUND, _("批号/序列号不存在或不在您的范围内"))
        data = s.TraceResultSerializer(result, context={"request": request, "revealed": result.revealed}).data
        return Response(data)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="召回（TRC-2）"),
    retrieve=extend_schema(
        tags=TAGS,
        summary="召回详情：批次、任务进度与对账（发货 = 收回 + 未收回；在库）",
        responses={200: s.RecallDetailSerializer, **ERROR_RESPONSES},
    ),
    create=extend_schema(
        tags=TAGS,
        summary="新建召回（草稿）：原因、级别、召回批次",
        request=s.RecallCreateSerializer,
        responses={201: s.RecallDetailSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class RecallViewSet(WorkflowActionsMixin, ActionDocumentViewSet):
    queryset = RecallCampaign.objects.all()
    serializer_class = s.RecallSerializer
    required_perms = {
        "list": ["trace.view_recallcampaign"],
        "retrieve": ["trace.view_recallcampaign"],
        "create": ["trace.add_recallcampaign"],
        "*": ["trace.view_recallcampaign"],
    }
    filterset_fields = ["status", "level"]
    http_method_names = ["get", "post", "head", "options"]
    workflow = RECALL_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.RecallDetailSerializer

    def get_queryset(self):
        queryset = RecallCampaign.objects.visible_to(self.request.user).select_related("org_unit")
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch("recall_lots", queryset=RecallLot.objects.select_related("lot__product").order_by("id"))
            )
        return queryset

    def get_serializer_class(self):
        return s.RecallSerializer if self.action == "list" else s.RecallDetailSerializer

    def action_response(self, declared, obj, result):
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(s.RecallDetailSerializer(fresh).data, status=declared.response_status)

    def create_object(self, request):
        data = s.RecallCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.recall_create(actor=request.user, **data.validated_data)
        fresh = self.get_queryset().get(pk=created.pk)
        return Response(s.RecallDetailSerializer(fresh).data, status=status.HTTP_201_CREATED)


class _TaskBase(
    ScopedQuerysetMixin,
    OptimisticUpdateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [ActionPermissions]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="召回任务：按客户联系、登记收回（TRC-2）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.RecallTaskDetailSerializer, **ERROR_RESPONSES}),
)
class RecallTaskViewSet(WorkflowActionsMixin, _TaskBase):
    queryset = RecallTask.objects.all()
    serializer_class = s.RecallTaskSerializer
    required_perms = {
        "list": ["trace.view_recalltask"],
        "retrieve": ["trace.view_recalltask"],
        "*": ["trace.work_recalltask"],
    }
    filterset_fields = ["campaign", "status", "customer"]
    http_method_names = ["get", "post", "head", "options"]
    workflow = RECALL_TASK_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.RecallTaskDetailSerializer

    def get_queryset(self):
        queryset = RecallTask.objects.visible_to(self.request.user).select_related("campaign", "customer", "assignee")
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch("task_lots", queryset=RecallTaskLot.objects.select_related("lot").order_by("id"))
            )
        return queryset

    def get_serializer_class(self):
        return s.RecallTaskSerializer if self.action == "list" else s.RecallTaskDetailSerializer

    def action_response(self, declared, obj, result):
        fresh = self.get_queryset().get(pk=obj.pk)
        data = s.RecallTaskDetailSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=declared.response_status)
