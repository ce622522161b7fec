"""Inventory API (issue 13 contract): `/api/v1/warehouses/`, `/locations/`, `/lots/`, `/stock/` (on hand by
product, lot, location, state; `stock/availability/`), `/stock-moves/`, `/stocktakes/` (create + workflow
actions `start`, `record`, `submit`, `approve`, `return`, `cancel`), `/storage-readings/` (create: entered or
posted by a sensor gateway, INV-1).

Reads go through `.visible_to(user)` (out of scope → 404); refusals of a stock rule are 409 with a code; the
stock count's action endpoints are derived from `STOCK_COUNT_WORKFLOW` by `WorkflowActionsMixin`.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from salesservice.core.api.mixins import IDEMPOTENCY_HEADER, IdempotentCreateMixin, OptimisticUpdateMixin
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN, ActionDocumentViewSet, ActionPermissions
from salesservice.core.api.workflow import WorkflowActionsMixin

from .. import counts, environment, reports, services
from ..filtersets import (
    LocationFilterSet,
    LotFilterSet,
    StockCountFilterSet,
    StockMoveFilterSet,
    StockQuantFilterSet,
    StorageReadingFilterSet,
    WarehouseFilterSet,
)
from ..models import Location, Lot, StockCount, StockMove, StockQuant, StorageReading, Warehouse
from ..workflows import STOCK_COUNT_WORKFLOW
from . import serializers as s

TAGS = ["inventory"]


class _ReadOnly(OptimisticUpdateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ActionPermissions]
    http_method_names = ["get", "head", "options"]


def _reads(perm):
    return {"list": [perm], "retrieve": [perm]}


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="仓库（按组织范围）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.InventoryWarehouseDetailSerializer, **ERROR_RESPONSES}),
)
class WarehouseViewSet(_ReadOnly):
    queryset = Warehouse.objects.all()
    serializer_class = s.InventoryWarehouseSerializer
    required_perms = _reads("inventory.view_warehouse")
    filterset_class = WarehouseFilterSet

    def get_queryset(self):
        queryset = Warehouse.objects.visible_to(self.request.user).select_related("org_unit")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(Prefetch("locations", queryset=Location.objects.order_by("code")))
        return queryset

    def get_serializer_class(self):
        return s.InventoryWarehouseDetailSerializer if self.action == "retrieve" else s.InventoryWarehouseSerializer


@extend_schema_view(list=extend_schema(tags=TAGS, summary="库位"), retrieve=extend_schema(tags=TAGS))
class LocationViewSet(_ReadOnly):
    queryset = Location.objects.all()
    serializer_class = s.InventoryLocationSerializer
    required_perms = _reads("inventory.view_location")
    filterset_class = LocationFilterSet

    def get_queryset(self):
        return Location.objects.visible_to(self.request.user)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="批次（PRD-3：批号/序列号、生产日期、有效期、供应商）"),
    retrieve=extend_schema(tags=TAGS),
)
class LotViewSet(_ReadOnly):
    queryset = Lot.objects.all()
    serializer_class = s.InventoryLotSerializer
    required_perms = _reads("inventory.view_lot")
    filterset_class = LotFilterSet

    def get_queryset(self):
        return Lot.objects.visible_to(self.request.user).select_related("product", "hold_nonconformance")


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="库存：按商品、批次、库位、状态的在库数量（默认不含零库存）"),
    retrieve=extend_schema(tags=TAGS),
)
class StockViewSet(_ReadOnly):
    queryset = StockQuant.objects.all()
    serializer_class = s.StockQuantSerializer
    required_perms = {
        **_reads("inventory.view_stockquant"),
        "availability": ["inventory.view_stockquant"],
        "analysis": ["inventory.view_stockquant"],
    }
    filterset_class = StockQuantFilterSet

    def get_queryset(self):
        return StockQuant.objects.visible_to(self.request.user).select_related(
            "product", "lot", "location", "warehouse"
        )

    @extend_schema(
        tags=TAGS,
        summary="可分配数量（储位中未冻结、未过期的批次；待验/待上架/不合格不计）",
        parameters=[s.StockAvailabilityQuerySerializer],
        responses={
            200: s.StockAvailabilitySerializer,
            **FORBIDDEN,
            400: ERROR_RESPONSES[400],
            404: ERROR_RESPONSES[404],
        },
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def availability(self, request):
        data = s.StockAvailabilityQuerySerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        warehouse = data.validated_data.get("warehouse")
        if warehouse is not None:
            warehouse = services._warehouse(request.user, warehouse)
        product = data.validated_data["product"]
        quants = services.allocatable_quants(product, warehouse).visible_to(request.user)
        total = sum(q.quantity - q.reserved for q in quants.only("quantity", "reserved"))
        body = {"product": product, "warehouse": getattr(warehouse, "pk", None), "available": total}
        return Response(s.StockAvailabilitySerializer(body).data)

    @extend_schema(
        tags=TAGS,
        summary="库存分析（INV-3）：按商品的在库、期间出库、周转次数、可供天数、呆滞、缺货风险与补货建议",
        parameters=[s.StockAnalysisQuerySerializer],
        responses={
            200: s.StockAnalysisSerializer,
            **FORBIDDEN,
            400: ERROR_RESPONSES[400],
            404: ERROR_RESPONSES[404],
        },
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def analysis(self, request):
        data = s.StockAnalysisQuerySerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        query = data.validated_data
        params, rows = reports.stock_analysis(
            actor=request.user,
            start=query.get("start") or None,
            end=query.get("end") or None,
            warehouse=query.get("warehouse"),
            q=query.get("q", ""),
            flag=query.get("flag", ""),
        )
        body = {
            "period_start": params.start,
            "period_end": params.end,
            "days": params.days,
            "slow_moving_days": params.slow_moving_days,
            "lead_time_days": params.lead_time_days,
            "target_cover_days": params.target_cover_days,
            "results": [row.as_dict() for row in rows],
        }
        return Response(s.StockAnalysisSerializer(body).data)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="库存流水（只追加；每条有经办人签名，TRC-3）"),
    retrieve=extend_schema(tags=TAGS),
)
class StockMoveViewSet(_ReadOnly):
    queryset = StockMove.objects.all()
    serializer_class = s.StockMoveSerializer
    required_perms = _reads("inventory.view_stockmove")
    filterset_class = StockMoveFilterSet

    def get_queryset(self):
        return StockMove.objects.visible_to(self.request.user).select_related("actor", "nonconformance")


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="盘点单（INV-2）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.StockCountDetailSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TAGS,
        summary="新建盘点单（草稿）",
        request=s.StockCountCreateSerializer,
        responses={201: s.StockCountDetailSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class StockCountViewSet(
    WorkflowActionsMixin,
    ActionDocumentViewSet,
):
    queryset = StockCount.objects.all()
    serializer_class = s.StockCountSerializer
    required_perms = {
        "list": ["inventory.view_stockcount"],
        "retrieve": ["inventory.view_stockcount"],
        "create": ["inventory.add_stockcount"],
        "*": ["inventory.change_stockcount"],
    }
    filterset_class = StockCountFilterSet
    http_method_names = ["get", "post", "head", "options"]
    workflow = STOCK_COUNT_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.StockCountDetailSerializer

    def get_queryset(self):
        queryset = StockCount.objects.visible_to(self.request.user).select_related("warehouse")
        if self.action != "list":
            queryset = queryset.prefetch_related("lines__location", "lines__lot")
        return queryset

    def get_serializer_class(self):
        return s.StockCountSerializer if self.action == "list" else s.StockCountDetailSerializer

    def action_response(self, declared, obj, result):
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(s.StockCountDetailSerializer(fresh).data, status=declared.response_status)

    def create_object(self, request):
        data = s.StockCountCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = counts.stock_count_create(actor=request.user, **data.validated_data)
        fresh = self.get_queryset().get(pk=created.pk)
        return Response(s.StockCountDetailSerializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="储存环境记录（INV-1）"),
    retrieve=extend_schema(tags=TAGS),
    create=extend_schema(
        tags=TAGS,
        summary="记录温湿度读数（人工或传感器网关）；超出库存商品的储存范围 → 登记不合格品并冻结批次",
        request=s.StorageReadingCreateSerializer,
        responses={201: s.StorageReadingSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class StorageReadingViewSet(IdempotentCreateMixin, _ReadOnly):
    queryset = StorageReading.objects.all()
    serializer_class = s.StorageReadingSerializer
    required_perms = {**_reads("inventory.view_storagereading"), "create": ["inventory.add_storagereading"]}
    filterset_class = StorageReadingFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return StorageReading.objects.visible_to(self.request.user).prefetch_related("nonconformances")

    def create_object(self, request):
        data = s.StorageReadingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        reading = environment.reading_record(
            actor=request.user,
            location=values.pop("location"),
            recorded_at=values.pop("recorded_at", None),
            **values,
        )
        fresh = self.get_queryset().get(pk=reading.pk)
        return Response(s.StorageReadingSerializer(fresh).data, status=status.HTTP_201_CREATED)
