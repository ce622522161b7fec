"""Customers API serializers. Outputs mask personal data; inputs take full values (SRV-10)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from salesservice.core import privacy
from salesservice.core.api.fields import inline_choice  # noqa: F401  (re-exported: older imports)
from salesservice.core.choices import OrgUnitKind
from salesservice.core.models import OrgUnit, User

from ..choices import (
    ConsentChannel,
    ConsentPurpose,
    CustomerType,
    DeviceClassScope,
    IncidentKind,
    InformChannel,
    PropertyKind,
    PropertyStatus,
    QualificationKind,
)
from ..models import Consent, Contact, Customer, CustomerProperty, PropertyIncident, Qualification


class MaskedField(serializers.Field):
    """A personal-data field shown masked (`138****0000`); POST `reveal/` for the full value."""

    def __init__(self, kind: str, **kwargs):
        self.kind = kind
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return privacy.mask(self.kind, value or "")


MaskedField = extend_schema_field(OpenApiTypes.STR)(MaskedField)


class CustomerSerializer(serializers.ModelSerializer):
    customer_type = inline_choice(CustomerType.choices, read_only=True)
    customer_type_label = serializers.CharField(source="get_customer_type_display", read_only=True)
    store_name = serializers.CharField(source="store.name", read_only=True)
    sales_rep_name = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    phone = MaskedField("phone", help_text="脱敏；完整值请调用 reveal")
    email = MaskedField("email", help_text="脱敏")
    address = MaskedField("address", help_text="脱敏")
    id_number = MaskedField("id_number", help_text="脱敏")

    class Meta:
        model = Customer
        fields = [
            "id",
            "code",
            "customer_type",
            "customer_type_label",
            "name",
            "pinyin_full",
            "pinyin_initials",
            "store",
            "store_name",
            "sales_rep",
            "sales_rep_name",
            "is_key_account",
            "tags",
            "preferences",
            "special_needs",
            "notes",
            "phone",
            "email",
            "address",
            "id_number",
            "is_active",
            "is_anonymised",
            "anonymised_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_sales_rep_name(self, obj) -> str:
        return obj.sales_rep.name if obj.sales_rep_id else ""

    def get_tags(self, obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]


class CustomerWriteSerializer(serializers.Serializer):
    customer_type = inline_choice(CustomerType.choices)
    name = serializers.CharField(max_length=100)
    store = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.filter(kind=OrgUnitKind.STORE))
    sales_rep = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    is_key_account = serializers.BooleanField(required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=30), required=False)
    preferences = serializers.CharField(required=False, allow_blank=True)
    special_needs = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class CustomerUpdateSerializer(CustomerWriteSerializer):
    version = serializers.IntegerField(help_text="读取时的版本；过期 → 409 conflict.stale")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class CustomerRevealRequestSerializer(serializers.Serializer):
    field = inline_choice([(f, f) for f in ("phone", "email", "address", "id_number")])
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ContactRevealRequestSerializer(CustomerRevealRequestSerializer):
    field = inline_choice([(f, f) for f in ("phone", "email", "address")])


class CustomerRevealResponseSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField()


class AnonymiseRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ErasedItemSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="记录类别")
    count = serializers.IntegerField(help_text="清除了个人信息的记录数")


class RestrictedItemSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="记录类别")
    count = serializers.IntegerField(help_text="依法保留、限制处理的记录数")
    retained_until = serializers.DateField(allow_null=True, help_text="保存期至；空表示永久保存")
    forever = serializers.BooleanField()


class AnonymiseResultSerializer(CustomerSerializer):
    """The anonymised customer, plus what was erased and what is kept under legal retention until when (TRC-4)."""

    erased = ErasedItemSerializer(many=True, read_only=True)
    restricted = RestrictedItemSerializer(many=True, read_only=True)

    class Meta(CustomerSerializer.Meta):
        fields = [*CustomerSerializer.Meta.fields, "erased", "restricted"]


class BuyerCheckReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class BuyerCheckSerializer(serializers.Serializer):
    customer = serializers.IntegerField()
    product = serializers.IntegerField()
    device_class = serializers.CharField()
    at = serializers.DateField()
    may_buy = serializers.BooleanField()
    reasons = BuyerCheckReasonSerializer(many=True)


class CustomerImportReportSerializer(serializers.Serializer):
    class CustomerImportRowErrorSerializer(serializers.Serializer):
        row = serializers.IntegerField()
        message = serializers.CharField()

    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = CustomerImportRowErrorSerializer(many=True)


class CustomerImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="按模板填写的 .xlsx")


class ExportDataSerializer(serializers.Serializer):
    """Everything held about one customer (PIPL); each section a list of rows."""

    exported_at = serializers.DateTimeField()
    exported_by = serializers.CharField()
    customer = serializers.DictField()
    contacts = serializers.ListField(child=serializers.DictField())
    qualifications = serializers.ListField(child=serializers.DictField())
    property = serializers.ListField(child=serializers.DictField())
    incidents = serializers.ListField(child=serializers.DictField())
    consents = serializers.ListField(child=serializers.DictField())
    events = serializers.ListField(child=serializers.DictField())
    records = serializers.DictField(
        child=serializers.ListField(child=serializers.DictField()),
        help_text="其他业务模块的记录，按类别（售后服务单、投诉、退换货单、回访、问卷答复、客户意见 …）",
    )


# --- contacts ---------------------------------------------------------------------------


class ContactSerializer(serializers.ModelSerializer):
    phone = MaskedField("phone")
    email = MaskedField("email")
    address = MaskedField("address")

    class Meta:
        model = Contact
        fields = ["id", "customer", "name", "phone", "email", "address", "position", "is_primary", "version"]
        read_only_fields = fields


class ContactWriteSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    name = serializers.CharField(max_length=60)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    position = serializers.CharField(max_length=60, required=False, allow_blank=True)
    is_primary = serializers.BooleanField(required=False)


class ContactUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    name = serializers.CharField(max_length=60, required=False)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    position = serializers.CharField(max_length=60, required=False, allow_blank=True)
    is_primary = serializers.BooleanField(required=False)


# --- qualifications ---------------------------------------------------------------------


class QualificationSerializer(serializers.ModelSerializer):
    kind = inline_choice(QualificationKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    scope_classes = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    verified_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Qualification
        fields = [
            "id",
            "customer",
            "kind",
            "kind_label",
            "number",
            "scope_classes",
            "issuing_authority",
            "valid_from",
            "valid_until",
            "state",
            "verified_by",
            "verified_by_name",
            "verified_at",
            "notes",
            "reminded_for",
            "version",
        ]
        read_only_fields = fields

    def get_scope_classes(self, obj) -> list[str]:
        return [c for c in DeviceClassScope.values if c in obj.classes]

    def get_state(self, obj) -> str:
        """valid / expiring / expired / not_yet_valid today."""
        from django.utils import timezone

        return obj.state_on(timezone.localdate(), self.context.get("reminder_days", 30))

    def get_verified_by_name(self, obj) -> str:
        return obj.verified_by.name if obj.verified_by_id else ""


class QualificationWriteSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    kind = inline_choice(QualificationKind.choices)
    number = serializers.CharField(max_length=80)
    scope_classes = serializers.ListField(child=inline_choice(DeviceClassScope.choices), required=False)
    issuing_authority = serializers.CharField(max_length=100, required=False, allow_blank=True)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True, help_text="留空 = 长期有效")
    notes = serializers.CharField(required=False, allow_blank=True)
    evidence = serializers.FileField(required=False, help_text="证照扫描件（multipart）")


class QualificationUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    kind = inline_choice(QualificationKind.choices, required=False)
    number = serializers.CharField(max_length=80, required=False)
    scope_classes = serializers.ListField(child=inline_choice(DeviceClassScope.choices), required=False)
    issuing_authority = serializers.CharField(max_length=100, required=False, allow_blank=True)
    valid_from = serializers.DateField(required=False)
    valid_until = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


# --- property ---------------------------------------------------------------------------


class PropertyIncidentSerializer(serializers.ModelSerializer):
    kind = inline_choice(IncidentKind.choices, read_only=True)
    informed_how = inline_choice(InformChannel.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    reported_by_name = serializers.CharField(source="reported_by.name", read_only=True)

    class Meta:
        model = PropertyIncident
        fields = [
            "id",
            "property",
            "kind",
            "kind_label",
            "description",
            "reported_by",
            "reported_by_name",
            "reported_at",
            "customer_informed_at",
            "informed_how",
        ]
        read_only_fields = fields


class CustomerPropertySerializer(serializers.ModelSerializer):
    kind = inline_choice(PropertyKind.choices, read_only=True)
    status = inline_choice(PropertyStatus.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    incidents = PropertyIncidentSerializer(many=True, read_only=True)

    class Meta:
        model = CustomerProperty
        fields = [
            "id",
            "customer",
            "customer_name",
            "kind",
            "kind_label",
            "description",
            "identifier",
            "received_at",
            "location",
            "condition",
            "holder",
            "status",
            "status_label",
            "returned_at",
            "notes",
            "incidents",
            "version",
        ]
        read_only_fields = fields


class PropertyWriteSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    kind = inline_choice(PropertyKind.choices)
    description = serializers.CharField(max_length=200)
    identifier = serializers.CharField(max_length=80, required=False, allow_blank=True)
    received_at = serializers.DateTimeField(required=False)
    location = serializers.CharField(max_length=100, required=False, allow_blank=True)
    condition = serializers.CharField(max_length=200, required=False, allow_blank=True)
    holder = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class PropertyUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    kind = inline_choice(PropertyKind.choices, required=False)
    description = serializers.CharField(max_length=200, required=False)
    identifier = serializers.CharField(max_length=80, required=False, allow_blank=True)
    location = serializers.CharField(max_length=100, required=False, allow_blank=True)
    condition = serializers.CharField(max_length=200, required=False, allow_blank=True)
    holder = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class PropertyIncidentRequestSerializer(serializers.Serializer):
    kind = inline_choice(IncidentKind.choices)
    description = serializers.CharField()
    customer_informed_at = serializers.DateTimeField(required=False, allow_null=True)
    informed_how = inline_choice(InformChannel.choices, required=False, allow_blank=True)


class PropertyReturnRequestSerializer(serializers.Serializer):
    returned_at = serializers.DateTimeField(required=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


# --- consents ---------------------------------------------------------------------------


class ConsentSerializer(serializers.ModelSerializer):
    purpose = inline_choice(ConsentPurpose.choices, read_only=True)
    channel = inline_choice(ConsentChannel.choices, read_only=True)
    purpose_label = serializers.CharField(source="get_purpose_display", read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "customer",
            "purpose",
            "purpose_label",
            "channel",
            "channel_label",
            "given_at",
            "withdrawn_at",
            "is_active",
            "recorded_by",
            "withdrawn_by",
            "notes",
        ]
        read_only_fields = fields


class ConsentWriteSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    purpose = inline_choice(ConsentPurpose.choices)
    channel = inline_choice(ConsentChannel.choices)
    given_at = serializers.DateTimeField(required=False)
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ConsentWithdrawSerializer(serializers.Serializer):
    withdrawn_at = serializers.DateTimeField(required=False)
