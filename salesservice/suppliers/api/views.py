"""Suppliers API: `/api/v1/suppliers/` (+ `qualifications/`, `evaluations/`, `order-check/`, `suspend/`,
`reinstate/`) and `/api/v1/qualified-supplier-lists/` (+ `entries/`, `entries/remove/`, and the workflow's
`submit/`, `approve/`, `return/`). Reads go through `.visible_to(user)` (out of scope → 404, for actions
too); every write calls one service; refusals answer `{code, detail}` (409 for state and stale version)."""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from salesservice.core.api.mixins import (
    IDEMPOTENCY_HEADER,
)
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN, ActionDocumentViewSet
from salesservice.core.api.workflow import WorkflowActionsMixin, version_from

from .. import services
from ..filtersets import QualifiedListFilterSet, SupplierFilterSet
from ..models import QualifiedList, QualifiedListEntry, Supplier, SupplierDocument
from ..workflows import QUALIFIED_LIST_WORKFLOW
from . import serializers as s

TAGS = ["suppliers"]

SUPPLIER_PERMS = {
    "list": ["suppliers.view_supplier"],
    "retrieve": ["suppliers.view_supplier"],
    "create": ["suppliers.add_supplier"],
    "partial_update": ["suppliers.change_supplier"],
    "suspend": ["suppliers.suspend_supplier"],
    "reinstate": ["suppliers.suspend_supplier"],
    "qualifications": ["suppliers.view_supplierdocument"],
    "qualifications:POST": ["suppliers.add_supplierdocument"],
    "evaluations": ["suppliers.view_evaluation"],
    "evaluations:POST": ["suppliers.add_evaluation"],
    "order_check": ["suppliers.view_supplier"],
    "*": ["suppliers.change_supplier"],
}


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="供应商列表（按部门范围）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.SupplierDetailSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TAGS,
        summary="登记供应商（SUP-1）",
        request=s.SupplierCreateSerializer,
        responses={201: s.SupplierDetailSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=TAGS,
        summary="修改供应商（须带 version 或 If-Match）",
        request=s.SupplierUpdateSerializer,
        responses={200: s.SupplierDetailSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    ),
)
class SupplierViewSet(
    ActionDocumentViewSet,
):
    queryset = Supplier.objects.all()
    serializer_class = s.SupplierSerializer
    required_perms = SUPPLIER_PERMS
    filterset_class = SupplierFilterSet
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["number", "name", "standing"]
    ordering = ["number"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = Supplier.objects.visible_to(self.request.user).select_related("org_unit")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("documents", queryset=SupplierDocument.objects.prefetch_related("products"))
            )
        return queryset

    def get_serializer_class(self):
        return s.SupplierSerializer if self.action == "list" else s.SupplierDetailSerializer

    def _out(self, obj, code=status.HTTP_200_OK):
        fresh = (
            Supplier.objects.select_related("org_unit")
            .prefetch_related(Prefetch("documents", queryset=SupplierDocument.objects.prefetch_related("products")))
            .get(pk=obj.pk)
        )
        return Response(s.SupplierDetailSerializer(fresh).data, status=code)

    def create_object(self, request):
        data = s.SupplierCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.supplier_create(actor=request.user, **data.validated_data)
        return self._out(created, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        supplier = self.get_object()
        data = s.SupplierUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("version", None)
        version = self.expected_version(request)  # required: 400 `version.required`
        updated = services.supplier_update(
            actor=request.user, supplier_id=supplier.pk, expected_version=version, **values
        )
        return self._out(updated)

    @extend_schema(
        tags=TAGS,
        summary="暂停向该供应商采购（须填原因；需采购主管权限）",
        request=s.SupplierReasonSerializer,
        responses={200: s.SupplierDetailSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        supplier = self.get_object()
        data = s.SupplierReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        services.supplier_suspend(
            actor=request.user,
            supplier_id=supplier.pk,
            reason=values["reason"],
            expected_version=version_from(request, values),
        )
        return self._out(supplier)

    @extend_schema(
        tags=TAGS,
        summary="恢复采购",
        request=s.SupplierNoteSerializer,
        responses={200: s.SupplierDetailSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        supplier = self.get_object()
        data = s.SupplierNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        services.supplier_reinstate(
            actor=request.user,
            supplier_id=supplier.pk,
            note=values.get("note", ""),
            expected_version=version_from(request, values),
        )
        return self._out(supplier)

    @extend_schema(
        methods=["GET"], tags=TAGS, summary="资质文件列表", responses={200: s.SupplierDocumentSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        tags=TAGS,
        summary="登记资质文件或质量保证协议（SUP-2、SUP-3）",
        request=s.SupplierDocumentCreateSerializer,
        responses={201: s.SupplierDocumentSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def qualifications(self, request, pk=None):
        supplier = self.get_object()
        if request.method == "POST":
            data = s.SupplierDocumentCreateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            document = services.document_add(actor=request.user, supplier=supplier, **data.validated_data)
            return Response(s.SupplierDocumentSerializer(document).data, status=status.HTTP_201_CREATED)
        documents = SupplierDocument.objects.filter(supplier=supplier).prefetch_related("products")
        return Response(s.SupplierDocumentSerializer(documents, many=True).data)

    @extend_schema(
        methods=["GET"], tags=TAGS, summary="评价记录", responses={200: s.SupplierEvaluationSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        tags=TAGS,
        summary="评价供应商（SUP-1：七项指标，部分由执行数据计算；空期间沿用上期结果）",
        request=s.SupplierEvaluationCreateSerializer,
        responses={201: s.SupplierEvaluationSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def evaluations(self, request, pk=None):
        supplier = self.get_object()
        if request.method == "POST":
            data = s.SupplierEvaluationCreateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            evaluation = services.evaluation_record(actor=request.user, supplier=supplier, **data.validated_data)
            return Response(s.SupplierEvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)
        rows = supplier.evaluations.order_by("-period_end", "-id")[:100]
        return Response(s.SupplierEvaluationSerializer(rows, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="能否向该供应商采购某商品（SUP-1、SUP-2：阻止原因与提示）",
        parameters=[s.SupplierOrderCheckQuerySerializer],
        responses={200: s.SupplierOrderCheckSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get"], url_path="order-check", pagination_class=None, filter_backends=[])
    def order_check(self, request, pk=None):
        supplier = self.get_object()
        data = s.SupplierOrderCheckQuerySerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        reasons = services.order_check(supplier, data.validated_data["product"])
        warnings = services.order_warnings(supplier)
        body = {
            "allowed": not reasons,
            "reasons": [r.as_dict() for r in reasons],
            "warnings": [w.as_dict() for w in warnings],
        }
        return Response(s.SupplierOrderCheckSerializer(body).data)


LIST_PERMS = {
    "list": ["suppliers.view_qualifiedlist"],
    "retrieve": ["suppliers.view_qualifiedlist"],
    "create": ["suppliers.add_qualifiedlist"],
    "*": ["suppliers.change_qualifiedlist"],
}


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="合格供方名单（各版本）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.QualifiedListDetailSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TAGS,
        summary="新编合格供方名单（默认复制现行名单，SUP-2）",
        request=s.QualifiedListCreateSerializer,
        responses={201: s.QualifiedListDetailSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class QualifiedListViewSet(
    WorkflowActionsMixin,
    ActionDocumentViewSet,
):
    queryset = QualifiedList.objects.all()
    serializer_class = s.QualifiedListSerializer
    required_perms = LIST_PERMS
    filterset_class = QualifiedListFilterSet
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["created_at", "approved_at", "number"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "head", "options"]
    workflow = QUALIFIED_LIST_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.QualifiedListDetailSerializer

    def get_queryset(self):
        queryset = QualifiedList.objects.visible_to(self.request.user)
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "entries",
                    queryset=QualifiedListEntry.objects.select_related("supplier").prefetch_related(
                        "products", "categories"
                    ),
                )
            )
        return queryset

    def get_serializer_class(self):
        return s.QualifiedListSerializer if self.action == "list" else s.QualifiedListDetailSerializer

    def _out(self, obj, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(s.QualifiedListDetailSerializer(fresh).data, status=code)

    def action_response(self, declared, obj, result):
        return self._out(obj, declared.response_status)

    def create_object(self, request):
        data = s.QualifiedListCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.qualified_list_create(actor=request.user, **data.validated_data)
        return self._out(created, status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="设置名单条目（供应商及其获准供应的商品/类别；仅草稿）",
        request=s.QualifiedListEntryInputSerializer,
        responses={200: s.QualifiedListDetailSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def entries(self, request, pk=None):
        qualified_list = self.get_object()
        data = s.QualifiedListEntryInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = version_from(request, values)
        services.qualified_list_set_entry(
            actor=request.user, list_id=qualified_list.pk, expected_version=version, **values
        )
        return self._out(qualified_list)

    @extend_schema(
        tags=TAGS,
        summary="从名单移除供应商（仅草稿）",
        request=s.QualifiedListEntryRemoveSerializer,
        responses={200: s.QualifiedListDetailSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"], url_path="entries/remove")
    def remove_entry(self, request, pk=None):
        qualified_list = self.get_object()
        data = s.QualifiedListEntryRemoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = version_from(request, values)
        services.qualified_list_remove_entry(
            actor=request.user, list_id=qualified_list.pk, supplier=values["supplier"], expected_version=version
        )
        return self._out(qualified_list)
