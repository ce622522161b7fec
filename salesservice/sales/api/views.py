"""Sales API: `/api/v1/quotations/`, `/api/v1/contracts/` (actions `submit-review`, `review`, `approve`,
`return`, `sign`, `amend`, `complete`, `cancel`), `/api/v1/sales-orders/` (actions `review`, `confirm`,
`allocate`, `ship`, `close`, `cancel`), `/api/v1/receivables/` (action `pay`) and `/api/v1/sales-records/`
(the GSP record, read-only). Reads in the caller's scope (404 otherwise); every state change is a POST
action derived from the workflows; refusals are 409 with a code and, for the sales gate, `fields.reasons`."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from salesservice.core.api.mixins import IDEMPOTENCY_HEADER, ScopedQuerysetMixin
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN, ActionPermissions
from salesservice.core.api.workflow import WorkflowDocumentViewSet

from .. import services
from ..filtersets import (
    ContractFilterSet,
    QuotationFilterSet,
    ReceivableFilterSet,
    SalesOrderFilterSet,
    SalesRecordFilterSet,
)
from ..models import (
    Contract,
    ContractLine,
    Quotation,
    QuotationLine,
    Receivable,
    SalesOrder,
    SalesOrderLine,
    SalesRecord,
)
from ..workflows import CONTRACT_WORKFLOW, ORDER_WORKFLOW, QUOTATION_WORKFLOW
from . import serializers as s

TAGS = ["sales"]


def _lines(values):
    if values.get("lines"):
        values["lines"] = [dict(line) for line in values["lines"]]
    return values


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="报价单列表"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.QuotationSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TAGS,
        summary="新建报价单（草稿；有效期默认按政策；折扣决定价格审批级别 SAL-2）",
        request=s.QuotationCreateSerializer,
        responses={201: s.QuotationSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class QuotationViewSet(WorkflowDocumentViewSet):
    queryset = Quotation.objects.all()
    serializer_class = s.QuotationSerializer
    required_perms = {"create": ["sales.add_quotation"], "*": ["sales.view_quotation"]}
    filterset_class = QuotationFilterSet
    workflow = QUOTATION_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.QuotationSerializer

    def get_queryset(self):
        return (
            Quotation.objects.visible_to(self.request.user)
            .select_related("customer")
            .prefetch_related(Prefetch("lines", queryset=QuotationLine.objects.select_related("product")))
        )

    def create_object(self, request):
        data = s.QuotationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.respond(services.quotation_create(actor=request.user, **_lines(dict(data.validated_data))), 201)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="销售合同列表"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.ContractSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TAGS,
        summary="新建合同草稿（可从报价单或招投标转入；交付、验收、付款条款提交评审前必填 SAL-1）",
        request=s.ContractCreateSerializer,
        responses={201: s.ContractSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class ContractViewSet(WorkflowDocumentViewSet):
    queryset = Contract.objects.all()
    serializer_class = s.ContractSerializer
    required_perms = {"create": ["sales.add_contract"], "*": ["sales.view_contract"]}
    filterset_class = ContractFilterSet
    workflow = CONTRACT_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.ContractSerializer

    def get_queryset(self):
        return (
            Contract.objects.visible_to(self.request.user)
            .select_related("customer")
            .prefetch_related(
                Prefetch("lines", queryset=ContractLine.objects.select_related("product")), "reviews", "amendments"
            )
        )

    def create_object(self, request):
        data = s.ContractCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.respond(services.contract_create(actor=request.user, **_lines(dict(data.validated_data))), 201)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="销售订单列表"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.SalesOrderSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TAGS,
        summary="录入销售订单（可从已签合同或已批准报价转入；BUY-2 记录销售授权）",
        request=s.OrderCreateSerializer,
        responses={201: s.SalesOrderSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class SalesOrderViewSet(WorkflowDocumentViewSet):
    queryset = SalesOrder.objects.all()
    serializer_class = s.SalesOrderSerializer
    required_perms = {"create": ["sales.add_salesorder"], "*": ["sales.view_salesorder"]}
    filterset_class = SalesOrderFilterSet
    workflow = ORDER_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.SalesOrderSerializer

    def get_queryset(self):
        return (
            SalesOrder.objects.visible_to(self.request.user)
            .select_related("customer")
            .prefetch_related(Prefetch("lines", queryset=SalesOrderLine.objects.select_related("product")), "steps")
        )

    def create_object(self, request):
        data = s.OrderCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.respond(services.order_create(actor=request.user, **_lines(dict(data.validated_data))), 201)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="应收款列表（DEL-5：按合同付款条款，逾期筛选）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.ReceivableSerializer, **ERROR_RESPONSES}),
)
class ReceivableViewSet(ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Receivable.objects.all()
    serializer_class = s.ReceivableSerializer
    permission_classes = [ActionPermissions]
    required_perms = {"pay": ["sales.record_payment"], "*": ["sales.view_receivable"]}
    filterset_class = ReceivableFilterSet

    def get_queryset(self):
        return Receivable.objects.visible_to(self.request.user).select_related("customer").prefetch_related("payments")

    @extend_schema(
        tags=TAGS,
        summary="登记回款（0 < 金额 ≤ 未收；日期不晚于今天）",
        request=s.PaymentInputSerializer,
        responses={200: s.ReceivableSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        receivable = self.get_object()
        data = s.PaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version", None)
        services.payment_record(actor=request.user, receivable_id=receivable.pk, expected_version=version, **values)
        return Response(s.ReceivableSerializer(self.get_queryset().get(pk=receivable.pk)).data)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="GSP 销售记录（TRC-1；电话、地址脱敏）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.SalesRecordSerializer, **ERROR_RESPONSES}),
)
class SalesRecordViewSet(
    ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = SalesRecord.objects.all()
    serializer_class = s.SalesRecordSerializer
    permission_classes = [ActionPermissions]
    required_perms = {"*": ["sales.view_salesrecord"]}
    filterset_class = SalesRecordFilterSet

    def get_queryset(self):
        return SalesRecord.objects.visible_to(self.request.user)
