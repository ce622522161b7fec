"""Service providers API (NET-*): scoped reads, create (Idempotency-Key), PATCH with version,
status changes through the ladder (illegal move → 409) — `POST …/change-status/` is derived from
`PROVIDER_WORKFLOW` (workflows.py) by `WorkflowActionsMixin` — and violations."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from salesservice.core.api.mixins import (
    IDEMPOTENCY_HEADER,
)
from salesservice.core.api.viewsets import (
    ERROR_RESPONSES,
    FORBIDDEN,
    ActionDocumentViewSet,
    ActionPermissions,
    ScopedDocumentViewSet,
)
from salesservice.core.api.workflow import WorkflowActionsMixin, WorkflowDocumentViewSet

from .. import services
from ..casefile import case_file
from ..evaluations import evaluation_create
from ..filtersets import EvaluationFilterSet, ProviderReportFilterSet, ServiceProviderFilterSet, TechnicianFilterSet
from ..models import ProviderEvaluation, ProviderReport, ProviderTechnician, ServiceProvider
from ..selectors import provider_list
from ..training import technician_add, training_record
from ..workflows import EVALUATION_WORKFLOW, PROVIDER_WORKFLOW
from . import serializers as s

REQUIRED_PERMS = {
    "list": ["network.view_serviceprovider"],
    "retrieve": ["network.view_serviceprovider"],
    "create": ["network.add_serviceprovider"],
    "partial_update": ["network.change_serviceprovider"],
    "act_change_status": ["network.view_serviceprovider", "network.change_provider_status"],
}


class ProviderPermissions(permissions.BasePermission):
    def has_permission(self, request, view):
        perms = REQUIRED_PERMS.get(view.action)
        if view.action in ("sanctions", "case_file"):
            perms = ["network.view_serviceprovider"]
        if view.action == "violations":
            perms = ["network.view_serviceprovider"]
            if request.method == "POST":
                perms.append("network.change_serviceprovider")
        if perms is None:
            perms = ["network.change_serviceprovider"]
        return request.user.is_authenticated and request.user.has_perms(perms)


@extend_schema_view(
    list=extend_schema(tags=["service-providers"], summary="外协网点列表（按服务区域范围）"),
    retrieve=extend_schema(tags=["service-providers"], responses={200: s.ServiceProviderSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["service-providers"],
        request=s.ServiceProviderCreateSerializer,
        responses={201: s.ServiceProviderSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=["service-providers"],
        request=s.ServiceProviderUpdateSerializer,
        responses={200: s.ServiceProviderSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    ),
)
class ServiceProviderViewSet(WorkflowActionsMixin, ScopedDocumentViewSet):
    """Outsourced service points; out of the reader's scope is 404. `change-status` comes from the workflow."""

    workflow = PROVIDER_WORKFLOW
    workflow_tags = ["service-providers"]
    workflow_response = s.ServiceProviderSerializer

    queryset = ServiceProvider.objects.all()
    serializer_class = s.ServiceProviderSerializer
    permission_classes = [permissions.IsAuthenticated, ProviderPermissions]
    filterset_class = ServiceProviderFilterSet

    def get_queryset(self):
        return provider_list(self.request.user)

    def _out(self, pk, status_code=status.HTTP_200_OK):
        provider = self.get_queryset().get(pk=pk)
        return Response(s.ServiceProviderSerializer(provider).data, status=status_code)

    def create_object(self, request):
        data = s.ServiceProviderCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        provider = services.provider_create(actor=request.user, **data.validated_data)
        return self._out(provider.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = s.ServiceProviderUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        services.provider_update(actor=request.user, provider_id=instance.pk, expected_version=version, **changes)
        return self._out(instance.pk)

    def action_response(self, declared, obj, result):
        """An action answers with the provider re-read in the caller's scope (as before the kernel)."""
        return self._out(obj.pk, declared.response_status)

    @extend_schema(
        tags=["service-providers"],
        summary="网点处理通知（警告函、限期整改、停止派工、撤点；最新在前，NET-3）",
        responses={200: s.ProviderSanctionSerializer(many=True), **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def sanctions(self, request, pk=None):
        provider = self.get_object()
        rows = provider.sanctions.select_related("issued_by")
        return Response(s.ProviderSanctionSerializer(rows, many=True).data)

    @extend_schema(
        tags=["service-providers"],
        summary="网点售后案宗：违规、处理通知、周报/月度汇总、技师季度培训与合格率、区域评价、状态变更（按时间，NET-2…NET-5）",
        responses={200: s.CaseFileEntrySerializer(many=True), **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get"], pagination_class=None, url_path="case-file")
    def case_file(self, request, pk=None):
        provider = self.get_object()
        return Response(s.CaseFileEntrySerializer([e.as_dict() for e in case_file(provider)], many=True).data)

    @extend_schema(
        methods=["GET"],
        tags=["service-providers"],
        summary="网点违规记录（最新在前）",
        responses={200: s.ProviderViolationSerializer(many=True), **ERROR_RESPONSES},
    )
    @extend_schema(
        methods=["POST"],
        tags=["service-providers"],
        summary="登记网点违规（NET-1/NET-3）",
        request=s.ProviderViolationCreateSerializer,
        responses={201: s.ProviderViolationSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def violations(self, request, pk=None):
        provider = self.get_object()
        if request.method == "GET":
            rows = provider.violations.select_related("recorded_by")
            return Response(s.ProviderViolationSerializer(rows, many=True).data)
        data = s.ProviderViolationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        violation = services.violation_record(actor=request.user, provider_id=provider.pk, **data.validated_data)
        return Response(s.ProviderViolationSerializer(violation).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=["provider-reports"], summary="外协网点服务质量周报与月度汇总（NET-1、NET-2）"),
    retrieve=extend_schema(tags=["provider-reports"], responses={200: s.ProviderReportSerializer, **ERROR_RESPONSES}),
)
class ProviderReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Archived reports, produced by the scheduler; each reader gets the rows of the providers in scope."""

    queryset = ProviderReport.objects.all()
    serializer_class = s.ProviderReportSerializer
    permission_classes = [ActionPermissions]
    required_perms = {"*": ["network.view_providerreport"]}
    filterset_class = ProviderReportFilterSet


# --- technicians and quarterly training (NET-4) ----------------------------------------------------

TECHNICIAN_TAGS = ["provider-technicians"]


@extend_schema_view(
    list=extend_schema(tags=TECHNICIAN_TAGS, summary="外协网点技师（按网点范围；电话按角色脱敏，NET-4）"),
    retrieve=extend_schema(tags=TECHNICIAN_TAGS, responses={200: s.TechnicianSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TECHNICIAN_TAGS,
        summary="登记网点技师",
        request=s.TechnicianCreateSerializer,
        responses={201: s.TechnicianSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class TechnicianViewSet(ActionDocumentViewSet):
    """Technicians of the providers in the reader's scope (out of scope → 404); `trainings` lists and records
    the quarterly training and test (one per quarter; duplicate → 409 `training.duplicate`)."""

    queryset = ProviderTechnician.objects.all()
    serializer_class = s.TechnicianSerializer
    required_perms = {
        "create": ["network.add_providertechnician"],
        "trainings:POST": ["network.record_technician_training"],
        "*": ["network.view_providertechnician"],
    }
    filterset_class = TechnicianFilterSet

    def get_queryset(self):
        return ProviderTechnician.objects.visible_to(self.request.user).select_related("provider")

    def create_object(self, request):
        data = s.TechnicianCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        technician = technician_add(actor=request.user, **data.service_kwargs(dict(data.validated_data)))
        fresh = self.get_queryset().get(pk=technician.pk)
        return Response(s.TechnicianSerializer(fresh, context=self.get_serializer_context()).data, status=201)

    @extend_schema(
        methods=["GET"],
        tags=TECHNICIAN_TAGS,
        summary="技师的季度培训考核（最新在前）",
        responses={200: s.TrainingSerializer(many=True), **ERROR_RESPONSES},
    )
    @extend_schema(
        methods=["POST"],
        tags=TECHNICIAN_TAGS,
        summary="登记技师本季度培训考核（连续不合格自动停止工作，NET-4）",
        request=s.TrainingCreateSerializer,
        responses={201: s.TrainingSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def trainings(self, request, pk=None):
        technician = self.get_object()
        if request.method == "GET":
            return Response(s.TrainingSerializer(technician.trainings.select_related("technician"), many=True).data)
        data = s.TrainingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        training = training_record(actor=request.user, technician_id=technician.pk, **data.validated_data)
        return Response(s.TrainingSerializer(training).data, status=status.HTTP_201_CREATED)


# --- region evaluations (NET-5) ---------------------------------------------------------------------

EVALUATION_TAGS = ["provider-evaluations"]


@extend_schema_view(
    list=extend_schema(tags=EVALUATION_TAGS, summary="外协网点区域评价（NET-5）"),
    retrieve=extend_schema(tags=EVALUATION_TAGS, responses={200: s.EvaluationSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=EVALUATION_TAGS,
        summary="区域经理起草网点评价（评测项目得分、结论、新建网点/撤点建议）",
        request=s.EvaluationCreateSerializer,
        responses={201: s.EvaluationSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class EvaluationViewSet(WorkflowDocumentViewSet):
    queryset = ProviderEvaluation.objects.all()
    serializer_class = s.EvaluationSerializer
    required_perms = {
        "create": ["network.add_providerevaluation"],
        "*": ["network.view_providerevaluation"],
    }
    filterset_class = EvaluationFilterSet
    workflow = EVALUATION_WORKFLOW
    workflow_tags = EVALUATION_TAGS
    workflow_response = s.EvaluationSerializer

    def get_queryset(self):
        return ProviderEvaluation.objects.visible_to(self.request.user).select_related("provider")

    def create_object(self, request):
        data = s.EvaluationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = evaluation_create(actor=request.user, **data.service_kwargs(dict(data.validated_data)))
        return self.respond(created, status.HTTP_201_CREATED)
