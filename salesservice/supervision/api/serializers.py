"""Supervision API serializers (Check… / Finding… / Issue… prefixes: schema components never collide)."""

from rest_framework import serializers

from salesservice.core.api.fields import inline_choice
from salesservice.core.models import OrgUnit, User

from ..choices import CheckMethod, CheckStatus, FindingStatus, IssueStatus, ItemResult, Severity
from ..models import CheckItem, CoordinationIssue, Finding, SupervisionCheck

ID_MAX = 2**31 - 1


def _version():
    return serializers.IntegerField(required=False, help_text="可选：读取时的版本；过期 → 409（也可用 If-Match）")


# --- inputs ------------------------------------------------------------------------------------


class CheckCreateSerializer(serializers.Serializer):
    """SUV-1 / SUV-3: plan a check (the store manager: only `spot_check`, in its store)."""

    org_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), help_text="被检查单位 id")
    method = inline_choice(CheckMethod.choices)
    title = serializers.CharField(max_length=200)
    planned_on = serializers.DateField()
    items = serializers.ListField(
        child=serializers.CharField(max_length=300), min_length=1, max_length=200, help_text="检查清单（每项一条）"
    )


class CheckResultInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="items[].id")
    result = inline_choice(ItemResult.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, help_text="不合格必填")


class CheckCompleteSerializer(serializers.Serializer):
    """SUV-2: every item's result; each failed item raises a finding."""

    version = _version()
    results = CheckResultInputSerializer(many=True)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    improvements = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    finding_owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, help_text="默认：门店店长"
    )
    rectification_deadline = serializers.DateField(required=False, allow_null=True, help_text="默认：7 天后")

    def service_kwargs(self, values: dict) -> dict:
        values["results"] = [dict(row) for row in values.get("results", [])]
        return values


class FindingCreateSerializer(serializers.Serializer):
    """SUV-2: a finding of a check, recorded by the checker."""

    check_record = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="检查 id")
    description = serializers.CharField(max_length=5000)
    severity = inline_choice(Severity.choices, required=False)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), help_text="整改责任人 id")
    deadline = serializers.DateField(help_text="整改期限")


class FindingRectifySerializer(serializers.Serializer):
    version = _version()
    rectification = serializers.CharField(max_length=5000, help_text="整改措施")


class FindingVerifySerializer(serializers.Serializer):
    version = _version()
    passed = serializers.BooleanField(help_text="true：通过 → 已验证；false：退回待整改（须写 note）")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class IssueCreateSerializer(serializers.Serializer):
    """COM-1: a cross-department issue."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)
    responsible_department = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    responsible_person = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    departments = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), many=True, required=False)
    deadline = serializers.DateField()


class IssueResolveSerializer(serializers.Serializer):
    version = _version()
    resolution = serializers.CharField(max_length=5000)


# --- outputs -----------------------------------------------------------------------------------


class CheckItemSerializer(serializers.ModelSerializer):
    result = inline_choice(ItemResult.choices, read_only=True)

    class Meta:
        model = CheckItem
        fields = ["id", "position", "text", "result", "note"]
        read_only_fields = fields


class CheckSerializer(serializers.ModelSerializer):
    status = inline_choice(CheckStatus.choices, read_only=True)
    method = inline_choice(CheckMethod.choices, read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    checker_name = serializers.CharField(source="checker.name", read_only=True)
    items = CheckItemSerializer(many=True, read_only=True)

    class Meta:
        model = SupervisionCheck
        fields = [
            "id",
            "number",
            "org_unit",
            "org_unit_name",
            "method",
            "title",
            "planned_on",
            "checker",
            "checker_name",
            "status",
            "started_at",
            "completed_at",
            "summary",
            "improvements",
            "items",
            "version",
        ]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    status = inline_choice(FindingStatus.choices, read_only=True)
    severity = inline_choice(Severity.choices, read_only=True)
    check_number = serializers.CharField(source="check_record.number", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "number",
            "check_record",
            "check_number",
            "item",
            "org_unit",
            "description",
            "severity",
            "owner",
            "owner_name",
            "deadline",
            "status",
            "rectification",
            "rectified_at",
            "rectified_by",
            "verified_at",
            "verified_by",
            "verification_note",
            "closed_at",
            "version",
        ]
        read_only_fields = fields


class IssueSerializer(serializers.ModelSerializer):
    status = inline_choice(IssueStatus.choices, read_only=True)

    class Meta:
        model = CoordinationIssue
        fields = [
            "id",
            "number",
            "title",
            "description",
            "responsible_department",
            "responsible_person",
            "departments",
            "deadline",
            "status",
            "resolution",
            "resolved_at",
            "closed_at",
            "escalated_at",
            "version",
        ]
        read_only_fields = fields
