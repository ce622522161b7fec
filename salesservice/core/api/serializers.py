"""API serializers for the core endpoints (input and output kept apart where they differ)."""

from auditlog.models import LogEntry
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Membership, Notification, OrgUnit, PersonalDataAccess, PolicyParameter, PolicyValue, User
from ..privacy import can_reveal, mask_email, mask_phone
from ..roles import role_label


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    user = serializers.IntegerField()


class OrgUnitSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_display",
            "parent",
            "path",
            "address",
            "phone",
            "is_active",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class OrgUnitCreateSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=OrgUnit._meta.get_field("kind").choices)
    parent = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False, allow_null=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["parent"].queryset = OrgUnit.objects.visible_to(request.user)


class OrgUnitUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("读取时的版本号；与当前不符返回 409"))
    name = serializers.CharField(max_length=100, required=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class MembershipSerializer(serializers.ModelSerializer):
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    role = serializers.CharField(source="role.name", read_only=True)
    role_display = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "org_unit", "org_unit_name", "role", "role_display"]

    def get_role_display(self, obj) -> str:
        return role_label(obj.role.name)


class UserSerializer(serializers.ModelSerializer):
    """A user as others see them: phone and email masked unless the reader may see them."""

    memberships = MembershipSerializer(many=True, read_only=True)
    phone = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "email",
            "phone",
            "employee_no",
            "is_active",
            "memberships",
            "version",
            "date_joined",
        ]
        read_only_fields = fields

    def _full(self, obj) -> bool:
        request = self.context.get("request")
        return request is not None and request.user.pk == obj.pk

    def get_phone(self, obj) -> str:
        return obj.phone if self._full(obj) else mask_phone(obj.phone)

    def get_email(self, obj) -> str:
        return obj.email if self._full(obj) else mask_email(obj.email)


class MeSerializer(UserSerializer):
    permissions = serializers.SerializerMethodField()
    can_reveal_personal_data = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "is_superuser", "permissions", "can_reveal_personal_data"]
        read_only_fields = fields

    def get_permissions(self, obj) -> list[str]:
        return sorted(obj.get_all_permissions())

    def get_can_reveal_personal_data(self, obj) -> bool:
        return can_reveal(obj)


class UserCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(required=False, allow_blank=True, write_only=True, trim_whitespace=False)
    display_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    employee_no = serializers.CharField(max_length=30, required=False, allow_blank=True)


class UserUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("读取时的版本号；与当前不符返回 409"))
    display_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    employee_no = serializers.CharField(max_length=30, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class RevealRequestSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=["phone", "email"])
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RevealResponseSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField()


class PolicyValueSerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField()
    document_version = serializers.IntegerField(
        source="document_ref",
        read_only=True,
        allow_null=True,
        help_text=_("设定该值的受控文件版本 id（DOC-1；初始值为空）"),
    )
    document = serializers.CharField(source="document_label", read_only=True, help_text=_("依据文件：编号、名称、版本"))

    class Meta:
        model = PolicyValue
        fields = [
            "number",
            "value",
            "effective_from",
            "reason",
            "created_by",
            "created_at",
            "document_version",
            "document",
        ]


class PolicyParameterSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField()
    value_type_display = serializers.CharField(source="get_value_type_display", read_only=True)

    class Meta:
        model = PolicyParameter
        fields = [
            "key",
            "name",
            "description",
            "category",
            "value_type",
            "value_type_display",
            "unit",
            "source_clause",
            "source_document",
            "min_value",
            "max_value",
            "version",
            "current",
        ]

    def get_current(self, obj) -> dict | None:
        current = getattr(obj, "current_value", None)
        return PolicyValueSerializer(current).data if current else None


class PolicyUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("读取时的参数版本号；与当前不符返回 409"))
    value = serializers.JSONField()
    effective_from = serializers.DateTimeField(required=False, help_text=_("默认立即生效；不得早于当前时间"))
    reason = serializers.CharField(max_length=200)
    document_version = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        allow_null=True,
        help_text=_(
            "依据的受控文件版本 id：须已批准或已发布并覆盖该参数的条款，否则 400 policy.document_required（DOC-1）"
        ),
    )


class PolicyValueAtSerializer(serializers.Serializer):
    key = serializers.CharField()
    at = serializers.DateTimeField()
    value = serializers.JSONField()
    number = serializers.IntegerField()
    effective_from = serializers.DateTimeField()


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "level", "kind", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class MarkReadResponseSerializer(serializers.Serializer):
    updated = serializers.IntegerField()
    unread = serializers.IntegerField()


class LogEntrySerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    model = serializers.SerializerMethodField()
    action = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()

    class Meta:
        model = LogEntry
        fields = [
            "id",
            "timestamp",
            "actor",
            "action",
            "model",
            "object_pk",
            "object_repr",
            "changes",
            "remote_addr",
            "cid",
            "additional_data",
        ]

    def get_actor(self, obj) -> dict | None:
        if obj.actor_id is None:
            return None
        return {"id": obj.actor_id, "username": obj.actor.username if obj.actor else obj.actor_email}

    def get_model(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    def get_action(self, obj) -> str:
        return {0: "create", 1: "update", 2: "delete", 3: "access"}.get(obj.action, str(obj.action))

    def get_changes(self, obj) -> dict:
        return obj.changes_dict


class AccessLogSerializer(serializers.ModelSerializer):
    user = serializers.StringRelatedField()
    model = serializers.SerializerMethodField()

    class Meta:
        model = PersonalDataAccess
        fields = ["id", "created_at", "user", "model", "target_id", "field", "purpose", "remote_addr", "via"]

    def get_model(self, obj) -> str:
        return f"{obj.target_type.app_label}.{obj.target_type.model}"
