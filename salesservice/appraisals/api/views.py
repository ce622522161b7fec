"""Appraisals API: `/api/v1/kpis/` (KPI definitions; HR creates and updates), `/api/v1/appraisal-cycles/` (list,
retrieve with progress counts) and `/api/v1/appraisals/` (list, retrieve; `self-evaluate`, `evaluate`, `finalise`).
Out of scope → 404; refusals 403/409/400 with an `AppraisalsErrorCode` or `status.invalid_transition`."""

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from salesservice.core.api.mixins import IDEMPOTENCY_HEADER, if_match_version
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN, ActionDocumentViewSet, ActionPermissions
from salesservice.core.api.workflow import WorkflowActionsMixin

from .. import services
from ..choices import AppraisalStatus as A
from ..models import Appraisal, AppraisalCycle, KpiDefinition
from ..workflows import APPRAISAL_WORKFLOW
from . import serializers as s

TAGS = ["appraisals"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="考核指标列表（KPI-1、KPI-2、KPI-6）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.KpiSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TAGS,
        summary="新增考核指标（人力资源；岗位启用权重合计不超过 100%）",
        request=s.KpiCreateSerializer,
        responses={201: s.KpiSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=TAGS,
        summary="修改考核指标（人力资源；version 或 If-Match）",
        request=s.KpiUpdateSerializer,
        responses={200: s.KpiSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    ),
)
class KpiViewSet(ActionDocumentViewSet):
    queryset = KpiDefinition.objects.all()
    serializer_class = s.KpiSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    required_perms = {
        "list": ["appraisals.view_kpidefinition"],
        "retrieve": ["appraisals.view_kpidefinition"],
        "create": ["appraisals.add_kpidefinition"],
        "partial_update": ["appraisals.change_kpidefinition"],
        "*": ["appraisals.view_kpidefinition"],
    }
    filterset_fields = ["post", "metric", "active"]

    def get_queryset(self):
        return KpiDefinition.objects.all()

    def create_object(self, request):
        data = s.KpiCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.kpi_create(actor=request.user, **data.validated_data)
        return Response(s.KpiSerializer(created).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        kpi = self.get_object()
        data = s.KpiUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version", None)
        if version is None:
            version = if_match_version(request)
        updated = services.kpi_update(actor=request.user, kpi_id=kpi.pk, expected_version=version, **values)
        return Response(s.KpiSerializer(updated).data)


def cycles_with_progress(queryset):
    return queryset.annotate(
        total=Count("appraisals"),
        finalised=Count("appraisals", filter=Q(appraisals__status=A.FINALISED)),
        pending_self=Count("appraisals", filter=Q(appraisals__status=A.PENDING_SELF)),
        pending_supervisor=Count("appraisals", filter=Q(appraisals__status=A.PENDING_SUPERVISOR)),
    )


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="考核周期列表及进度（KPI-3）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.CycleSerializer, **ERROR_RESPONSES}),
)
class CycleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = AppraisalCycle.objects.all()
    serializer_class = s.CycleSerializer
    permission_classes = [ActionPermissions]
    required_perms = {"*": ["appraisals.view_appraisalcycle"]}
    filterset_fields = ["kind", "status"]

    def get_queryset(self):
        return cycles_with_progress(AppraisalCycle.objects.all()).order_by("-period_start", "kind")


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="考核列表（KPI-4、KPI-5；员工只见本人，上级见范围内）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.AppraisalSerializer, **ERROR_RESPONSES}),
)
class AppraisalViewSet(WorkflowActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Appraisal.objects.all()
    serializer_class = s.AppraisalSerializer
    permission_classes = [ActionPermissions]
    required_perms = {"*": ["appraisals.view_own_appraisal"]}
    filterset_fields = ["cycle", "status", "appraisee", "grade"]
    workflow = APPRAISAL_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.AppraisalSerializer

    def get_queryset(self):
        return (
            Appraisal.objects.visible_to(self.request.user)
            .select_related("cycle", "appraisee")
            .prefetch_related("lines")
            .order_by("-cycle__period_start", "appraisee_id")
        )

    def action_response(self, declared, obj, result):
        return self.respond(obj, declared.response_status)
