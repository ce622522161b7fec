"""Customers API: customers, contacts, qualifications, customer property, consents.

Reads are scoped through `.visible_to(user)` (out of scope → 404); every write calls one service. The
customer-property actions (`return`, `report-incident`) are derived from `PROPERTY_WORKFLOW` (workflows.py)
by `WorkflowActionsMixin`.
"""

import datetime as dt

from django.apps import apps
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from salesservice.core import privacy
from salesservice.core.api.mixins import (
    IDEMPOTENCY_HEADER,
    IdempotentCreateMixin,
    ScopedQuerysetMixin,
)
from salesservice.core.api.viewsets import (
    ERROR_RESPONSES,
    FORBIDDEN,
    ScopedDocumentViewSet,
)
from salesservice.core.api.workflow import WorkflowActionsMixin
from salesservice.core.exceptions import DomainError
from salesservice.core.imports import run_import, template_response

from .. import services
from ..choices import QualificationKind
from ..filtersets import CustomerFilterSet, PropertyFilterSet
from ..imports import customer_import_spec
from ..models import Consent, Contact, Customer, CustomerProperty, PropertyIncident, Qualification
from ..selectors import customer_list
from ..workflows import PROPERTY_WORKFLOW
from . import serializers as s

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PermissionMap(permissions.BasePermission):
    """Per-action permissions: `required_perms = {"list": [...], "reveal": [...], ...}` on the view."""

    def has_permission(self, request, view):
        perms = getattr(view, "required_perms", {}).get(view.action)
        if perms is None:
            perms = getattr(view, "required_perms", {}).get("*", [])
        return request.user.is_authenticated and request.user.has_perms(perms)


# --- customers --------------------------------------------------------------------------


CUSTOMER_PERMS = {
    "list": ["customers.view_customer"],
    "retrieve": ["customers.view_customer"],
    "create": ["customers.add_customer"],
    "partial_update": ["customers.change_customer"],
    "reveal": ["customers.view_customer"],  # the reveal permission itself is checked (and refused) by the service
    "export": ["customers.view_customer"],
    "export_xlsx": ["customers.view_customer"],
    "anonymise": ["customers.view_customer"],
    "buyer_check": ["customers.view_customer"],
    "import_customers": ["customers.add_customer"],
    "import_template": ["customers.add_customer"],
}


@extend_schema_view(
    list=extend_schema(tags=["customers"], summary="客户列表（按门店范围；个人信息脱敏；q 支持中文/全拼/首字母）"),
    retrieve=extend_schema(tags=["customers"], responses={200: s.CustomerSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["customers"],
        request=s.CustomerWriteSerializer,
        responses={201: s.CustomerSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=["customers"],
        request=s.CustomerUpdateSerializer,
        responses={200: s.CustomerSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    ),
)
class CustomerViewSet(ScopedDocumentViewSet):
    queryset = Customer.objects.all()
    serializer_class = s.CustomerSerializer
    permission_classes = [PermissionMap]
    required_perms = CUSTOMER_PERMS
    filterset_class = CustomerFilterSet

    def get_queryset(self):
        return customer_list(self.request.user)

    def create_object(self, request):
        data = s.CustomerWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        customer = services.customer_create(actor=request.user, **data.validated_data)
        return Response(self._fresh(customer), status=status.HTTP_201_CREATED)

    def _fresh(self, customer):
        return s.CustomerSerializer(customer_list(self.request.user).get(pk=customer.pk)).data

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = s.CustomerUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        changes.pop("version", None)
        customer = services.customer_update(
            actor=request.user, customer_id=instance.pk, expected_version=self.expected_version(request), **changes
        )
        return Response(self._fresh(customer))

    @extend_schema(
        tags=["customers"],
        request=s.CustomerRevealRequestSerializer,
        responses={
            200: s.CustomerRevealResponseSerializer,
            403: OpenApiResponse(description="无权查看"),
            **ERROR_RESPONSES,
        },
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """Reveal one masked field in full (SRV-10); each reveal is written to the access log."""
        customer = self.get_object()
        data = s.CustomerRevealRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        field = data.validated_data["field"]
        value = privacy.reveal(
            actor=request.user, obj=customer, field=field, purpose=data.validated_data.get("purpose", "")
        )
        return Response({"field": field, "value": value})

    @extend_schema(
        tags=["customers"],
        summary="导出该客户的全部个人数据（JSON；Excel 见 export-xlsx）",
        responses={200: s.ExportDataSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        """Data-subject access request: everything held about the customer. Needs export_customer_data; logged."""
        customer = self.get_object()
        return Response(services.customer_export_data(actor=request.user, customer=customer))

    @extend_schema(
        tags=["customers"],
        summary="导出该客户的全部个人数据（Excel，每部分一个工作表）",
        responses={(200, XLSX): OpenApiTypes.BINARY, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get"], url_path="export-xlsx")
    def export_xlsx(self, request, pk=None):
        customer = self.get_object()
        data = services.customer_export_data(actor=request.user, customer=customer)
        response = HttpResponse(services.customer_export_workbook(data), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="customer-{customer.code}.xlsx"'
        return response

    @extend_schema(
        tags=["customers"],
        summary="匿名化客户（不可撤销）：各业务模块清除其个人信息，依法须保存的记录限制处理至保存期满",
        request=s.AnonymiseRequestSerializer,
        responses={200: s.AnonymiseResultSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def anonymise(self, request, pk=None):
        customer = self.get_object()
        data = s.AnonymiseRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        customer = services.customer_anonymise(
            actor=request.user, customer_id=customer.pk, reason=data.validated_data["reason"]
        )
        return Response({**self._fresh(customer), **customer.erasure.as_dict()})

    @extend_schema(
        tags=["customers"],
        summary="购货者资格审查：该客户在某日能否购买某商品",
        parameters=[
            OpenApiParameter("product", OpenApiTypes.INT, required=True, description="商品 ID"),
            OpenApiParameter("at", OpenApiTypes.DATE, description="日期，默认今天"),
        ],
        responses={200: s.BuyerCheckSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get"], url_path="buyer-check")
    def buyer_check(self, request, pk=None):
        """BUY-1: the reasons this customer may not buy the product on that day (empty = may buy)."""
        customer = self.get_object()
        raw_at = request.query_params.get("at")
        try:
            at = dt.date.fromisoformat(raw_at) if raw_at else timezone.localdate()
            product_id = int(request.query_params.get("product", ""))
        except ValueError:
            raise DomainError(
                "buyer_check.invalid",
                _("请提供商品 ID（product）和日期 at（YYYY-MM-DD）"),
                fields={"product": [_("必填")]},
            ) from None
        try:
            product_model = apps.get_model("catalog", "Product")
        except LookupError:
            raise NotFound() from None
        if not request.user.has_perm("catalog.view_product"):
            raise NotFound()
        products = product_model._default_manager.all()
        if hasattr(products, "visible_to"):
            products = products.visible_to(request.user)
        product = products.filter(pk=product_id).first()
        if product is None:
            raise NotFound()
        reasons = services.buyer_check(customer, product, at)
        return Response(
            {
                "customer": customer.pk,
                "product": product.pk,
                "device_class": str(getattr(product, "device_class", "none")),
                "at": at,
                "may_buy": not reasons,
                "reasons": [r.as_dict() for r in reasons],
            }
        )

    @extend_schema(
        tags=["customers"],
        summary="Excel 导入客户（逐行校验，返回行号和原因；重复导入不重复建档）",
        request={"multipart/form-data": s.CustomerImportRequestSerializer},
        responses={200: s.CustomerImportReportSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_customers(self, request):
        data = s.CustomerImportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = run_import(customer_import_spec(), actor=request.user, file=data.validated_data["file"])
        return Response(report.as_dict())

    @extend_schema(
        tags=["customers"], summary="下载客户导入模板", responses={(200, XLSX): OpenApiTypes.BINARY, **FORBIDDEN}
    )
    @action(detail=False, methods=["get"], url_path="import-template")
    def import_template(self, request):
        return template_response(customer_import_spec())


# --- contacts ---------------------------------------------------------------------------

CHILD_VIEW = ["customers.view_customer"]
CHILD_CHANGE = ["customers.change_customer"]


@extend_schema_view(
    list=extend_schema(tags=["customers"], summary="客户联系人（脱敏）"),
    retrieve=extend_schema(tags=["customers"], responses={200: s.ContactSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["customers"],
        request=s.ContactWriteSerializer,
        responses={201: s.ContactSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=["customers"],
        request=s.ContactUpdateSerializer,
        responses={200: s.ContactSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    ),
)
class ContactViewSet(ScopedDocumentViewSet):
    queryset = Contact.objects.all()
    serializer_class = s.ContactSerializer
    permission_classes = [PermissionMap]
    required_perms = {"create": CHILD_CHANGE, "partial_update": CHILD_CHANGE, "*": CHILD_VIEW}
    filterset_fields = ["customer", "is_primary"]

    def create_object(self, request):
        data = s.ContactWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contact = services.contact_add(actor=request.user, **data.validated_data)
        return Response(s.ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = s.ContactUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        changes.pop("version", None)
        contact = services.contact_update(
            actor=request.user, contact_id=instance.pk, expected_version=self.expected_version(request), **changes
        )
        return Response(s.ContactSerializer(contact).data)

    @extend_schema(
        tags=["customers"],
        request=s.ContactRevealRequestSerializer,
        responses={
            200: s.CustomerRevealResponseSerializer,
            403: OpenApiResponse(description="无权查看"),
            **ERROR_RESPONSES,
        },
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """Reveal one masked field of a contact; logged (SRV-10)."""
        contact = self.get_object()
        data = s.ContactRevealRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        field = data.validated_data["field"]
        value = privacy.reveal(
            actor=request.user, obj=contact, field=field, purpose=data.validated_data.get("purpose", "")
        )
        return Response({"field": field, "value": value})


# --- qualifications ---------------------------------------------------------------------


class QualificationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=QualificationKind.choices)
    expires_before = filters.DateFilter(field_name="valid_until", lookup_expr="lte", label="有效期至不晚于")
    valid_on = filters.DateFilter(method="filter_valid_on", label="在该日有效")

    class Meta:
        model = Qualification
        fields = ["customer", "kind"]

    def filter_valid_on(self, queryset, name, value):
        return queryset.filter(valid_from__lte=value).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=value))


@extend_schema_view(
    list=extend_schema(tags=["customers"], summary="购货资格（BUY-1）"),
    retrieve=extend_schema(tags=["customers"], responses={200: s.QualificationSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["customers"],
        request={
            "application/json": s.QualificationWriteSerializer,
            "multipart/form-data": s.QualificationWriteSerializer,
        },
        responses={201: s.QualificationSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=["customers"],
        request=s.QualificationUpdateSerializer,
        responses={200: s.QualificationSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    ),
)
class QualificationViewSet(ScopedDocumentViewSet):
    queryset = Qualification.objects.select_related("verified_by")
    serializer_class = s.QualificationSerializer
    filterset_class = QualificationFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "reminder_days": services.qualification_reminder_days()}

    def create_object(self, request):
        data = s.QualificationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        qualification = services.qualification_add(actor=request.user, **data.validated_data)
        return Response(
            s.QualificationSerializer(qualification, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = s.QualificationUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        changes.pop("version", None)
        qualification = services.qualification_update(
            actor=request.user,
            qualification_id=instance.pk,
            expected_version=self.expected_version(request),
            **changes,
        )
        return Response(s.QualificationSerializer(qualification, context=self.get_serializer_context()).data)


# --- customer property ------------------------------------------------------------------


# The actions' permissions (`act_return`, `act_report_incident`) are added from the workflow.
PROPERTY_PERMS = {
    "create": ["customers.add_customerproperty"],
    "partial_update": ["customers.change_customerproperty"],
    "*": ["customers.view_customerproperty"],
}


@extend_schema_view(
    list=extend_schema(tags=["customers"], summary="顾客财产登记簿（CPR-1）"),
    retrieve=extend_schema(tags=["customers"], responses={200: s.CustomerPropertySerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["customers"],
        request=s.PropertyWriteSerializer,
        responses={201: s.CustomerPropertySerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=["customers"],
        request=s.PropertyUpdateSerializer,
        responses={200: s.CustomerPropertySerializer, **FORBIDDEN, **ERROR_RESPONSES},
    ),
)
class CustomerPropertyViewSet(WorkflowActionsMixin, ScopedDocumentViewSet):
    workflow = PROPERTY_WORKFLOW
    workflow_tags = ["customers"]
    workflow_response = s.CustomerPropertySerializer
    queryset = CustomerProperty.objects.select_related("customer").prefetch_related(
        Prefetch("incidents", queryset=PropertyIncident.objects.select_related("reported_by"))
    )
    serializer_class = s.CustomerPropertySerializer
    permission_classes = [PermissionMap]
    required_perms = PROPERTY_PERMS
    filterset_class = PropertyFilterSet

    def _out(self, item):
        return s.CustomerPropertySerializer(self.get_queryset().get(pk=item.pk)).data

    def create_object(self, request):
        data = s.PropertyWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.property_register(actor=request.user, **data.validated_data)
        return Response(self._out(item), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = s.PropertyUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        changes.pop("version", None)
        item = services.property_update(
            actor=request.user, property_id=instance.pk, expected_version=self.expected_version(request), **changes
        )
        return Response(self._out(item))

    def action_response(self, declared, obj, result):
        """`report-incident` answers 201 with the incident; `return` with the item re-read (incidents included)."""
        if isinstance(result, PropertyIncident):
            return Response(s.PropertyIncidentSerializer(result).data, status=declared.response_status)
        return Response(self._out(obj), status=declared.response_status)


# --- consents ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(tags=["customers"], summary="同意记录（撤回而不删除）"),
    retrieve=extend_schema(tags=["customers"], responses={200: s.ConsentSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["customers"],
        request=s.ConsentWriteSerializer,
        responses={201: s.ConsentSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class ConsentViewSet(
    ScopedQuerysetMixin,
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Consent.objects.all()
    serializer_class = s.ConsentSerializer
    permission_classes = [PermissionMap]
    required_perms = {
        "create": ["customers.add_consent"],
        "withdraw": ["customers.change_consent"],
        "*": ["customers.view_consent"],
    }
    filterset_fields = ["customer", "purpose", "channel"]
    http_method_names = ["get", "post", "head", "options"]

    def create_object(self, request):
        data = s.ConsentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consent = services.consent_give(actor=request.user, **data.validated_data)
        return Response(s.ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["customers"],
        summary="撤回同意",
        request=s.ConsentWithdrawSerializer,
        responses={200: s.ConsentSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        consent = self.get_object()
        data = s.ConsentWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consent = services.consent_withdraw(actor=request.user, consent_id=consent.pk, **data.validated_data)
        return Response(s.ConsentSerializer(consent).data)
