"""Document-control API (DOC-1): `/api/v1/documents/` (list, retrieve, create with the first draft) and
`/api/v1/documents/versions/` (list, retrieve, create a revision; `submit`, `approve`, `reject`, `issue`,
`supersede`, `withdraw`, `acknowledge` — the kernel's workflow actions; `edit` of a draft; `acknowledgements`,
who has and has not read). Out of scope → 404; refusals 400/403/409 with a `DocumentsErrorCode` or
`status.invalid_transition`."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from salesservice.core.api.mixins import IDEMPOTENCY_HEADER
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN, ActionDocumentViewSet
from salesservice.core.api.workflow import WorkflowDocumentViewSet, version_from

from .. import services
from ..filtersets import DocumentFilterSet, VersionFilterSet
from ..models import Acknowledgement, ControlledDocument, DocumentVersion
from ..workflows import VERSION_WORKFLOW
from . import serializers as s

TAGS = ["documents"]
VIEW = "documents.view_controlleddocument"
PARSERS = [JSONParser, MultiPartParser, FormParser]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="受控文件列表（DOC-1；?kind= ?status= ?clause= ?org_unit= ?q=）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.DocumentSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TAGS,
        summary="建立受控文件（文件编号、条款、须阅读的岗位）及草稿 V1",
        request={"application/json": s.DocumentCreateSerializer, "multipart/form-data": s.DocumentCreateSerializer},
        responses={201: s.DocumentSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class DocumentViewSet(ActionDocumentViewSet):
    queryset = ControlledDocument.objects.all()
    serializer_class = s.DocumentSerializer
    parser_classes = PARSERS
    lookup_value_regex = r"\d+"
    required_perms = {
        "list": [VIEW],
        "retrieve": [VIEW],
        "create": ["documents.add_controlleddocument"],
        "*": [VIEW],
    }
    filterset_class = DocumentFilterSet

    def get_queryset(self):
        versions = DocumentVersion.objects.select_related("document", "author", "approver").prefetch_related(
            "acknowledgements"
        )
        return (
            ControlledDocument.objects.visible_to(self.request.user)
            .select_related("org_unit")
            .prefetch_related("clauses", Prefetch("versions", queryset=versions))
        )

    def create_object(self, request):
        data = s.DocumentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.document_create(actor=request.user, **data.validated_data)
        fresh = self.get_queryset().get(pk=created.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="文件版本列表（?status= ?document=）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.VersionSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TAGS,
        summary="起草新版本（修订；每份文件同时只能有一个未发布的版本）",
        request={"application/json": s.VersionCreateSerializer, "multipart/form-data": s.VersionCreateSerializer},
        responses={201: s.VersionSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class VersionViewSet(WorkflowDocumentViewSet):
    queryset = DocumentVersion.objects.all()
    serializer_class = s.VersionSerializer
    parser_classes = PARSERS
    lookup_value_regex = r"\d+"
    required_perms = {
        "list": [VIEW],
        "retrieve": [VIEW],
        "create": ["documents.change_controlleddocument"],
        "edit": ["documents.change_controlleddocument"],
        "*": [VIEW],
    }
    filterset_class = VersionFilterSet
    workflow = VERSION_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.VersionSerializer

    def get_queryset(self):
        return (
            DocumentVersion.objects.visible_to(self.request.user)
            .select_related("document", "author", "approver")
            .prefetch_related("acknowledgements")
        )

    def create_object(self, request):
        data = s.VersionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        created = services.version_draft(actor=request.user, document_id=values.pop("document"), **values)
        return self.respond(created, status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="修改草稿（修订说明、上传新的文件正文）",
        request={"application/json": s.VersionEditSerializer, "multipart/form-data": s.VersionEditSerializer},
        responses={200: s.VersionSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def edit(self, request, pk=None):
        obj = self.get_object()
        data = s.VersionEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        expected = version_from(request, values)
        services.version_edit(actor=request.user, version_id=obj.pk, expected_version=expected, **values)
        return self.respond(obj)

    @extend_schema(
        tags=TAGS,
        summary="阅读确认情况：须阅读的人员，谁已确认、谁未确认",
        responses={200: s.AcknowledgementSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def acknowledgements(self, request, pk=None):
        obj = self.get_object()
        rows = Acknowledgement.objects.filter(version=obj).select_related("user").order_by("user_id")
        return Response(s.AcknowledgementSerializer(rows, many=True).data)
