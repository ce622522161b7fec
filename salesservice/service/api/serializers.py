"""Service desk API serializers. Outputs mask personal data (SRV-10); inputs are parsed, then one service runs.

Names carry a ServiceRequest…/Knowledge… prefix so schema components never collide with other apps'.
"""

import json

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from salesservice.catalog.models import Product, ProductCategory
from salesservice.core.api.fields import inline_choice
from salesservice.core.choices import OrgUnitKind
from salesservice.core.models import OrgUnit, User
from salesservice.customers.api.serializers import MaskedField
from salesservice.customers.choices import PropertyKind
from salesservice.customers.models import Customer
from salesservice.network.models import ServiceProvider

from ..choices import (
    AcceptanceMethod,
    Channel,
    DispatchMode,
    KnowledgeStatus,
    ServiceCategory,
    ServiceRequestStatus,
    SlaClock,
    WarrantyStatus,
)
from ..models import Acceptance, Escalation, KnowledgeArticle, ServiceRequest, SlaBreach, WorkRecord

CONDITION_SCHEMA = {
    "type": "object",
    "properties": {
        "appearance": {"type": "string", "description": "外观"},
        "function": {"type": "string", "description": "功能"},
        "performance": {"type": "string", "description": "性能"},
    },
    "additionalProperties": False,
}


@extend_schema_field(CONDITION_SCHEMA)
class ConditionField(serializers.Field):
    """The product's condition {appearance, function, performance}; a JSON string is accepted in multipart."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            if not data.strip():
                return {}
            try:
                data = json.loads(data)
            except ValueError:
                return {"appearance": data}
        if not isinstance(data, dict):
            raise serializers.ValidationError("须为 {appearance, function, performance}")
        return data

    def to_representation(self, value):
        return value or {}


# --- outputs -----------------------------------------------------------------------------


class ServiceRequestSlaBreachSerializer(serializers.ModelSerializer):
    clock = inline_choice(SlaClock.choices, read_only=True)

    class Meta:
        model = SlaBreach
        fields = ["clock", "level", "due_at", "breached_at", "overdue_seconds"]
        read_only_fields = fields


class ServiceRequestEscalationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Escalation
        fields = ["from_level", "to_level", "due_at", "at", "next_due_at", "reason"]
        read_only_fields = fields


class ServiceRequestSerializer(serializers.ModelSerializer):
    status = inline_choice(ServiceRequestStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    channel = inline_choice(Channel.choices, read_only=True)
    category = inline_choice(ServiceCategory.choices, read_only=True)
    dispatch_mode = serializers.CharField(read_only=True, help_text="onsite 上门 / remote 远程 / provider 外协网点")
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    store_name = serializers.CharField(source="store.name", read_only=True)
    product_name = serializers.SerializerMethodField()
    assignee_name = serializers.SerializerMethodField()
    provider_name = serializers.SerializerMethodField()
    warranty_status = inline_choice(WarrantyStatus.choices, read_only=True)
    warranty_status_label = serializers.CharField(read_only=True)
    contact_phone = MaskedField("phone", help_text="脱敏")
    address = MaskedField("address", help_text="脱敏")
    is_overdue = serializers.SerializerMethodField()
    sla_breaches = ServiceRequestSlaBreachSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "escalation_level",
            "customer",
            "customer_name",
            "store",
            "store_name",
            "channel",
            "category",
            "description",
            "product",
            "product_name",
            "serial_number",
            "batch_number",
            "purchase_date",
            "warranty_status",
            "warranty_status_label",
            "contact_name",
            "contact_phone",
            "address",
            "received_at",
            "first_contact_due_at",
            "escalation_due_at",
            "first_contacted_at",
            "paused_at",
            "paused_business_seconds",
            "resolved_at",
            "closed_at",
            "cancelled_at",
            "cancel_reason",
            "assignee",
            "assignee_name",
            "provider",
            "provider_name",
            "dispatch_mode",
            "dispatched_at",
            "appointment_at",
            "root_cause",
            "solution",
            "satisfaction",
            "is_overdue",
            "sla_breaches",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_product_name(self, obj) -> str:
        return obj.product.name if obj.product_id else ""

    def get_assignee_name(self, obj) -> str:
        return obj.assignee.name if obj.assignee_id else ""

    def get_provider_name(self, obj) -> str:
        return obj.provider.name if obj.provider_id else ""

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue() or obj.is_first_contact_overdue()


class ServiceRequestDetailSerializer(ServiceRequestSerializer):
    escalations = ServiceRequestEscalationSerializer(many=True, read_only=True)

    class Meta(ServiceRequestSerializer.Meta):
        fields = [*ServiceRequestSerializer.Meta.fields, "escalations"]
        read_only_fields = fields


class ServiceRequestWorkRecordSerializer(serializers.ModelSerializer):
    condition_before = ConditionField(read_only=True)
    condition_after = ConditionField(read_only=True)
    recorded_by_name = serializers.CharField(source="recorded_by.name", read_only=True)
    custody_items = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="顾客财产登记 ID")
    checklist_complete = serializers.BooleanField(read_only=True)

    class Meta:
        model = WorkRecord
        fields = [
            "id",
            "request",
            "visited_at",
            "place",
            "people",
            "measures",
            "condition_before",
            "condition_after",
            "before_confirmed_by_customer",
            "after_confirmed_by_customer",
            "parts_used",
            "protected_equipment",
            "no_unauthorised_use",
            "cleaned_up",
            "checklist_complete",
            "custody_items",
            "recorded_by",
            "recorded_by_name",
            "created_at",
        ]
        read_only_fields = fields


class ServiceRequestAcceptanceSerializer(serializers.ModelSerializer):
    method = inline_choice(AcceptanceMethod.choices, read_only=True)

    class Meta:
        model = Acceptance
        fields = ["id", "method", "accepted", "rejection_reason", "rating", "comment", "signer_name", "accepted_at"]
        read_only_fields = fields


class ServiceRequestAcceptanceLinkSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="给客户的验收页面地址（含令牌，仅此一次显示）")
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


# --- inputs ------------------------------------------------------------------------------


class ServiceRequestCreateSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.select_related("store"), help_text="客户 ID（须在您的范围内）"
    )  # read in the caller's scope with its store: the service takes it as is (issue 17 §2, no second read)
    channel = inline_choice(Channel.choices, required=False, default=Channel.API)
    category = inline_choice(ServiceCategory.choices)
    description = serializers.CharField()
    store = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.filter(kind=OrgUnitKind.STORE),
        required=False,
        allow_null=True,
        help_text="默认客户所属门店",
    )
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False, allow_null=True)
    serial_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    batch_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    purchase_date = serializers.DateField(required=False, allow_null=True)
    contact_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ServiceRequestUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="读取时的版本；过期 → 409 conflict.stale")
    category = inline_choice(ServiceCategory.choices, required=False)
    description = serializers.CharField(required=False)
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False, allow_null=True)
    serial_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    batch_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    purchase_date = serializers.DateField(required=False, allow_null=True)
    contact_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ServiceRequestVersionedSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="可选：读取时的版本；过期 → 409 conflict.stale")


class ServiceRequestNoteSerializer(ServiceRequestVersionedSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ServiceRequestReasonSerializer(ServiceRequestVersionedSerializer):
    reason = serializers.CharField(max_length=300)


class ServiceRequestDispatchSerializer(ServiceRequestVersionedSerializer):
    mode = inline_choice(DispatchMode.choices)
    engineer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, help_text="上门/远程时必填"
    )
    provider = serializers.PrimaryKeyRelatedField(
        queryset=ServiceProvider.objects.all(), required=False, allow_null=True, help_text="外协网点派工时必填"
    )
    appointment_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ServiceRequestResolveSerializer(ServiceRequestVersionedSerializer):
    root_cause = serializers.CharField(required=False, allow_blank=True)
    solution = serializers.CharField(required=False, allow_blank=True)


class ServiceRequestCloseSerializer(ServiceRequestResolveSerializer):
    pass


class ServiceRequestConfirmSerializer(serializers.Serializer):
    method = inline_choice(
        [(v, label) for v, label in AcceptanceMethod.choices if v != AcceptanceMethod.LINK],
        help_text="客户如何确认",
    )
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True)
    signer_name = serializers.CharField(required=False, allow_blank=True, max_length=60)
    signature = serializers.CharField(
        required=False, allow_blank=True, help_text="签名图片 data URL：data:image/png;base64,…"
    )
    signature_declined_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="当面确认而客户拒绝签字时必填（签名与此二选一；电话确认不需要）",
    )

    def service_kwargs(self, values: dict) -> dict:
        values["signature_data_url"] = values.pop("signature", "")
        return values


class ServiceRequestRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="客户不认可的原因")
    method = inline_choice(
        [(v, label) for v, label in AcceptanceMethod.choices if v != AcceptanceMethod.LINK],
        required=False,
        default=AcceptanceMethod.PHONE,
    )
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True)


class ServiceRequestCustodyItemSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=200)
    identifier = serializers.CharField(max_length=80, required=False, allow_blank=True)
    kind = inline_choice(PropertyKind.choices, required=False, default=PropertyKind.DEVICE)
    location = serializers.CharField(max_length=100, required=False, allow_blank=True)
    condition = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ServiceRequestWorkRecordWriteSerializer(serializers.Serializer):
    visited_at = serializers.DateTimeField(required=False, help_text="默认现在")
    measures = serializers.CharField(help_text="处理措施")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    people = serializers.CharField(max_length=200, required=False, allow_blank=True)
    condition_before = ConditionField(required=False)
    condition_after = ConditionField(required=False)
    before_confirmed_by_customer = serializers.BooleanField(required=False, default=False)
    after_confirmed_by_customer = serializers.BooleanField(required=False, default=False)
    parts_used = serializers.CharField(required=False, allow_blank=True)
    protected_equipment = serializers.BooleanField(required=False, default=False)
    no_unauthorised_use = serializers.BooleanField(required=False, default=False)
    cleaned_up = serializers.BooleanField(required=False, default=False)
    custody_items = ServiceRequestCustodyItemSerializer(many=True, required=False)
    photos = serializers.ListField(child=serializers.FileField(), required=False, help_text="现场照片（multipart）")


# --- knowledge base ----------------------------------------------------------------------


class KnowledgeArticleSerializer(serializers.ModelSerializer):
    status = inline_choice(KnowledgeStatus.choices, read_only=True)
    service_category = serializers.CharField(
        read_only=True, help_text="installation/repair/maintenance/consultation/other"
    )
    product_name = serializers.SerializerMethodField()
    product_category_name = serializers.SerializerMethodField()
    source_request_number = serializers.SerializerMethodField()

    class Meta:
        model = KnowledgeArticle
        fields = [
            "id",
            "title",
            "body",
            "status",
            "service_category",
            "product_category",
            "product_category_name",
            "product",
            "product_name",
            "source_request",
            "source_request_number",
            "published_by",
            "published_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_product_name(self, obj) -> str:
        return obj.product.name if obj.product_id else ""

    def get_product_category_name(self, obj) -> str:
        return obj.product_category.name if obj.product_category_id else ""

    def get_source_request_number(self, obj) -> str:
        return obj.source_request.number if obj.source_request_id else ""


class KnowledgeArticleWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    service_category = inline_choice(ServiceCategory.choices, required=False, allow_blank=True)
    product_category = serializers.PrimaryKeyRelatedField(
        queryset=ProductCategory.objects.all(), required=False, allow_null=True
    )
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False, allow_null=True)


class KnowledgeArticleUpdateSerializer(KnowledgeArticleWriteSerializer):
    version = serializers.IntegerField(help_text="读取时的版本；过期 → 409 conflict.stale")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class KnowledgeArticlePublishSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)


class KnowledgeFromRequestSerializer(serializers.Serializer):
    request = serializers.IntegerField(help_text="已结案服务单 ID")
