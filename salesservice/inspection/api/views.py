"""Inspection API: `/api/v1/nonconformances/` — list, retrieve, create (receiving/other), `dispose`, `close` (SUP-8).

The action endpoints, their permissions and schema are derived from `NONCONFORMANCE_WORKFLOW` (workflows.py)
by `WorkflowActionsMixin`."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets

from salesservice.core.api.mixins import IDEMPOTENCY_HEADER, IdempotentCreateMixin, ScopedQuerysetMixin
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN, ActionPermissions
from salesservice.core.api.workflow import WorkflowActionsMixin

from .. import services
from ..filtersets import NonconformanceFilterSet
from ..models import Nonconformance
from ..workflows import NONCONFORMANCE_WORKFLOW
from . import serializers as s


@extend_schema_view(
    list=extend_schema(tags=["inspection"], summary="不合格品记录（SUP-8；按单位范围）"),
    retrieve=extend_schema(tags=["inspection"], responses={200: s.NonconformanceSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["inspection"],
        summary="登记不合格品（进货检验/其他；默认总部）",
        request=s.NonconformanceCreateSerializer,
        responses={201: s.NonconformanceSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class NonconformanceViewSet(
    WorkflowActionsMixin,
    ScopedQuerysetMixin,
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Nonconformance.objects.all()
    serializer_class = s.NonconformanceSerializer
    permission_classes = [ActionPermissions]
    required_perms = {
        "list": ["inspection.view_nonconformance"],
        "retrieve": ["inspection.view_nonconformance"],
        "create": ["inspection.add_nonconformance"],
        "*": ["inspection.change_nonconformance"],
    }
    filterset_class = NonconformanceFilterSet
    http_method_names = ["get", "post", "head", "options"]
    workflow = NONCONFORMANCE_WORKFLOW
    workflow_tags = ["inspection"]
    workflow_response = s.NonconformanceSerializer

    def get_queryset(self):
        return Nonconformance.objects.visible_to(self.request.user).select_related(
            "product", "org_unit", "source_return"
        )

    def action_response(self, declared, obj, result):
        """An action answers with the record re-read in scope (with its product, unit and source return)."""
        return self.respond(obj, declared.response_status)

    def create_object(self, request):
        data = s.NonconformanceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.respond(
            services.nonconformance_open(actor=request.user, **data.validated_data), status.HTTP_201_CREATED
        )
