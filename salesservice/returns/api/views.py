"""Returns API: `/api/v1/returns/` (RET-1, RET-2).

Reads go through `.visible_to(user)` (out of scope → 404, for actions too); create accepts an
Idempotency-Key and stores the eligibility computed by the rules; every state change is a POST action on
the item calling one service. `GET eligibility/` asks the rules before creating; `GET metrics/` gives the
success rate and handling time per handler or store.
"""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from salesservice.core.api.mixins import IDEMPOTENCY_HEADER, IdempotentCreateMixin, ScopedQuerysetMixin
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN
from salesservice.inspection.models import Nonconformance
from salesservice.service.api.views import ActionPermissions

from .. import selectors, services
from ..choices import ReturnReason, ReturnStatus, SaleChannel
from ..models import ReturnRequest
from ..rules import return_eligibility
from . import serializers as s

STATE_ERRORS = {
    **FORBIDDEN,
    **ERROR_RESPONSES,
    409: OpenApiResponse(description="状态不允许（`status.invalid_transition`）或版本过期（`conflict.stale`）"),
}

RETURN_PERMS = {
    "list": ["returns.view_returnrequest"],
    "retrieve": ["returns.view_returnrequest"],
    "eligibility": ["returns.view_returnrequest"],
    "metrics": ["returns.view_returnrequest"],
    "create": ["returns.add_returnrequest"],
    "approve": ["returns.approve_returnrequest"],
    "reject": ["returns.approve_returnrequest"],
    # Money and goods leave the company: a CS desk or supervisor, not the warehouse or QA (RET-2).
    "refund": ["returns.settle_returnrequest"],
    "exchange": ["returns.settle_returnrequest"],
    "repair": ["returns.settle_returnrequest"],
    "close": ["returns.settle_returnrequest"],
    "*": ["returns.change_returnrequest"],  # receive, inspect, cancel
}


class ReturnRequestFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=ReturnStatus.choices)
    store = filters.NumberFilter(field_name="store_id")
    handler = filters.NumberFilter(field_name="handler_id")
    customer = filters.NumberFilter(field_name="customer_id")
    reason = filters.ChoiceFilter(choices=ReturnReason.choices)
    sale_channel = filters.ChoiceFilter(choices=SaleChannel.choices)
    eligible = filters.BooleanFilter()
    requested_after = filters.IsoDateTimeFilter(field_name="requested_at", lookup_expr="gte")
    requested_before = filters.IsoDateTimeFilter(field_name="requested_at", lookup_expr="lt")
    q = filters.CharFilter(method="search", label="单号 / 客户名称 / 序列号")

    class Meta:
        model = ReturnRequest
        fields = ["status", "store", "handler", "customer", "reason", "sale_channel", "eligible"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(number__icontains=value) | Q(customer__name__icontains=value) | Q(serial_number=value))


def _action(summary, request_serializer, errors=STATE_ERRORS):
    return extend_schema(
        tags=["returns"],
        summary=summary,
        request=request_serializer,
        responses={200: s.ReturnRequestDetailSerializer, **errors},
    )


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
    filterset_class = ReturnRequestFilter
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["requested_at", "number", "closed_at"]
    ordering = ["-requested_at", "-id"]
    http_method_names = ["get", "post", "head", "options"]

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

    def _body(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version", None)
        return values, version

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

    @_action("批准（不符合规则须填特批理由；需审批权限）", s.ReturnRequestApproveSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        obj = self.get_object()
        values, version = self._body(s.ReturnRequestApproveSerializer)
        return self._out(
            services.return_approve(actor=request.user, return_id=obj.pk, expected_version=version, **values)
        )

    @_action("拒绝（须填理由；需审批权限）", s.ReturnRequestReasonSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        obj = self.get_object()
        values, version = self._body(s.ReturnRequestReasonSerializer)
        return self._out(
            services.return_reject(actor=request.user, return_id=obj.pk, expected_version=version, **values)
        )

    @_action("收货并记录商品状况（人为损坏须填协商结果）", s.ReturnRequestReceiveSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        obj = self.get_object()
        values, version = self._body(s.ReturnRequestReceiveSerializer)
        return self._out(
            services.return_receive(actor=request.user, return_id=obj.pk, expected_version=version, **values)
        )

    @_action("检验（存在质量问题 → 自动登记不合格品，SUP-8）", s.ReturnRequestInspectSerializer)
    @action(detail=True, methods=["post"])
    def inspect(self, request, pk=None):
        obj = self.get_object()
        values, version = self._body(s.ReturnRequestInspectSerializer)
        return self._out(
            services.return_inspect(actor=request.user, return_id=obj.pk, expected_version=version, **values)
        )

    @_action("退款（金额须大于 0）", s.ReturnRequestRefundSerializer)
    @action(detail=True, methods=["post"])
    def refund(self, request, pk=None):
        obj = self.get_object()
        values, version = self._body(s.ReturnRequestRefundSerializer)
        return self._out(
            services.return_refund(actor=request.user, return_id=obj.pk, expected_version=version, **values)
        )

    @_action("换货（记录新机序列号）", s.ReturnRequestExchangeSerializer)
    @action(detail=True, methods=["post"])
    def exchange(self, request, pk=None):
        obj = self.get_object()
        values, version = self._body(s.ReturnRequestExchangeSerializer)
        return self._out(
            services.return_exchange(actor=request.user, return_id=obj.pk, expected_version=version, **values)
        )

    @_action("维修完成（须填维修内容）", s.ReturnRequestNoteSerializer)
    @action(detail=True, methods=["post"])
    def repair(self, request, pk=None):
        obj = self.get_object()
        values, version = self._body(s.ReturnRequestNoteSerializer)
        return self._out(
            services.return_repair(actor=request.user, return_id=obj.pk, expected_version=version, **values)
        )

    @_action("结案（计算处理时长）", s.ReturnRequestCloseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        obj = self.get_object()
        values, version = self._body(s.ReturnRequestCloseSerializer)
        return self._out(
            services.return_close(actor=request.user, return_id=obj.pk, expected_version=version, **values)
        )

    @_action("取消（收货前；须填原因）", s.ReturnRequestReasonSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        obj = self.get_object()
        values, version = self._body(s.ReturnRequestReasonSerializer)
        return self._out(
            services.return_cancel(actor=request.user, return_id=obj.pk, expected_version=version, **values)
        )
