"""API serializers of certifications (input and output kept apart)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from salesservice.catalog.models import ProductCategory
from salesservice.core.api.fields import inline_choice
from salesservice.core.models import User

from ..choices import CertificationState, ExamAttemptStatus, ExamKind
from ..models import Certification, Course, ExamAttempt, Question


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


# --- training and exams (PPL-4) ------------------------------------------------------------------


class QuestionSerializer(serializers.ModelSerializer):
    """A question as the examinee sees it: stem and options, never the correct answer."""

    class Meta:
        model = Question
        fields = ["id", "position", "text", "option_a", "option_b", "option_c", "option_d"]
        read_only_fields = fields


class CourseSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    kind = inline_choice(ExamKind.choices, read_only=True)
    question_count = serializers.SerializerMethodField(help_text=_("启用的考题数"))

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "category",
            "category_name",
            "kind",
            "validity_months",
            "pass_mark",
            "content",
            "is_active",
            "question_count",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_question_count(self, obj) -> int:
        return sum(1 for q in obj.questions.all() if q.is_active)


class ExamAttemptSerializer(serializers.ModelSerializer):
    """An attempt: score and result once scored; the questions asked (without answers) while it is open."""

    course_title = serializers.CharField(source="course.title", read_only=True)
    user_name = serializers.CharField(source="user.name", read_only=True)
    kind = inline_choice(ExamKind.choices, read_only=True)
    status = inline_choice(ExamAttemptStatus.choices, read_only=True)
    questions = serializers.SerializerMethodField(help_text=_("本次考题（不含正确答案）"))
    certification = serializers.SerializerMethodField(help_text=_("合格时颁发或延续的上岗资格证 id"))

    class Meta:
        model = ExamAttempt
        fields = [
            "id",
            "course",
            "course_title",
            "user",
            "user_name",
            "kind",
            "status",
            "started_at",
            "pass_mark",
            "score",
            "passed",
            "failure_streak",
            "scored_at",
            "answers",
            "note",
            "questions",
            "certification",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, obj):
        by_id = {q.pk: q for q in Question.objects.filter(pk__in=obj.question_ids)}
        return [QuestionSerializer(by_id[pk]).data for pk in obj.question_ids if pk in by_id]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_certification(self, obj):
        if not obj.passed:
            return None
        return obj.certifications.order_by("-id").values_list("pk", flat=True).first()


class ExamAttemptStartSerializer(serializers.Serializer):
    course = serializers.IntegerField(min_value=1, help_text=_("课程 id"))
    user = serializers.IntegerField(
        min_value=1, required=False, help_text=_("实操考核：被考核的工程师（用户 id）；笔试不填（本人）")
    )


class ExamAttemptSubmitSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.ChoiceField(choices=["A", "B", "C", "D", ""]),
        help_text=_("考题 id → 所选选项 A–D；成绩由系统计算，不接受分数"),
    )


class ExamAttemptGradeSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=0, max_value=100, help_text=_("实操成绩 0–100"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# --- recruitment (PPL-1) --------------------------------------------------------------------------------------


class CandidateStepSerializer(serializers.Serializer):
    held_on = serializers.DateField(help_text=_("日期（报名日期至今天）"))
    score = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    passed = serializers.BooleanField(help_text=_("是否通过"))
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = serializers.IntegerField(required=False, help_text=_("读取时的版本号；与当前不符返回 409"))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=_("原因（必填）"))
    version = serializers.IntegerField(required=False, help_text=_("读取时的版本号；与当前不符返回 409"))
