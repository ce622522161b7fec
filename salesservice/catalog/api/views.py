"""Catalog API: products (with sellability and QA flags), categories, acceptance standards."""

import datetime as dt

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from salesservice.core.api.mixins import IDEMPOTENCY_HEADER
from salesservice.core.api.viewsets import ERROR_RESPONSES, DocumentViewSet, ModelPermissions
from salesservice.core.exceptions import DomainError
from salesservice.core.imports import run_import
from salesservice.core.input_guards import sane_date

from .. import services
from ..errors import CatalogErrorCode
from ..filtersets import CategoryFilterSet, InspectionTemplateFilterSet, ProductFilterSet
from ..imports import product_import_spec
from ..models import InspectionItem, InspectionTemplate, Product, ProductCategory, ProductRestriction
from ..sellability import product_sellability, with_restrictions
from . import serializers as s

FORBIDDEN = {403: OpenApiResponse(description="没有权限（如无 catalog.set_product_restriction）")}


class CanSetRestriction(permissions.BasePermission):
    """QA only: marking a product unsellable or lifting the mark (PRD-1)."""

    def has_permission(self, request, view):
        return request.user.has_perm("catalog.set_product_restriction")


def _parse_at(raw: str | None) -> dt.date:
    if not raw:
        return timezone.localdate()
    try:
        at = sane_date(dt.date.fromisoformat(raw))
    except ValueError:
        at = None
    if at is None:
        raise DomainError(
            CatalogErrorCode.SELLABILITY_INVALID_AT,
            _("at 必须是 1900–2100 年之间 YYYY-MM-DD 格式的日期"),
            fields={"at": [_("格式错误")]},
        )
    return at


@extend_schema_view(
    list=extend_schema(tags=["products"], summary="商品列表（含今日是否可销售）"),
    retrieve=extend_schema(tags=["products"], responses={200: s.ProductDetailSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["products"],
        request=s.ProductWriteSerializer,
        responses={201: s.ProductDetailSerializer, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=["products"],
        request=s.ProductUpdateSerializer,
        responses={200: s.ProductDetailSerializer, **ERROR_RESPONSES},
    ),
)
class ProductViewSet(DocumentViewSet):
    """Products are company-wide master data: not org-scoped, but reading needs `catalog.view_product`."""

    queryset = Product.objects.all()
    serializer_class = s.ProductSerializer
    filterset_class = ProductFilterSet

    def get_queryset(self):
        queryset = Product.objects.select_related("category")
        if self.action in {"retrieve", "partial_update", "create"}:
            return queryset.prefetch_related(
                Prefetch(
                    "restrictions",
                    queryset=ProductRestriction.objects.select_related("set_by", "lifted_by", "evidence"),
                )
            )
        return with_restrictions(queryset)

    def get_serializer_class(self):
        return s.ProductDetailSerializer if self.action == "retrieve" else s.ProductSerializer

    def get_permissions(self):
        if self.action in {"restrict", "lift_restriction"}:
            return [permissions.IsAuthenticated(), CanSetRestriction()]
        if self.action == "import_products":
            return [permissions.IsAuthenticated(), ModelPermissions()]
        return super().get_permissions()

    def _detail(self, pk, status_code=status.HTTP_200_OK):
        product = self.get_queryset().get(pk=pk)
        serializer = s.ProductDetailSerializer(product, context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)

    def create_object(self, request):
        data = s.ProductWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_create(actor=request.user, **data.validated_data)
        return self._detail(product.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = s.ProductUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        changes.pop("version", None)
        version = self.expected_version(request)
        services.product_update(actor=request.user, product_id=instance.pk, expected_version=version, **changes)
        return self._detail(instance.pk)

    @extend_schema(
        tags=["products"],
        summary="商品在某日是否可销售及全部原因（PRD-1）",
        parameters=[OpenApiParameter("at", OpenApiTypes.DATE, description="日期 YYYY-MM-DD，默认今天")],
        responses={200: s.ProductSellabilitySerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get"])
    def sellability(self, request, pk=None):
        """Every reason the product may not be sold on `at` (empty list = sellable)."""
        product = self.get_object()
        at = _parse_at(request.query_params.get("at"))
        reasons = product_sellability(product, at)
        return Response({"sellable": not reasons, "at": at, "reasons": [r.as_dict() for r in reasons]})

    @extend_schema(
        tags=["products"],
        summary="标记禁止销售（质量部；可附证据文件）",
        request={
            "multipart/form-data": s.ProductRestrictRequestSerializer,
            "application/json": s.ProductRestrictRequestSerializer,
        },
        responses={201: s.ProductRestrictionSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def restrict(self, request, pk=None):
        """QA marks the product unsellable for one of the cases of seed 002 §6.2 (PRD-1)."""
        product = self.get_object()
        data = s.ProductRestrictRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        restriction = services.product_restrict(
            actor=request.user,
            product_id=product.pk,
            reason_code=data.validated_data["reason_code"],
            reason=data.validated_data["reason"],
            evidence=data.validated_data.get("evidence"),
        )
        return Response(s.ProductRestrictionSerializer(restriction).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["products"],
        summary="解除禁止销售标记（质量部）",
        request=s.ProductRestrictionLiftRequestSerializer,
        responses={200: s.ProductRestrictionSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"], url_path="lift-restriction")
    def lift_restriction(self, request, pk=None):
        """Lift one active flag of this product, with a reason; the flag stays on record."""
        product = self.get_object()
        data = s.ProductRestrictionLiftRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not product.restrictions.filter(pk=data.validated_data["restriction"]).exists():
            raise DomainError(
                CatalogErrorCode.RESTRICTION_NOT_FOUND,
                _("该商品没有这个禁售标记"),
                fields={"restriction": [_("不存在")]},
            )
        restriction = services.product_restriction_lift(
            actor=request.user, restriction_id=data.validated_data["restriction"], reason=data.validated_data["reason"]
        )
        return Response(s.ProductRestrictionSerializer(restriction).data)

    @extend_schema(
        tags=["products"],
        summary="Excel 导入商品（按商品编码新增或更新）",
        request={"multipart/form-data": s.ProductImportRequestSerializer},
        responses={200: s.ProductImportReportSerializer, **ERROR_RESPONSES},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_products(self, request):
        """Import the sheet of the template (`/catalog/products/import/?template=1`); bad rows are reported."""
        data = s.ProductImportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = run_import(product_import_spec(), actor=request.user, file=data.validated_data["file"])
        return Response(report.as_dict())


@extend_schema_view(
    list=extend_schema(tags=["products"], summary="商品分类"),
    retrieve=extend_schema(tags=["products"], responses={200: s.ProductCategorySerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["products"],
        request=s.ProductCategoryCreateSerializer,
        responses={201: s.ProductCategorySerializer, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=["products"],
        request=s.ProductCategoryUpdateSerializer,
        responses={200: s.ProductCategorySerializer, **ERROR_RESPONSES},
    ),
)
class ProductCategoryViewSet(DocumentViewSet):
    queryset = ProductCategory.objects.all()
    serializer_class = s.ProductCategorySerializer
    filterset_class = CategoryFilterSet

    def create_object(self, request):
        data = s.ProductCategoryCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        category = services.category_create(actor=request.user, **data.validated_data)
        return Response(s.ProductCategorySerializer(category).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = s.ProductCategoryUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        category = services.category_update(
            actor=request.user, category_id=instance.pk, expected_version=version, **changes
        )
        return Response(s.ProductCategorySerializer(category).data)


@extend_schema_view(
    list=extend_schema(tags=["products"], summary="验收标准（含验收要点）"),
    retrieve=extend_schema(tags=["products"], responses={200: s.InspectionTemplateSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["products"],
        request=s.InspectionTemplateCreateSerializer,
        responses={201: s.InspectionTemplateSerializer, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=["products"],
        request=s.InspectionTemplateUpdateSerializer,
        responses={200: s.InspectionTemplateSerializer, **ERROR_RESPONSES},
    ),
)
class InspectionTemplateViewSet(DocumentViewSet):
    queryset = InspectionTemplate.objects.all()
    serializer_class = s.InspectionTemplateSerializer
    filterset_class = InspectionTemplateFilterSet

    def get_queryset(self):
        return InspectionTemplate.objects.prefetch_related(
            Prefetch("items", queryset=InspectionItem.objects.order_by("order", "id"))
        )

    def _out(self, pk, status_code=status.HTTP_200_OK):
        return Response(s.InspectionTemplateSerializer(self.get_queryset().get(pk=pk)).data, status=status_code)

    def create_object(self, request):
        data = s.InspectionTemplateCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = services.inspection_template_create(actor=request.user, **data.validated_data)
        return self._out(template.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = s.InspectionTemplateUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        services.inspection_template_update(
            actor=request.user, template_id=instance.pk, expected_version=version, **changes
        )
        return self._out(instance.pk)
