"""Purchasing API: `/api/v1/purchase-requisitions/`, `/api/v1/purchase-orders/` (actions `submit`, `approve`,
`reject`, `cancel`, `close`; lines nested on create; PATCH a draft with its version) and `/api/v1/receipts/`
(create against an approved order; actions `inspect`, `put-away`). Reads in the caller's scope (404
otherwise); every state change is a POST action derived from the workflows by `WorkflowActionsMixin`;
refusals are 409 with a code (SUP-2 with the suppliers app's `supplier.*` code)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status

from salesservice.core.api.mixins import (
    IDEMPOTENCY_HEADER,
)
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN, ActionDocumentViewSet
from salesservice.core.api.workflow import WorkflowActionsMixin

from .. import services
from ..filtersets import PurchaseOrderFilterSet, PurchaseRequisitionFilterSet, ReceiptFilterSet
from ..models import PurchaseOrder, PurchaseOrderLine, PurchaseRequisition, Receipt, ReceiptLine
from ..workflows import ORDER_WORKFLOW, RECEIPT_WORKFLOW, REQUISITION_WORKFLOW
from . import serializers as s

TAGS = ["purchasing"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="采购申请列表（按单位范围）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.PurchaseRequisitionSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TAGS,
        summary="新建采购申请（草稿，含明细）",
        request=s.PurchaseRequisitionCreateSerializer,
        responses={201: s.PurchaseRequisitionSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class PurchaseRequisitionViewSet(
    WorkflowActionsMixin,
    ActionDocumentViewSet,
):
    queryset = PurchaseRequisition.objects.all()
    serializer_class = s.PurchaseRequisitionSerializer
    required_perms = {
        "list": ["purchasing.view_purchaserequisition"],
        "retrieve": ["purchasing.view_purchaserequisition"],
        "create": ["purchasing.add_purchaserequisition"],
        "*": ["purchasing.view_purchaserequisition"],
    }
    filterset_class = PurchaseRequisitionFilterSet
    http_method_names = ["get", "post", "head", "options"]
    workflow = REQUISITION_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.PurchaseRequisitionSerializer

    def get_queryset(self):
        return (
            PurchaseRequisition.objects.visible_to(self.request.user)
            .select_related("org_unit")
            .prefetch_related("lines__product")
        )

    def action_response(self, declared, obj, result):
        return self.respond(obj, declared.response_status)

    def create_object(self, request):
        data = s.PurchaseRequisitionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        created = services.requisition_create(
            actor=request.user,
            org_unit=values.get("org_unit"),
            reason=values.get("reason", ""),
            lines=[dict(line) for line in values["lines"]],
        )
        return self.respond(created, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="采购订单列表（状态、供应商、逾期筛选）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.PurchaseOrderSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TAGS,
        summary="新建采购订单/采购合同（草稿，明细嵌套；SUP-4 条款提交前必填）",
        request=s.PurchaseOrderCreateSerializer,
        responses={201: s.PurchaseOrderSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=TAGS,
        summary="修改草稿订单（须带 version 或 If-Match；明细给出则整体替换）",
        request=s.PurchaseOrderUpdateSerializer,
        responses={200: s.PurchaseOrderSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    ),
)
class PurchaseOrderViewSet(
    WorkflowActionsMixin,
    ActionDocumentViewSet,
):
    queryset = PurchaseOrder.objects.all()
    serializer_class = s.PurchaseOrderSerializer
    required_perms = {
        "list": ["purchasing.view_purchaseorder"],
        "retrieve": ["purchasing.view_purchaseorder"],
        "create": ["purchasing.add_purchaseorder"],
        "partial_update": ["purchasing.change_purchaseorder"],
        "*": ["purchasing.view_purchaseorder"],
    }
    filterset_class = PurchaseOrderFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    workflow = ORDER_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.PurchaseOrderSerializer

    def get_queryset(self):
        return (
            PurchaseOrder.objects.visible_to(self.request.user)
            .select_related("supplier", "warehouse")
            .prefetch_related(Prefetch("lines", queryset=PurchaseOrderLine.objects.select_related("product")))
        )

    def action_response(self, declared, obj, result):
        return self.respond(obj, declared.response_status)

    def create_object(self, request):
        data = s.PurchaseOrderCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["lines"] = [dict(line) for line in values["lines"]]
        return self.respond(services.order_create(actor=request.user, **values), status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        order = self.get_object()
        data = s.PurchaseOrderUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("version", None)
        version = self.expected_version(request)  # required: 400 `version.required`
        if "lines" in values:
            values["lines"] = [dict(line) for line in values["lines"]]
        updated = services.order_update(actor=request.user, order_id=order.pk, expected_version=version, **values)
        return self.respond(updated)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="入库验收单列表（待检、已验收、已入库）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.ReceiptSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TAGS,
        summary="登记到货（对已批准订单；批号/序列号/效期按追踪方式；进入待检区，SUP-7）",
        request=s.ReceiptCreateSerializer,
        responses={201: s.ReceiptSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class ReceiptViewSet(
    WorkflowActionsMixin,
    ActionDocumentViewSet,
):
    queryset = Receipt.objects.all()
    serializer_class = s.ReceiptSerializer
    required_perms = {
        "list": ["purchasing.view_receipt"],
        "retrieve": ["purchasing.view_receipt"],
        "create": ["purchasing.add_receipt"],
        "*": ["purchasing.view_receipt"],
    }
    filterset_class = ReceiptFilterSet
    http_method_names = ["get", "post", "head", "options"]
    workflow = RECEIPT_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.ReceiptSerializer

    def get_queryset(self):
        lines = ReceiptLine.objects.select_related("product", "nonconformance").prefetch_related("lots__lot", "checks")
        return (
            Receipt.objects.visible_to(self.request.user)
            .select_related("order", "order__supplier", "warehouse")
            .prefetch_related(Prefetch("lines", queryset=lines))
        )

    def action_response(self, declared, obj, result):
        return self.respond(obj, declared.response_status)

    def create_object(self, request):
        data = s.ReceiptCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        created = services.receipt_create(
            actor=request.user,
            order_id=values["order"],
            delivery_note=values.get("delivery_note", ""),
            note=values.get("note", ""),
            lines=[dict(line) for line in values["lines"]],
        )
        return self.respond(created, status.HTTP_201_CREATED)
