"""API serializers of certifications (input and output kept apart)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from salesservice.catalog.models import ProductCategory
from salesservice.core.models import User

from ..choices import CertificationState
from ..models import Certification


class CertificationSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    state = serializers.ChoiceField(choices=CertificationState.choices, read_only=True, help_text=_("今天的状态"))
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    is_valid = serializers.SerializerMethodField(help_text=_("今天是否有效（可凭此派工）"))
    evidence_name = serializers.CharField(source="evidence.original_name", read_only=True, default=None)
    revoked_by_name = serializers.CharField(source="revoked_by.name", read_only=True, default=None)

    class Meta:
        model = Certification
        fields = [
            "id",
            "user",
            "user_name",
            "category",
            "category_name",
            "certificate_no",
            "issued_by",
            "issued_at",
            "valid_until",
            "state",
            "state_display",
            "is_valid",
            "evidence",
            "evidence_name",
            "notes",
            "revoked_at",
            "revoked_by",
            "revoked_by_name",
            "revoked_reason",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_valid(self, obj) -> bool:
        return obj.state == CertificationState.VALID


class CertificationCreateSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), help_text=_("工程师（用户 id）"))
    category = serializers.PrimaryKeyRelatedField(
        queryset=ProductCategory.objects.all(), help_text=_("商品分类 id（含下级分类）")
    )
    certificate_no = serializers.CharField(max_length=60)
    issued_by = serializers.CharField(max_length=100, required=False, allow_blank=True)
    issued_at = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True, help_text=_("留空表示长期有效"))
    notes = serializers.CharField(required=False, allow_blank=True)
    evidence = serializers.FileField(required=False, help_text=_("证书扫描件（PDF、图片，≤20 MB）"))


class CertificationUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("读取时的版本号；与当前不符返回 409"))
    category = serializers.PrimaryKeyRelatedField(queryset=ProductCategory.objects.all(), required=False)
    certificate_no = serializers.CharField(max_length=60, required=False)
    issued_by = serializers.CharField(max_length=100, required=False, allow_blank=True)
    issued_at = serializers.DateField(required=False)
    valid_until = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class CertificationRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("吊销原因（必填）"))
