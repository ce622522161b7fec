"""Document-control API serializers (Document… / Version… prefixes: schema components never collide)."""

from rest_framework import serializers

from salesservice.core.api.fields import inline_choice
from salesservice.core.models import OrgUnit

from ..choices import DocumentKind, VersionStatus
from ..models import Acknowledgement, ControlledDocument, DocumentVersion


def _version():
    return serializers.IntegerField(required=False, help_text="可选：读取时的版本；过期 → 409（也可用 If-Match）")


# --- inputs ------------------------------------------------------------------------------------


class DocumentCreateSerializer(serializers.Serializer):
    """DOC-1: a controlled document with its first draft V1 (JSON, or multipart with `file`)."""

    code = serializers.CharField(max_length=40, help_text="文件编号，如 SS-QP-001")
    title = serializers.CharField(max_length=200)
    kind = inline_choice(DocumentKind.choices)
    org_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), help_text="归口单位 id（须在您的范围内）"
    )
    clauses = serializers.ListField(
        child=serializers.CharField(max_length=12), required=False, max_length=100, help_text="覆盖的政策条款，如 SRV-2"
    )
    concerned_roles = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=30, help_text="须阅读的岗位代码"
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    change_summary = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="默认：首次发布"
    )
    file = serializers.FileField(required=False, help_text="文件正文：PDF 或 Word")


class VersionCreateSerializer(serializers.Serializer):
    """DOC-1: a new revision (draft) of a document."""

    document = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="文件 id")
    change_summary = serializers.CharField(max_length=5000)
    file = serializers.FileField(required=False, help_text="文件正文：PDF 或 Word")


class VersionEditSerializer(serializers.Serializer):
    version = _version()
    change_summary = serializers.CharField(max_length=5000)
    file = serializers.FileField(required=False)


class ApproveSerializer(serializers.Serializer):
    version = _version()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, help_text="审批意见")


class DocumentReasonSerializer(serializers.Serializer):
    version = _version()
    reason = serializers.CharField(max_length=500)


class IssueSerializer(serializers.Serializer):
    version = _version()
    effective_date = serializers.DateField(required=False, allow_null=True, help_text="默认今天；不得早于今天")


# --- outputs -----------------------------------------------------------------------------------


class VersionSerializer(serializers.ModelSerializer):
    status = inline_choice(VersionStatus.choices, read_only=True)
    label = serializers.CharField(read_only=True)
    document_code = serializers.CharField(source="document.code", read_only=True)
    author_name = serializers.CharField(source="author.name", read_only=True)
    approver_name = serializers.CharField(source="approver.name", read_only=True, allow_null=True, default=None)
    acknowledged = serializers.SerializerMethodField()
    concerned = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = [
            "id",
            "document",
            "document_code",
            "revision",
            "label",
            "status",
            "change_summary",
            "author",
            "author_name",
            "submitted_at",
            "approver",
            "approver_name",
            "approved_at",
            "approval_note",
            "issued_at",
            "issue_date",
            "effective_date",
            "superseded_by",
            "retired_at",
            "retire_reason",
            "acknowledged",
            "concerned",
            "version",
        ]
        read_only_fields = fields

    def get_acknowledged(self, obj) -> int:
        return sum(1 for row in obj.acknowledgements.all() if row.acknowledged_at)

    def get_concerned(self, obj) -> int:
        return len(obj.acknowledgements.all())


class AcknowledgementSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.name", read_only=True)

    class Meta:
        model = Acknowledgement
        fields = ["id", "version", "user", "user_name", "acknowledged_at", "reminders"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    kind = inline_choice(DocumentKind.choices, read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    clauses = serializers.SerializerMethodField()
    current_version = serializers.SerializerMethodField()
    versions = VersionSerializer(many=True, read_only=True)

    class Meta:
        model = ControlledDocument
        fields = [
            "id",
            "code",
            "title",
            "kind",
            "org_unit",
            "org_unit_name",
            "clauses",
            "concerned_roles",
            "description",
            "current_version",
            "versions",
            "version",
            "created_at",
        ]
        read_only_fields = fields

    def get_clauses(self, obj) -> list[str]:
        return obj.clause_ids

    def get_current_version(self, obj) -> int | None:
        current = obj.current_version()
        return current.pk if current else None
