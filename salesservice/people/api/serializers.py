"""API serializers of certifications (input and output kept apart)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from salesservice.catalog.models import ProductCategory
from salesservice.core.api.fields import inline_choice
from salesservice.core.choices import OrgUnitKind
from salesservice.core.models import User
from salesservice.core.privacy import mask_id_number, mask_phone

from ..choices import (
    Attendance,
    CandidateSource,
    CandidateStatus,
    CertificationState,
    ExamAttemptStatus,
    ExamKind,
    NeedPriority,
    NeedSource,
    NeedStatus,
    PlanStatus,
    RecruitmentStep,
    SessionKind,
    SessionMethod,
)
from ..models import (
    Candidate,
    CandidateStepRecord,
    Certification,
    Course,
    EffectEvaluation,
    ExamAttempt,
    Post,
    Question,
    SessionParticipant,
    TrainingNeed,
    TrainingPlan,
    TrainingSession,
)


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


class PeopleReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=_("原因（必填）"))
    version = serializers.IntegerField(required=False, help_text=_("读取时的版本号；与当前不符返回 409"))


VERSION = serializers.IntegerField(help_text=_("读取时的版本号；与当前不符返回 409"))


class PostSerializer(serializers.ModelSerializer):
    level = inline_choice(OrgUnitKind.choices, read_only=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "name",
            "code",
            "level",
            "reports_to",
            "duties",
            "education",
            "experience",
            "skills",
            "certificates",
            "criteria",
            "is_active",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PostWriteSerializer(serializers.Serializer):
    """岗位说明书 input (PPL-1): create needs name, code and duties; PATCH any of them with `version`."""

    name = serializers.CharField(max_length=60)
    code = serializers.RegexField(r"^[A-Za-z0-9_-]+$", max_length=40, help_text=_("字母、数字、- 或 _"))
    level = serializers.ChoiceField(choices=OrgUnitKind.choices, required=False)
    reports_to = serializers.CharField(max_length=60, required=False, allow_blank=True)
    duties = serializers.CharField(max_length=5000)
    education = serializers.CharField(max_length=200, required=False, allow_blank=True)
    experience = serializers.CharField(max_length=200, required=False, allow_blank=True)
    skills = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    certificates = serializers.CharField(max_length=300, required=False, allow_blank=True)
    criteria = serializers.CharField(max_length=3000, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class PostUpdateSerializer(PostWriteSerializer):
    version = VERSION

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class CandidateStepRecordSerializer(serializers.ModelSerializer):
    step = inline_choice(RecruitmentStep.choices, read_only=True)
    assessor_name = serializers.CharField(source="assessor.name", read_only=True)

    class Meta:
        model = CandidateStepRecord
        fields = ["id", "step", "assessor", "assessor_name", "held_on", "score", "passed", "notes"]
        read_only_fields = fields


class CandidateSerializer(serializers.ModelSerializer):
    """A candidate; phone and ID number always masked here (full values: `reveal`, logged)."""

    post_name = serializers.CharField(source="post.name", read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    status = inline_choice(CandidateStatus.choices, read_only=True)
    source = inline_choice(CandidateSource.choices, read_only=True)
    phone = serializers.SerializerMethodField(help_text=_("脱敏电话"))
    id_number = serializers.SerializerMethodField(help_text=_("脱敏身份证号"))
    steps = CandidateStepRecordSerializer(source="step_records", many=True, read_only=True)
    missing_steps = serializers.SerializerMethodField(help_text=_("录用前尚未通过的环节"))

    class Meta:
        model = Candidate
        fields = [
            "id",
            "number",
            "post",
            "post_name",
            "org_unit",
            "org_unit_name",
            "name",
            "phone",
            "id_number",
            "source",
            "status",
            "applied_on",
            "notes",
            "steps",
            "missing_steps",
            "reject_reason",
            "decided_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)

    def get_id_number(self, obj) -> str:
        return mask_id_number(obj.id_number)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing_steps(self, obj):
        passed = {record.step for record in obj.step_records.all() if record.passed}
        return [step for step in RecruitmentStep.values if step not in passed]


class CandidateCreateSerializer(serializers.Serializer):
    post = serializers.IntegerField(min_value=1, help_text=_("岗位 id"))
    org_unit = serializers.IntegerField(min_value=1, help_text=_("用人单位 id（须在您的范围内）"))
    name = serializers.CharField(max_length=60)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=CandidateSource.choices, required=False)
    applied_on = serializers.DateField()
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class RevealSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=["phone", "id_number"])
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RevealedSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField()


# --- training plans, sessions, needs (PPL-2, PPL-3, PPL-5) ------------------------------------------------------


class ParticipantSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.name", read_only=True)
    attendance = inline_choice(Attendance.choices, read_only=True)

    class Meta:
        model = SessionParticipant
        fields = ["user", "user_name", "attendance"]
        read_only_fields = fields


class EffectEvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = EffectEvaluation
        fields = [
            "id",
            "reaction_score",
            "behaviour_change",
            "exam_takers",
            "exam_passed",
            "evaluated_on",
            "evaluated_by",
        ]
        read_only_fields = fields


class TrainingSessionSerializer(serializers.ModelSerializer):
    kind = inline_choice(SessionKind.choices, read_only=True)
    method = inline_choice(SessionMethod.choices, read_only=True)
    trainer_name = serializers.CharField(source="trainer.name", read_only=True)
    participants = ParticipantSerializer(source="enrolments", many=True, read_only=True)
    evaluation = serializers.SerializerMethodField()

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "plan",
            "course",
            "topic",
            "kind",
            "planned_on",
            "trainer",
            "trainer_name",
            "method",
            "location",
            "participants",
            "attendance_recorded_at",
            "evaluation",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(EffectEvaluationSerializer(allow_null=True))
    def get_evaluation(self, obj):
        """Read through `select_related("evaluation")` (a reverse one-to-one: no query per row)."""
        try:
            return EffectEvaluationSerializer(obj.evaluation).data
        except EffectEvaluation.DoesNotExist:
            return None


class PlanFiguresSerializer(serializers.Serializer):
    completion = serializers.FloatField(allow_null=True, help_text=_("出勤完成率 %"))
    pass_rate = serializers.FloatField(allow_null=True, help_text=_("考试合格率 %"))
    reaction = serializers.FloatField(allow_null=True, help_text=_("平均满意度（1–5）"))


class TrainingPlanSerializer(serializers.ModelSerializer):
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    status = inline_choice(PlanStatus.choices, read_only=True)
    sessions = TrainingSessionSerializer(many=True, read_only=True)
    figures = serializers.SerializerMethodField()

    class Meta:
        model = TrainingPlan
        fields = [
            "id",
            "year",
            "org_unit",
            "org_unit_name",
            "title",
            "status",
            "notes",
            "approved_at",
            "approved_by",
            "sessions",
            "figures",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PlanFiguresSerializer)
    def get_figures(self, obj):
        """From the page's figures computed at once by the viewset (`figures` in the context), else this plan's."""
        from ..training import plan_figures

        figures = self.context.get("figures") or {}
        return figures[obj.pk] if obj.pk in figures else plan_figures([obj.pk])[obj.pk]


class TrainingPlanCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    org_unit = serializers.IntegerField(min_value=1, help_text=_("单位 id（须在您的范围内）"))
    title = serializers.CharField(max_length=120)
    notes = serializers.CharField(max_length=3000, required=False, allow_blank=True)


class SessionCreateSerializer(serializers.Serializer):
    course = serializers.IntegerField(min_value=1, required=False, allow_null=True, help_text=_("课程 id（可选）"))
    topic = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=SessionKind.choices)
    planned_on = serializers.DateField(help_text=_("须在计划年度内"))
    trainer = serializers.IntegerField(min_value=1, help_text=_("讲师（用户 id）"))
    method = serializers.ChoiceField(choices=SessionMethod.choices, required=False)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    participants = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=500, required=False, help_text=_("参训人员 id")
    )


class AttendanceSerializer(serializers.Serializer):
    attendance = serializers.DictField(
        child=serializers.ChoiceField(choices=Attendance.choices),
        help_text=_("用户 id → present / absent；未列出的记为缺席"),
    )
    version = serializers.IntegerField(required=False, help_text=_("读取时的版本号；与当前不符返回 409"))


class EffectSerializer(serializers.Serializer):
    reaction_score = serializers.DecimalField(max_digits=3, decimal_places=2, min_value=1, max_value=5)
    behaviour_change = serializers.CharField(max_length=3000)
    evaluated_on = serializers.DateField(required=False)
    need_gap = serializers.CharField(max_length=2000, required=False, allow_blank=True, help_text=_("反馈为新培训需求"))
    need_priority = serializers.ChoiceField(choices=NeedPriority.choices, required=False)


class TrainingNeedSerializer(serializers.ModelSerializer):
    status = inline_choice(NeedStatus.choices, read_only=True)
    source = inline_choice(NeedSource.choices, read_only=True)
    priority = inline_choice(NeedPriority.choices, read_only=True)

    class Meta:
        model = TrainingNeed
        fields = ["id", "org_unit", "post", "user", "gap", "source", "priority", "status", "evaluation", "version"]
        read_only_fields = fields


class TrainingNeedCreateSerializer(serializers.Serializer):
    org_unit = serializers.IntegerField(min_value=1)
    post = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    user = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    gap = serializers.CharField(max_length=2000)
    source = serializers.ChoiceField(choices=NeedSource.choices)
    priority = serializers.ChoiceField(choices=NeedPriority.choices, required=False)


# --- exams per the contract (PPL-4) and writable courses -------------------------------------------------------


class ExamSerializer(serializers.ModelSerializer):
    """A course's exam: kind, pass mark, number of questions, the category it certifies."""

    course = serializers.IntegerField(source="pk", read_only=True)
    kind = inline_choice(ExamKind.choices, read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    question_count = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = [
            "id",
            "course",
            "title",
            "kind",
            "pass_mark",
            "question_count",
            "category",
            "category_name",
            "validity_months",
        ]
        read_only_fields = fields

    def get_question_count(self, obj) -> int:
        return sum(1 for q in obj.questions.all() if q.is_active)


class ExamStartSerializer(serializers.Serializer):
    user = serializers.IntegerField(
        min_value=1, required=False, help_text=_("实操考核：被考核的工程师（用户 id）；笔试不填（本人）")
    )


class CourseWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    category = serializers.PrimaryKeyRelatedField(queryset=ProductCategory.objects.all())
    kind = serializers.ChoiceField(choices=ExamKind.choices, required=False)
    validity_months = serializers.IntegerField(min_value=1, max_value=120, required=False)
    pass_mark = serializers.IntegerField(min_value=0, max_value=100, required=False)
    content = serializers.CharField(max_length=10000, required=False, allow_blank=True)


class CourseUpdateSerializer(CourseWriteSerializer):
    version = VERSION
    is_active = serializers.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class QuestionCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    option_a = serializers.CharField(max_length=300)
    option_b = serializers.CharField(max_length=300)
    option_c = serializers.CharField(max_length=300)
    option_d = serializers.CharField(max_length=300)
    answer = serializers.ChoiceField(choices=["A", "B", "C", "D"])
