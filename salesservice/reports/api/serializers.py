"""Scheduled reports API shapes (issue 16 §2): the archive list, one report with its figures, deliveries and
download history, and the 「立即生成」 request."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from salesservice.core.api.fields import inline_choice

from ..choices import ReportFormat, ReportKind, RunOutcome
from ..models import ReportDelivery, ReportDownload, ReportRun


class ReportRunSerializer(serializers.ModelSerializer):
    kind = inline_choice(ReportKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    outcome = inline_choice(RunOutcome.choices, read_only=True)
    org_unit = serializers.IntegerField(source="org_unit_id", read_only=True, allow_null=True)
    unit_name = serializers.CharField(read_only=True)
    period_label = serializers.CharField(read_only=True)
    has_files = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = [
            "id",
            "kind",
            "kind_label",
            "period_start",
            "period_end",
            "period_label",
            "org_unit",
            "unit_name",
            "outcome",
            "generated_at",
            "as_of",
            "has_files",
        ]
        read_only_fields = fields

    def get_has_files(self, run) -> bool:
        return bool(run.pdf and run.xlsx)


class ReportFigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.JSONField(allow_null=True, help_text="数值（整数或一位小数），无数据为 null；少数为文字")
    unit = serializers.CharField(allow_blank=True)


class ReportSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    header = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField(allow_null=True)))


class ReportFiguresSerializer(serializers.Serializer):
    summary = ReportFigureSerializer(many=True)
    sections = ReportSectionSerializer(many=True)


class ReportDeliverySerializer(serializers.ModelSerializer):
    recipient_name = serializers.CharField(source="recipient.display_name", read_only=True)

    class Meta:
        model = ReportDelivery
        fields = ["recipient", "recipient_name", "notified_at", "read_at", "downloaded_at"]
        read_only_fields = fields


class ReportDownloadSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.display_name", read_only=True)
    fmt = inline_choice(ReportFormat.choices, read_only=True)

    class Meta:
        model = ReportDownload
        fields = ["user", "user_name", "fmt", "at"]
        read_only_fields = fields


class ReportRunDetailSerializer(ReportRunSerializer):
    figures = serializers.SerializerMethodField()
    error = serializers.CharField(read_only=True)
    deliveries = ReportDeliverySerializer(many=True, read_only=True)
    downloads = ReportDownloadSerializer(many=True, read_only=True)

    class Meta(ReportRunSerializer.Meta):
        fields = [*ReportRunSerializer.Meta.fields, "figures", "error", "deliveries", "downloads"]
        read_only_fields = fields

    @extend_schema_field(ReportFiguresSerializer)
    def get_figures(self, run) -> dict:
        return {"summary": run.figures.get("summary", []), "sections": run.figures.get("sections", [])}


class ReportGenerateRequestSerializer(serializers.Serializer):
    kind = inline_choice(ReportKind.choices)
    date = serializers.DateField(help_text="生成此日期之前一个周期（上周 / 上月）的报告")
    unit = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1, help_text="组织单位 ID；不填为全公司"
    )
