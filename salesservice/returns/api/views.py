"""Returns API: `/api/v1/returns/` (RET-1, RET-2).

Reads go through `.visible_to(user)` (out of scope → 404, for actions too); create accepts an
Idempotency-Key and stores the eligibility computed by the rules; every state change is a POST action on
the item calling one service — the endpoints, their permissions and schema are derived from the workflow
(`RETURN_WORKFLOW`, workflows.py) by `WorkflowActionsMixin`. `GET eligibility/` asks the rules before
creating; `GET metrics/` gives the success rate and handling time per handler or store.
"""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from salesservice.core.api.mixins import IDEMPOTENCY_HEADER, IdempotentCreateMixin, ScopedQuerysetMixin
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN, ActionPermissions
from salesservice.core.api.workflow import WorkflowActionsMixin
from salesservice.inspection.models import Nonconformance

from .. import selectors, services
from ..filtersets import ReturnRequestFilterSet
from ..models import ReturnRequest
from ..rules import return_eligibility
from ..workflows import RETURN_WORKFLOW
from . import serializers as s

# The actions' permissions come from the workflow (WorkflowActionsMixin adds `act_<name>` entries): approve
# and reject need the approve permission; refund, exchange, repair and close the settle permission (money
# and goods leave the company: a CS desk or supervisor, not the warehouse or QA — RET-2).
RETURN_PERMS = {
    "list": ["returns.view_returnrequest"],
    "retrieve": ["returns.view_returnrequest"],
    "eligibility": ["returns.view_returnrequest"],
    "metrics": ["returns.view_returnrequest"],
    "create": ["returns.add_returnrequest"],
    "*": ["returns.change_returnrequest"],
}


@extend_schema_view(
    list=extend_schema(tags=["returns"], summary="退换货单列表（按门店范围）"),
    retrieve=extend_schema(tags=["returns"], responses={200: s.ReturnRequestDetailSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["returns"],
        summary="登记退换货申请（按退换货规则判定资格并保存快照，RET-1）",
        request=s.ReturnRequestCreateSerializer,
        responses={201: s.ReturnRequestDetailSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class ReturnRequestViewSet(
    WorkflowActionsMixin,
    ScopedQuerysetMixin,
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = ReturnRequest.objects.all()
    serializer_class = s.ReturnRequestSerializer
    permission_classes = [ActionPermissions]
    required_perms = RETURN_PERMS
    filterset_class = ReturnRequestFilterSet
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["requested_at", "number", "closed_at"]
    ordering = ["-requested_at", "-id"]
    http_method_names = ["get", "post", "head", "options"]
    workflow = RETURN_WORKFLOW
    workflow_tags = ["returns"]
    workflow_response = s.ReturnRequestDetailSerializer

    def get_queryset(self):
        queryset = selectors.return_request_list(self.request.user)
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch("nonconformances", queryset=Nonconformance.objects.order_by("id"))
            )
        return queryset

    def get_serializer_class(self):
        return s.ReturnRequestSerializer if self.action == "list" else s.ReturnRequestDetailSerializer

    def _out(self, obj, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(s.ReturnRequestDetailSerializer(fresh).data, status=code)

    def action_response(self, declared, obj, result):
        """An action answers with the record re-read as the detail shows it (with its nonconformances)."""
        return self._out(obj, declared.response_status)

    def create_object(self, request):
        data = s.ReturnRequestCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        created = services.return_request_create(actor=request.user, **data.validated_data)
        return self._out(created, status.HTTP_201_CREATED)

    @extend_schema(
        tags=["returns"],
        summary="退换货资格预判（RET-1：是否符合、可得处理、理由与依据条款），不保存",
        parameters=[s.ReturnEligibilityQuerySerializer],
        responses={200: s.ReturnEligibilitySerializer, **FORBIDDEN, 400: ERROR_RESPONSES[400]},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def eligibility(self, request):
        data = s.ReturnEligibilityQuerySerializer(data=request.query_params, context={"request": request})
        data.is_valid(raise_exception=True)
        answer = return_eligibility(**data.validated_data)
        return Response(answer.as_dict())

    @extend_schema(
        tags=["returns"],
        summary="退换货成功率与平均处理时长（按经办人或门店，RET-2）",
        parameters=[s.ReturnMetricsQuerySerializer],
        responses={200: s.ReturnMetricsSerializer, **FORBIDDEN, 400: ERROR_RESPONSES[400]},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def metrics(self, request):
        data = s.ReturnMetricsQuerySerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        rows, total = selectors.return_metrics(
            request.user, start=values["start"], end=values["end"], group_by=values["group_by"]
        )
        body = {
            "start": values["start"],
            "end": values["end"],
            "group_by": values["group_by"],
            "rows": [row.as_dict() for row in rows],
            "total": total.as_dict(),
        }
        return Response(s.ReturnMetricsSerializer(body).data)
