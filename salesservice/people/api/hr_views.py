"""API of posts and candidates (PPL-1), training plans, sessions and needs (PPL-2, PPL-3, PPL-5) and the exams of
the issue-15 contract (PPL-4). Out of scope → 404; refusals 400/409 with a `PeopleErrorCode` or
`status.invalid_transition`; a stale `version` → 409 `conflict.stale`."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from salesservice.core import privacy
from salesservice.core.api.mixins import IDEMPOTENCY_HEADER, ScopedQuerysetMixin
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN, ActionDocumentViewSet, ActionPermissions
from salesservice.core.api.workflow import WorkflowDocumentViewSet
from salesservice.core.exceptions import DomainError
from salesservice.core.models import User

from .. import recruitment, services, training
from ..errors import PeopleErrorCode as E
from ..filtersets import (
    CandidateFilterSet,
    CourseFilterSet,
    PostFilterSet,
    TrainingNeedFilterSet,
    TrainingPlanFilterSet,
    TrainingSessionFilterSet,
)
from ..models import Candidate, Course, Post, SessionParticipant, TrainingNeed, TrainingPlan, TrainingSession
from ..selectors import course_list
from ..workflows import CANDIDATE_WORKFLOW, NEED_WORKFLOW, PLAN_WORKFLOW
from . import serializers as s

RECRUITMENT_TAGS = ["recruitment"]


# List, retrieve and item actions, no create (comment, not docstring: spectacular publishes a base's docstring).
class ReadViewSet(ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ActionPermissions]


TRAINING_TAGS = ["training"]


def _bad(code, message, **fields):
    error = DomainError(code, message, fields=fields or None)
    error.status_code = 400
    return error


@extend_schema_view(
    list=extend_schema(tags=RECRUITMENT_TAGS, summary="岗位说明书列表（PPL-1）"),
    retrieve=extend_schema(tags=RECRUITMENT_TAGS, responses={200: s.PostSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=RECRUITMENT_TAGS,
        summary="新建岗位说明书（职责、任职要求、招聘标准）",
        request=s.PostWriteSerializer,
        responses={201: s.PostSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=RECRUITMENT_TAGS,
        summary="修改岗位说明书（带 version）",
        request=s.PostUpdateSerializer,
        responses={200: s.PostSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    ),
)
class PostViewSet(ActionDocumentViewSet):
    queryset = Post.objects.all()
    serializer_class = s.PostSerializer
    filterset_class = PostFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    required_perms = {
        "list": ["people.view_post"],
        "retrieve": ["people.view_post"],
        "create": ["people.add_post"],
        "partial_update": ["people.change_post"],
    }

    def get_queryset(self):
        return Post.objects.all()

    def create_object(self, request):
        data = s.PostWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        post = recruitment.post_create(actor=request.user, **data.validated_data)
        return Response(s.PostSerializer(post).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        post = self.get_object()
        data = s.PostUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        post = recruitment.post_update(actor=request.user, post_id=post.pk, expected_version=version, **changes)
        return Response(s.PostSerializer(post).data)


@extend_schema_view(
    list=extend_schema(tags=RECRUITMENT_TAGS, summary="应聘者列表（按用人单位范围；电话脱敏）"),
    retrieve=extend_schema(tags=RECRUITMENT_TAGS, responses={200: s.CandidateSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=RECRUITMENT_TAGS,
        summary="登记应聘者（PPL-1）",
        request=s.CandidateCreateSerializer,
        responses={201: s.CandidateSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class CandidateViewSet(WorkflowDocumentViewSet):
    queryset = Candidate.objects.all()
    serializer_class = s.CandidateSerializer
    filterset_class = CandidateFilterSet
    workflow = CANDIDATE_WORKFLOW
    workflow_tags = RECRUITMENT_TAGS
    workflow_response = s.CandidateSerializer
    required_perms = {
        "list": ["people.view_candidate"],
        "retrieve": ["people.view_candidate"],
        "create": ["people.add_candidate"],
        "reveal": ["people.view_candidate"],
        "*": ["people.view_candidate"],
    }

    def get_queryset(self):
        return (
            Candidate.objects.visible_to(self.request.user)
            .select_related("post", "org_unit")
            .prefetch_related("step_records__assessor")
        )

    def create_object(self, request):
        data = s.CandidateCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        post = Post.objects.filter(pk=values.pop("post"), is_active=True).first()
        if post is None:
            raise _bad(E.CANDIDATE_INVALID, _("岗位不存在或已停用"), post=[_("无效")])
        candidate = recruitment.candidate_add(actor=request.user, post=post, **values)
        return self.respond(candidate, status.HTTP_201_CREATED)

    @extend_schema(
        tags=RECRUITMENT_TAGS,
        summary="查看完整电话/身份证号（需权限，留痕）",
        request=s.RevealSerializer,
        responses={200: s.RevealedSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        candidate = self.get_object()
        data = s.RevealSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        field = data.validated_data["field"]
        value = privacy.reveal(
            actor=request.user, obj=candidate, field=field, purpose=data.validated_data.get("purpose", "")
        )
        return Response({"field": field, "value": value})


@extend_schema_view(
    list=extend_schema(tags=TRAINING_TAGS, summary="年度培训计划（含场次、完成率、合格率、满意度）"),
    retrieve=extend_schema(tags=TRAINING_TAGS, responses={200: s.TrainingPlanSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TRAINING_TAGS,
        summary="新建年度培训计划（每单位每年一个，PPL-3）",
        request=s.TrainingPlanCreateSerializer,
        responses={201: s.TrainingPlanSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class TrainingPlanViewSet(WorkflowDocumentViewSet):
    queryset = TrainingPlan.objects.all()
    serializer_class = s.TrainingPlanSerializer
    filterset_class = TrainingPlanFilterSet
    workflow = PLAN_WORKFLOW
    workflow_tags = TRAINING_TAGS
    workflow_response = s.TrainingPlanSerializer
    required_perms = {
        "list": ["people.view_trainingplan"],
        "retrieve": ["people.view_trainingplan"],
        "create": ["people.add_trainingplan"],
        "sessions": ["people.change_trainingplan"],
        "*": ["people.view_trainingplan"],
    }

    def get_queryset(self):
        sessions = TrainingSession.objects.select_related("trainer", "evaluation").prefetch_related(
            Prefetch("enrolments", queryset=SessionParticipant.objects.select_related("user"))
        )
        return (
            TrainingPlan.objects.visible_to(self.request.user)
            .select_related("org_unit")
            .prefetch_related(Prefetch("sessions", queryset=sessions))
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._figures = training.plan_figures([plan.pk for plan in page])  # two queries for the whole page
        return page

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "figures": getattr(self, "_figures", None)}

    def create_object(self, request):
        data = s.TrainingPlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = training.plan_create(actor=request.user, **data.validated_data)
        return self.respond(plan, status.HTTP_201_CREATED)

    @extend_schema(
        tags=TRAINING_TAGS,
        summary="在草稿计划中添加培训场次（课程或主题、类别、日期、讲师、方式、参训人员，PPL-2）",
        request=s.SessionCreateSerializer,
        responses={201: s.TrainingSessionSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        plan = self.get_object()
        data = s.SessionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        visible = User.objects.visible_to(request.user).filter(is_active=True)
        trainer = visible.filter(pk=values.pop("trainer")).first()
        if trainer is None:
            raise _bad(E.SESSION_INVALID, _("讲师不存在或不在您的范围内"), trainer=[_("无效")])
        ids = list(dict.fromkeys(values.pop("participants", [])))
        people = list(visible.filter(pk__in=ids))
        if len(people) != len(ids):
            raise _bad(E.SESSION_INVALID, _("参训人员须在您的范围内"), participants=[_("无效")])
        course_id = values.pop("course", None)
        course = Course.objects.filter(pk=course_id).first() if course_id else None
        if course_id and course is None:
            raise _bad(E.SESSION_INVALID, _("课程不存在"), course=[_("无效")])
        session = training.session_add(
            actor=request.user, plan_id=plan.pk, trainer=trainer, participants=people, course=course, **values
        )
        fresh = TrainingSession.objects.select_related("trainer", "evaluation").prefetch_related("enrolments__user")
        fresh = fresh.get(pk=session.pk)
        return Response(s.TrainingSessionSerializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=TRAINING_TAGS, summary="培训场次（按计划单位范围）"),
    retrieve=extend_schema(tags=TRAINING_TAGS, responses={200: s.TrainingSessionSerializer, **ERROR_RESPONSES}),
)
class TrainingSessionViewSet(ReadViewSet):
    queryset = TrainingSession.objects.all()
    serializer_class = s.TrainingSessionSerializer
    filterset_class = TrainingSessionFilterSet
    required_perms = {
        "list": ["people.view_trainingplan"],
        "retrieve": ["people.view_trainingplan"],
        "record_attendance": ["people.change_trainingplan"],
        "evaluate": ["people.change_trainingplan"],
    }

    def get_queryset(self):
        return (
            TrainingSession.objects.visible_to(self.request.user)
            .select_related("trainer", "evaluation")
            .prefetch_related(Prefetch("enrolments", queryset=SessionParticipant.objects.select_related("user")))
        )

    def _out(self, pk):
        return Response(s.TrainingSessionSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(
        tags=TRAINING_TAGS,
        summary="登记出勤（培训日期已到；未列出的记为缺席；带 version 防覆盖，PPL-2）",
        request=s.AttendanceSerializer,
        responses={200: s.TrainingSessionSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"], url_path="record-attendance")
    def record_attendance(self, request, pk=None):
        session = self.get_object()
        data = s.AttendanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        training.attendance_record(
            actor=request.user,
            session_id=session.pk,
            attendance=data.validated_data["attendance"],
            expected_version=data.validated_data.get("version"),
        )
        return self._out(session.pk)

    @extend_schema(
        tags=TRAINING_TAGS,
        summary="培训效果评估（满意度、考试结果自动统计、行为改变；可反馈为新培训需求，PPL-5）",
        request=s.EffectSerializer,
        responses={200: s.TrainingSessionSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        session = self.get_object()
        data = s.EffectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        training.effect_evaluate(actor=request.user, session_id=session.pk, **data.validated_data)
        return self._out(session.pk)


@extend_schema_view(
    list=extend_schema(tags=TRAINING_TAGS, summary="培训需求（PPL-3）"),
    retrieve=extend_schema(tags=TRAINING_TAGS, responses={200: s.TrainingNeedSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=TRAINING_TAGS,
        summary="登记培训需求（岗位或人员、差距、来源、优先级）",
        request=s.TrainingNeedCreateSerializer,
        responses={201: s.TrainingNeedSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class TrainingNeedViewSet(WorkflowDocumentViewSet):
    queryset = TrainingNeed.objects.all()
    serializer_class = s.TrainingNeedSerializer
    filterset_class = TrainingNeedFilterSet
    workflow = NEED_WORKFLOW
    workflow_tags = TRAINING_TAGS
    workflow_response = s.TrainingNeedSerializer
    required_perms = {
        "list": ["people.view_trainingneed"],
        "retrieve": ["people.view_trainingneed"],
        "create": ["people.add_trainingneed"],
        "*": ["people.view_trainingneed"],
    }

    def get_queryset(self):
        return TrainingNeed.objects.visible_to(self.request.user)

    def create_object(self, request):
        data = s.TrainingNeedCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        post_id, user_id = values.pop("post", None), values.pop("user", None)
        post = Post.objects.filter(pk=post_id).first() if post_id else None
        user = User.objects.visible_to(request.user).filter(pk=user_id).first() if user_id else None
        if (post_id and post is None) or (user_id and user is None):
            raise _bad(E.NEED_INVALID, _("岗位或人员无效"), post=[_("无效")])
        need = training.need_raise(actor=request.user, post=post, user=user, **values)
        return self.respond(need, status.HTTP_201_CREATED)


EXAM_ERRORS = {
    400: OpenApiResponse(description="`exam.engineer_required`"),
    403: OpenApiResponse(description="没有权限（`permission_denied`）或笔试非本人（`exam.not_yours`）"),
    404: OpenApiResponse(description="考试不存在或已停用（`course.not_found`）"),
    409: OpenApiResponse(description="`course.no_questions`"),
}


@extend_schema_view(
    list=extend_schema(tags=["exams"], summary="考试列表：课程的考核方式、合格分数、题量、认证分类（PPL-4）"),
    retrieve=extend_schema(tags=["exams"], responses={200: s.ExamSerializer, **ERROR_RESPONSES}),
)
class ExamViewSet(ReadViewSet):
    """考试 (PPL-4): one per course; `attempts/` starts one — the engineer himself (written) or HR (practical)."""

    queryset = Course.objects.all()
    serializer_class = s.ExamSerializer
    filterset_class = CourseFilterSet
    required_perms = {"list": ["people.view_course"], "retrieve": ["people.view_course"], "attempts": []}

    def get_queryset(self):
        return course_list(self.request.user).prefetch_related("questions")

    @extend_schema(
        tags=["exams"],
        summary="开始一次考试：笔试由工程师本人开始；实操由培训人员为工程师开始（答题/评分见 exam-attempts）",
        request=s.ExamStartSerializer,
        responses={201: s.ExamAttemptSerializer, **EXAM_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def attempts(self, request, pk=None):
        course = self.get_object()
        data = s.ExamStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = None
        if data.validated_data.get("user"):
            user = User.objects.visible_to(request.user).filter(pk=data.validated_data["user"]).first()
            if user is None:
                raise DomainError(E.EXAM_ENGINEER_REQUIRED, _("请选择在您范围内的工程师"))
        attempt = services.exam_attempt_start(actor=request.user, course_id=course.pk, user=user)
        return Response(s.ExamAttemptSerializer(attempt).data, status=status.HTTP_201_CREATED)
