"""`GET /api/v1/dashboards/{area}/?unit=…&start=…&end=…` (issue 16 §1): one management dashboard — KPIs with the
list page of the records behind each, chart series, the breakdown one level down (HQ → regions, region → stores,
store → staff). Same period and unit rules as the compliance report: `report.period_invalid`,
`report.period_too_long` (400), `report.unit_not_found` (404, also a unit outside the reader's scope)."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN

from ..areas import AREAS, area_data
from ..compliance import report_period

NUMBER = {"allow_null": True, "help_text": "数值；无可计算的记录时为 null（显示“—”，不是 0）"}


class DashboardKpiSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="稳定的指标键，如 first_contact_on_time")
    label = serializers.CharField()
    value = serializers.FloatField(**NUMBER)
    unit = serializers.CharField(allow_blank=True, help_text="单位：% 单 件 元 天 …")
    url = serializers.CharField(allow_blank=True, help_text="记录列表页面（站内路径，已按期间、单位、状态过滤）")
    note = serializers.CharField(allow_blank=True)


class DashboardSeriesSerializer(serializers.Serializer):
    name = serializers.CharField()
    data = serializers.ListField(child=serializers.FloatField(allow_null=True))


class DashboardChartSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    type = serializers.ChoiceField(choices=["bar", "line", "pie"])
    categories = serializers.ListField(child=serializers.CharField())
    series = DashboardSeriesSerializer(many=True)
    urls = serializers.ListField(
        child=serializers.CharField(allow_blank=True), help_text="每个类别的记录列表（可为空）"
    )


class DashboardColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)


class DashboardRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="组织单位 ID 或人员 ID（层级见 level）")
    name = serializers.CharField()
    values = serializers.ListField(child=serializers.FloatField(allow_null=True), help_text="与 columns 顺序一致")


class DashboardBreakdownSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["region", "store", "staff"])
    level_label = serializers.CharField()
    columns = DashboardColumnSerializer(many=True)
    rows = DashboardRowSerializer(many=True)


class DashboardPeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class DashboardUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    area = serializers.ChoiceField(choices=list(AREAS.items()))
    title = serializers.CharField()
    period = DashboardPeriodSerializer()
    unit = DashboardUnitSerializer(allow_null=True, help_text="null：全公司")
    level = serializers.ChoiceField(choices=["region", "store", "staff"])
    kpis = DashboardKpiSerializer(many=True)
    charts = DashboardChartSerializer(many=True)
    breakdown = DashboardBreakdownSerializer()


class DashboardPermission(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("dashboards.view_dashboards"))


@extend_schema(
    tags=["reports"],
    summary="管理看板：售后服务 / 客户闭环 / 销售与交付 / 供应与库存 / 人员与网络",
    description=(
        "期间 `start`–`end`（含，默认本月 1 日至今天，最长 3 年），组织单位 `unit`（默认您的范围；总部看全公司）。"
        "层级随单位：全公司按区部分解，区部按门店，门店按人员。每个指标带 `url`：背后记录的列表页面。"
        "错误码：`report.period_invalid`、`report.period_too_long`（400），`report.unit_not_found`（404）；"
        "未知的 `area` 为 404。"
    ),
    parameters=[
        OpenApiParameter("area", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(AREAS), description="看板领域"),
        OpenApiParameter("start", OpenApiTypes.DATE, description="开始日期 YYYY-MM-DD"),
        OpenApiParameter("end", OpenApiTypes.DATE, description="结束日期 YYYY-MM-DD"),
        OpenApiParameter("unit", OpenApiTypes.INT, description="组织单位 ID"),
    ],
    responses={200: DashboardSerializer, **FORBIDDEN, 400: ERROR_RESPONSES[400], 404: ERROR_RESPONSES[404]},
)
class DashboardView(APIView):
    permission_classes = [DashboardPermission]

    def get(self, request, area: str):
        if area not in AREAS:
            raise Http404
        today = timezone.localdate()
        params = request.query_params
        period = report_period(
            request.user,
            start=params.get("start") or today.replace(day=1),
            end=params.get("end") or today,
            unit_id=params.get("unit"),
        )
        return Response(area_data(area, period))
