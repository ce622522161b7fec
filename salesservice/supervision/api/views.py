"""Supervision API: `/api/v1/supervision-checks/` (create, list, retrieve; `start`, `complete`),
`/api/v1/findings/` (create; `rectify`, `verify`, `close`) and `/api/v1/coordination-issues/` (create;
`resolve`, `close`). Out of scope → 404; refusals 409/400 with a `SupervisionErrorCode` or
`status.invalid_transition`."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status

from salesservice.core.api.mixins import IDEMPOTENCY_HEADER
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN
from salesservice.core.api.workflow import WorkflowDocumentViewSet

from .. import services
from ..filtersets import CheckFilterSet, FindingFilterSet, IssueFilterSet
from ..models import CoordinationIssue, Finding, SupervisionCheck
from ..workflows import CHECK_WORKFLOW, FINDING_WORKFLOW, ISSUE_WORKFLOW
from . import serializers as s

TAGS = ["supervision"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="服务质量检查列表（SUV-1…SUV-3）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.CheckSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TAGS,
        summary="计划服务质量检查（检查清单；店长只能做本店抽查）",
        request=s.CheckCreateSerializer,
        responses={201: s.CheckSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class CheckViewSet(WorkflowDocumentViewSet):
    queryset = SupervisionCheck.objects.all()
    serializer_class = s.CheckSerializer
    required_perms = {
        "list": ["supervision.view_supervisioncheck"],
        "retrieve": ["supervision.view_supervisioncheck"],
        "create": ["supervision.add_supervisioncheck"],
        "*": ["supervision.view_supervisioncheck"],
    }
    filterset_class = CheckFilterSet
    workflow = CHECK_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.CheckSerializer

    def get_queryset(self):
        return (
            SupervisionCheck.objects.visible_to(self.request.user)
            .select_related("org_unit", "checker")
            .prefetch_related("items")
        )

    def create_object(self, request):
        data = s.CheckCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.check_plan(actor=request.user, **data.validated_data)
        return self.respond(created, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="整改项列表（SUV-2；?mine=true 我负责的）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.FindingSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TAGS,
        summary="登记检查发现/整改项（责任人、整改期限）",
        request=s.FindingCreateSerializer,
        responses={201: s.FindingSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class FindingViewSet(WorkflowDocumentViewSet):
    queryset = Finding.objects.all()
    serializer_class = s.FindingSerializer
    required_perms = {
        "list": ["supervision.view_finding"],
        "retrieve": ["supervision.view_finding"],
        "create": ["supervision.add_finding"],
        "*": ["supervision.view_finding"],
    }
    filterset_class = FindingFilterSet
    workflow = FINDING_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.FindingSerializer

    def get_queryset(self):
        return Finding.objects.visible_to(self.request.user).select_related("check_record", "owner")

    def create_object(self, request):
        data = s.FindingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        created = services.finding_raise(actor=request.user, check_id=values.pop("check_record"), **values)
        return self.respond(created, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="跨部门协调事项列表（COM-1）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.IssueSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TAGS,
        summary="登记跨部门协调事项（责任部门、责任人、涉及部门、期限）",
        request=s.IssueCreateSerializer,
        responses={201: s.IssueSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class IssueViewSet(WorkflowDocumentViewSet):
    queryset = CoordinationIssue.objects.all()
    serializer_class = s.IssueSerializer
    required_perms = {
        "list": ["supervision.view_coordinationissue"],
        "retrieve": ["supervision.view_coordinationissue"],
        "create": ["supervision.add_coordinationissue"],
        "*": ["supervision.view_coordinationissue"],
    }
    filterset_class = IssueFilterSet
    workflow = ISSUE_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.IssueSerializer

    def get_queryset(self):
        return CoordinationIssue.objects.visible_to(self.request.user).prefetch_related("departments")

    def create_object(self, request):
        data = s.IssueCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.issue_open(actor=request.user, **data.validated_data)
        return self.respond(created, status.HTTP_201_CREATED)
