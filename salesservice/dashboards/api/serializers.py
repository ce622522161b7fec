"""Shapes of the compliance report in the API (documented for clients and checked by Schemathesis)."""

from rest_framework import serializers

STATUSES = [("met", "达标"), ("short", "未达标"), ("no_data", "无数据")]


class FigureSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.JSONField(help_text="数值（整数、小数）或文字")
    unit = serializers.CharField(allow_blank=True)


class RecordLinkSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField(help_text="记录页面的站内路径")


class EvidenceSerializer(serializers.Serializer):
    aspect = serializers.CharField(help_text="取证项")
    status = serializers.ChoiceField(choices=STATUSES)
    figures = FigureSerializer(many=True)
    note = serializers.CharField(allow_blank=True)
    shortfall_count = serializers.IntegerField(help_text="不符合的记录数（完整计数）")
    shortfalls = RecordLinkSerializer(many=True, help_text="不符合的记录（最多 20 条）")
    records_url = serializers.CharField(allow_blank=True, help_text="本期相关记录的列表页面")


class ClauseResultSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="条款编号，如 SRV-2")
    area = serializers.CharField()
    title = serializers.CharField(help_text="条款中文标题")
    text = serializers.CharField(help_text="条款原文（条款清单文件）")
    source = serializers.CharField(help_text="出处（制度文件与章节）")
    marks = serializers.ListField(child=serializers.ChoiceField(choices=["record", "enforce", "measure", "remind"]))
    status = serializers.ChoiceField(
        choices=STATUSES, help_text="met 达标 / short 未达标 / no_data 无数据（绝不算达标）"
    )
    evidence = EvidenceSerializer(many=True)


class SummarySerializer(serializers.Serializer):
    clauses = serializers.IntegerField()
    met = serializers.IntegerField()
    short = serializers.IntegerField()
    no_data = serializers.IntegerField()


class ComplianceReportSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    unit = serializers.IntegerField(allow_null=True)
    unit_name = serializers.CharField()
    as_of = serializers.DateTimeField(help_text="取数时间")
    inventory_version = serializers.CharField(help_text="条款清单文件版本（SHA-256 前 12 位）")
    summary = SummarySerializer()
    clauses = ClauseResultSerializer(many=True)
