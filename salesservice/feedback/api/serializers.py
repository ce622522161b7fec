"""Serializers of the feedback API. Names are prefixed with their model (FollowUp…, SurveyTemplate…,
SurveyResponse…, Suggestion…, Feedback…) so the OpenAPI components never clash with other apps'."""

from django.utils import timezone
from rest_framework import serializers

from salesservice.core import privacy
from salesservice.core.api.fields import inline_choice
from salesservice.core.models import User
from salesservice.customers.models import Customer
from salesservice.service.models import ServiceRequest

from ..choices import (
    AttemptChannel,
    FollowUpKind,
    FollowUpStatus,
    QuestionKind,
    SourceKind,
    SuggestionKind,
    SuggestionStatus,
)
from ..models import FollowUp, FollowUpAttempt, Suggestion, SurveyAnswer, SurveyQuestion, SurveyResponse, SurveyTemplate

# --- follow-ups ------------------------------------------------------------------------------


class FollowUpAttemptSerializer(serializers.ModelSerializer):
    channel = inline_choice(AttemptChannel.choices, read_only=True)
    recorded_by_name = serializers.CharField(source="recorded_by.name", read_only=True, default="")

    class Meta:
        model = FollowUpAttempt
        fields = ["id", "attempted_at", "channel", "reached", "note", "recorded_by", "recorded_by_name"]


class FollowUpSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    store_name = serializers.CharField(source="store.name", read_only=True)
    assignee_name = serializers.CharField(source="assignee.name", read_only=True, default="")
    overdue = serializers.SerializerMethodField()
    kind = inline_choice(FollowUpKind.choices, read_only=True)
    status = inline_choice(FollowUpStatus.choices, read_only=True)
    source_kind = inline_choice(SourceKind.choices, read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "number",
            "version",
            "customer",
            "customer_name",
            "store",
            "store_name",
            "kind",
            "status",
            "service_request",
            "source_kind",
            "source_id",
            "source_number",
            "due_at",
            "overdue",
            "assignee",
            "assignee_name",
            "attempt_count",
            "last_attempt_at",
            "outcome",
            "satisfaction",
            "issues_raised",
            "completed_at",
            "closed_at",
            "close_reason",
            "opened_service_request",
            "opened_complaint_id",
            "opened_complaint_number",
            "created_at",
        ]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(self.context.get("now") or timezone.now())


class FollowUpDetailSerializer(FollowUpSerializer):
    attempts = FollowUpAttemptSerializer(many=True, read_only=True)

    class Meta(FollowUpSerializer.Meta):
        fields = [*FollowUpSerializer.Meta.fields, "attempts"]
        read_only_fields = fields


class FollowUpCreateSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    kind = inline_choice(FollowUpKind.choices)
    due_at = serializers.DateTimeField()
    service_request = serializers.PrimaryKeyRelatedField(
        queryset=ServiceRequest.objects.all(), required=False, allow_null=True
    )
    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    source_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    source_number = serializers.CharField(required=False, allow_blank=True, max_length=40)


class FollowUpAttemptWriteSerializer(serializers.Serializer):
    channel = inline_choice(AttemptChannel.choices)
    reached = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    give_up = serializers.BooleanField(required=False, default=False, help_text="未联系上并标记为“未联系上”")


class FollowUpCompleteSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=2000)
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)
    issues_raised = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    channel = inline_choice(AttemptChannel.choices, required=False, default=AttemptChannel.PHONE)
    version = serializers.IntegerField(required=False)


class FollowUpCloseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    version = serializers.IntegerField(required=False)


class FollowUpIssueSerializer(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class FollowUpOpenedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


# --- survey templates ----------------------------------------------------------------------


class SurveyQuestionSerializer(serializers.ModelSerializer):
    kind = inline_choice(QuestionKind.choices, read_only=True)

    class Meta:
        model = SurveyQuestion
        fields = ["id", "order", "kind", "text", "options", "required"]


class SurveyTemplateSerializer(serializers.ModelSerializer):
    questions = SurveyQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = SurveyTemplate
        fields = [
            "id",
            "key",
            "revision",
            "name",
            "description",
            "is_current",
            "is_active",
            "previous",
            "version",
            "questions",
            "created_at",
        ]
        read_only_fields = fields


class SurveyTemplateQuestionWriteSerializer(serializers.Serializer):
    kind = inline_choice(QuestionKind.choices)
    text = serializers.CharField(max_length=300)
    options = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list)
    required = serializers.BooleanField(required=False, default=True)


class SurveyTemplateCreateSerializer(serializers.Serializer):
    key = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True)
    questions = SurveyTemplateQuestionWriteSerializer(many=True)


class SurveyTemplateReviseSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=100)
    description = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    questions = SurveyTemplateQuestionWriteSerializer(many=True, required=False)
    version = serializers.IntegerField(required=False)


# --- survey responses ----------------------------------------------------------------------


class SurveyResponseAnswerSerializer(serializers.ModelSerializer):
    question_text = serializers.CharField(source="question.text", read_only=True)
    kind = inline_choice(QuestionKind.choices, read_only=True)

    class Meta:
        model = SurveyAnswer
        fields = ["question", "question_text", "kind", "score", "choices", "text"]


class SurveyResponseSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    store_name = serializers.CharField(source="store.name", read_only=True)
    staff_name = serializers.CharField(source="staff.name", read_only=True, default="")
    product_name = serializers.CharField(source="product.name", read_only=True, default="")
    template_revision = serializers.IntegerField(source="template.revision", read_only=True)
    answers = SurveyResponseAnswerSerializer(many=True, read_only=True)
    source_kind = inline_choice(SourceKind.choices, read_only=True)

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "submitted_at",
            "template",
            "template_revision",
            "customer",
            "customer_name",
            "store",
            "store_name",
            "staff",
            "staff_name",
            "product",
            "product_name",
            "service_request",
            "source_kind",
            "source_id",
            "source_number",
            "answers",
        ]
        read_only_fields = fields


# --- suggestions ---------------------------------------------------------------------------


class SuggestionSerializer(serializers.ModelSerializer):
    store_name = serializers.CharField(source="store.name", read_only=True)
    phone = serializers.SerializerMethodField()
    kind = inline_choice(SuggestionKind.choices, read_only=True)
    status = inline_choice(SuggestionStatus.choices, read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "number",
            "version",
            "name",
            "phone",
            "store",
            "store_name",
            "kind",
            "rating",
            "text",
            "status",
            "submitted_at",
            "triage_note",
            "triaged_by",
            "triaged_at",
            "complaint_id",
            "complaint_number",
        ]
        read_only_fields = fields

    def get_phone(self, obj) -> str:
        return privacy.mask_phone(obj.phone)


class SuggestionTriageSerializer(serializers.Serializer):
    decision = inline_choice([("suggestion", "归类为建议"), ("complaint", "转为投诉"), ("close", "关闭")])
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    version = serializers.IntegerField(required=False)


# --- reports -------------------------------------------------------------------------------


class FeedbackCoverageRowSerializer(serializers.Serializer):
    closed = serializers.IntegerField()
    scheduled = serializers.IntegerField()
    done = serializers.IntegerField()
    coverage = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    meets_target = serializers.BooleanField()


class FeedbackCoverageStoreSerializer(FeedbackCoverageRowSerializer):
    store_id = serializers.IntegerField()
    store = serializers.CharField()


class FeedbackCoverageWeekSerializer(FeedbackCoverageRowSerializer):
    week = serializers.CharField(help_text="ISO 周，如 2026-W47")
    week_start = serializers.DateField()


class FeedbackCoverageSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    target = serializers.DecimalField(max_digits=5, decimal_places=1)
    total = FeedbackCoverageRowSerializer()
    stores = FeedbackCoverageStoreSerializer(many=True)
    weeks = FeedbackCoverageWeekSerializer(many=True)


class FeedbackCsatSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    csat = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    average = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)


class FeedbackNpsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    promoters = serializers.IntegerField()
    passives = serializers.IntegerField()
    detractors = serializers.IntegerField()
    nps = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class FeedbackMetricsRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField(allow_blank=True)
    csat = FeedbackCsatSerializer()
    nps = FeedbackNpsSerializer()


class FeedbackMetricsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    overall = FeedbackMetricsRowSerializer()
    by_month = FeedbackMetricsRowSerializer(many=True)
    by_store = FeedbackMetricsRowSerializer(many=True)
    by_staff = FeedbackMetricsRowSerializer(many=True)
    by_product = FeedbackMetricsRowSerializer(many=True)
