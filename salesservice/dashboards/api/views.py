"""`GET /api/v1/compliance-report/?start=…&end=…&unit=…` (issue 16 §4): one entry per clause of the inventory with
its `status` (met, short, no_data), the evidence figures and links to the records. Scoped: `unit` must be in the
reader's scope (404 otherwise); without it the report covers the reader's own scope (HQ: the whole company)."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN

from ..compliance import compliance_report, report_period
from . import serializers as s


class ReportPermission(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("dashboards.view_compliance_report"))


@extend_schema(
    tags=["reports"],
    summary="制度执行合规报告：每条制度条款的结论（达标/未达标/无数据）与取证数据",
    description=(
        "期间 `start`–`end`（含，默认今年 1 月 1 日至今天，最长 3 年），组织单位 `unit`（默认您的范围）。"
        "每条条款给出 `status`：`met` 本期记录全部符合，`short` 有不符合的记录（`shortfalls` 列出），"
        "`no_data` 本期没有可证明的记录或尚无取证规则——无数据绝不算达标。错误码：`report.period_invalid`、"
        "`report.period_too_long`（400），`report.unit_not_found`（404）。"
    ),
    parameters=[
        OpenApiParameter("start", OpenApiTypes.DATE, description="开始日期 YYYY-MM-DD"),
        OpenApiParameter("end", OpenApiTypes.DATE, description="结束日期 YYYY-MM-DD"),
        OpenApiParameter("unit", OpenApiTypes.INT, description="组织单位 ID"),
    ],
    responses={200: s.ComplianceReportSerializer, **FORBIDDEN, 400: ERROR_RESPONSES[400], 404: ERROR_RESPONSES[404]},
)
class ComplianceReportView(APIView):
    permission_classes = [ReportPermission]

    def get(self, request):
        today = timezone.localdate()
        params = request.query_params
        period = report_period(
            request.user,
            start=params.get("start") or today.replace(month=1, day=1),
            end=params.get("end") or today,
            unit_id=params.get("unit"),
        )
        return Response(compliance_report(period).as_dict())
