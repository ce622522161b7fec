"""`/api/v1/reports/` (issue 16 §2): the archive of scheduled reports in the reader's scope (out of scope: 404),
one report with its figures, deliveries and download history, the stored PDF or Excel
(`download/?format=pdf|xlsx`, logged), and 「立即生成」 (`POST generate/`)."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN, ActionPermissions

from .. import services
from ..filtersets import ReportRunFilterSet
from ..models import ReportRun
from ..services import CONTENT_TYPES
from . import serializers as s

TAGS = ["reports"]
FORMAT = OpenApiParameter(
    "format", str, OpenApiParameter.QUERY, required=True, enum=["pdf", "xlsx"], description="pdf 或 xlsx"
)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="定期报告存档（按范围；可按类型、组织单位、期间筛选）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.ReportRunDetailSerializer, **ERROR_RESPONSES}),
)
class ReportRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Scheduled reports the reader may see: their org units' and the kinds their role reads."""

    queryset = ReportRun.objects.all()
    serializer_class = s.ReportRunSerializer
    permission_classes = [ActionPermissions]
    required_perms = {"generate": ["reports.generate_report"], "*": ["reports.view_reportrun"]}
    filterset_class = ReportRunFilterSet

    def get_queryset(self):
        queryset = ReportRun.objects.visible_to(self.request.user).select_related("org_unit")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("deliveries__recipient", "downloads__user")
        return queryset

    def get_serializer_class(self):
        return s.ReportRunDetailSerializer if self.action == "retrieve" else s.ReportRunSerializer

    def perform_content_negotiation(self, request, force=False):
        if getattr(self, "action", None) == "download":
            # `?format=` names the file to download here, not a renderer: answer (and refuse) in JSON.
            renderer = self.get_renderers()[0]
            return renderer, renderer.media_type
        return super().perform_content_negotiation(request, force=force)

    @extend_schema(
        tags=TAGS,
        summary="下载报告文件（PDF 或 Excel；记入下载历史）",
        parameters=[FORMAT],
        responses={
            (200, CONTENT_TYPES["pdf"]): OpenApiTypes.BINARY,
            (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
            **FORBIDDEN,
            **ERROR_RESPONSES,
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        run = self.get_object()
        content, content_type, filename = services.report_download(
            actor=request.user, run=run, fmt=request.query_params.get("format", "")
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @extend_schema(
        tags=TAGS,
        summary="立即生成报告（该日期之前的一周或一月；已生成的返回存档）",
        request=s.ReportGenerateRequestSerializer,
        responses={201: s.ReportRunSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=False, methods=["post"])
    def generate(self, request):
        data = s.ReportGenerateRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        run = services.manual_generate(
            actor=request.user, kind=values["kind"], day=values["date"], unit_id=values.get("unit")
        )
        fresh = self.get_queryset().get(pk=run.pk)
        return Response(s.ReportRunSerializer(fresh).data, status=status.HTTP_201_CREATED)
