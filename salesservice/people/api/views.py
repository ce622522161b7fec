"""Certifications API (PPL-4): scoped reads, create (Idempotency-Key), PATCH with version, revoke."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from salesservice.core.api.mixins import IDEMPOTENCY_HEADER
from salesservice.core.api.viewsets import (
    ERROR_RESPONSES,
    FORBIDDEN,
    ActionDocumentViewSet,
    ScopedDocumentViewSet,
)
from salesservice.core.exceptions import DomainError
from salesservice.core.models import User

from .. import services
from ..errors import PeopleErrorCode
from ..filtersets import CertificationFilterSet, CourseFilterSet, ExamAttemptFilterSet
from ..models import Certification, Course, ExamAttempt
from ..selectors import attempt_list, certification_list, course_list
from . import serializers as s

REQUIRED_PERMS = {
    "list": ["people.view_certification"],
    "retrieve": ["people.view_certification"],
    "create": ["people.add_certification"],
    "partial_update": ["people.change_certification"],
    "revoke": ["people.change_certification"],
}


class CertificationPermissions(permissions.BasePermission):
    def has_permission(self, request, view):
        perms = REQUIRED_PERMS.get(view.action, ["people.change_certification"])
        return request.user.is_authenticated and request.user.has_perms(perms)


@extend_schema_view(
    list=extend_schema(tags=["certifications"], summary="上岗资格列表（按人员所在组织范围）"),
    retrieve=extend_schema(tags=["certifications"], responses={200: s.CertificationSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["certifications"],
        summary="登记上岗资格（可附证书扫描件）",
        request={
            "application/json": s.CertificationCreateSerializer,
            "multipart/form-data": s.CertificationCreateSerializer,
        },
        responses={201: s.CertificationSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=["certifications"],
        request=s.CertificationUpdateSerializer,
        responses={200: s.CertificationSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    ),
)
class CertificationViewSet(ScopedDocumentViewSet):
    """Engineer certifications; out of the reader's scope is 404."""

    queryset = Certification.objects.all()
    serializer_class = s.CertificationSerializer
    permission_classes = [permissions.IsAuthenticated, CertificationPermissions]
    filterset_class = CertificationFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return certification_list(self.request.user)

    def _out(self, pk, status_code=status.HTTP_200_OK):
        certification = self.get_queryset().get(pk=pk)
        return Response(s.CertificationSerializer(certification).data, status=status_code)

    def create_object(self, request):
        data = s.CertificationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certification = services.certification_add(actor=request.user, **data.validated_data)
        return self._out(certification.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = s.CertificationUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        services.certification_update(
            actor=request.user, certification_id=instance.pk, expected_version=version, **changes
        )
        return self._out(instance.pk)

    @extend_schema(
        tags=["certifications"],
        summary="吊销上岗资格（记录保留）",
        request=s.CertificationRevokeSerializer,
        responses={200: s.CertificationSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        certification = self.get_object()
        data = s.CertificationRevokeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.certification_revoke(
            actor=request.user, certification_id=certification.pk, reason=data.validated_data["reason"]
        )
        return self._out(certification.pk)


# --- training and exams (PPL-4) ------------------------------------------------------------------

EXAM_ERRORS = {
    400: OpenApiResponse(
        description="输入有误：`exam.answers_invalid`、`exam.score_invalid`、`exam.engineer_required`"
    ),
    403: OpenApiResponse(description="没有权限（`permission_denied`）或不是本人答卷（`exam.not_yours`）"),
    404: OpenApiResponse(description="不存在或不在您的范围内（`exam.not_found`、`course.not_found`）"),
    409: OpenApiResponse(
        description="`exam.already_scored`、`exam.not_written`、`exam.not_practical`、`course.no_questions`"
    ),
}


@extend_schema_view(
    list=extend_schema(tags=["courses"], summary="培训课程列表（工程师只见启用的课程）"),
    retrieve=extend_schema(tags=["courses"], responses={200: s.CourseSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["courses"],
        summary="新建课程（HR；认证分类、考核方式、合格分数、有效期，PPL-2/PPL-4）",
        request=s.CourseWriteSerializer,
        responses={201: s.CourseSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=["courses"],
        summary="修改课程（带 version；已有考试按当时的合格分数）",
        request=s.CourseUpdateSerializer,
        responses={200: s.CourseSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    ),
)
class CourseViewSet(ActionDocumentViewSet):
    """培训课程 (PPL-4): what each course certifies, its pass mark and validity; `questions/` without answers (GET)
    or a new question for HR (POST)."""

    queryset = Course.objects.all()
    serializer_class = s.CourseSerializer
    filterset_class = CourseFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    required_perms = {
        "list": ["people.view_course"],
        "retrieve": ["people.view_course"],
        "create": ["people.add_course"],
        "partial_update": ["people.change_course"],
        "questions:GET": ["people.view_course"],
        "questions:POST": ["people.change_course"],
        "*": ["people.view_course"],
    }

    def get_queryset(self):
        return course_list(self.request.user).prefetch_related("questions")

    def _out(self, pk, status_code=status.HTTP_200_OK):
        return Response(s.CourseSerializer(self.get_queryset().get(pk=pk)).data, status=status_code)

    def create_object(self, request):
        data = s.CourseWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = services.course_create(actor=request.user, **data.validated_data)
        return self._out(course.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        course = self.get_object()
        data = s.CourseUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        services.course_update(actor=request.user, course_id=course.pk, expected_version=version, **changes)
        return self._out(course.pk)

    @extend_schema(
        methods=["GET"],
        tags=["courses"],
        summary="课程的考题（不含正确答案）",
        responses={200: s.QuestionSerializer(many=True), **ERROR_RESPONSES},
    )
    @extend_schema(
        methods=["POST"],
        tags=["courses"],
        summary="向题库添加单选题（HR；选项 A–D 与正确答案）",
        request=s.QuestionCreateSerializer,
        responses={201: s.QuestionSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def questions(self, request, pk=None):
        course = self.get_object()
        if request.method == "POST":
            data = s.QuestionCreateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            question = services.question_add(actor=request.user, course_id=course.pk, **data.validated_data)
            return Response(s.QuestionSerializer(question).data, status=status.HTTP_201_CREATED)
        rows = course.questions.filter(is_active=True).order_by("position", "id")
        return Response(s.QuestionSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(tags=["exam-attempts"], summary="考试记录（工程师只见本人的）"),
    retrieve=extend_schema(tags=["exam-attempts"], responses={200: s.ExamAttemptSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["exam-attempts"],
        summary="开始考试：笔试由工程师本人开始；实操由培训人员为工程师开始",
        request=s.ExamAttemptStartSerializer,
        responses={201: s.ExamAttemptSerializer, **EXAM_ERRORS},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class ExamAttemptViewSet(ActionDocumentViewSet):
    """考试记录 (PPL-4): start, submit the answers (scored by the system), grade a practical assessment."""

    queryset = ExamAttempt.objects.all()
    serializer_class = s.ExamAttemptSerializer
    filterset_class = ExamAttemptFilterSet
    required_perms = {
        "list": [],
        "retrieve": [],
        "create": [],
        "submit": ["people.take_exam"],
        "grade": ["people.grade_examattempt"],
    }

    def get_queryset(self):
        return attempt_list(self.request.user)

    def _out(self, pk, status_code=status.HTTP_200_OK):
        attempt = self.get_queryset().get(pk=pk)
        response = Response(s.ExamAttemptSerializer(attempt).data, status=status_code)
        response["ETag"] = f'W/"{attempt.version}"'
        return response

    def create_object(self, request):
        data = s.ExamAttemptStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = None
        if data.validated_data.get("user"):
            user = User.objects.visible_to(request.user).filter(pk=data.validated_data["user"]).first()
            if user is None:
                raise DomainError(PeopleErrorCode.EXAM_ENGINEER_REQUIRED, _("请选择在您范围内的工程师"))
        attempt = services.exam_attempt_start(actor=request.user, course_id=data.validated_data["course"], user=user)
        return self._out(attempt.pk, status.HTTP_201_CREATED)

    @extend_schema(
        tags=["exam-attempts"],
        summary="交卷：系统按答案计分（不接受分数），返回成绩与是否合格",
        request=s.ExamAttemptSubmitSerializer,
        responses={200: s.ExamAttemptSerializer, **EXAM_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        attempt = self.get_object()
        data = s.ExamAttemptSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.exam_attempt_submit(actor=request.user, attempt_id=attempt.pk, answers=data.validated_data["answers"])
        return self._out(attempt.pk)

    @extend_schema(
        tags=["exam-attempts"],
        summary="录入实操考核成绩与说明（培训人员）",
        request=s.ExamAttemptGradeSerializer,
        responses={200: s.ExamAttemptSerializer, **EXAM_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def grade(self, request, pk=None):
        attempt = self.get_object()
        data = s.ExamAttemptGradeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.exam_attempt_grade(actor=request.user, attempt_id=attempt.pk, **data.validated_data)
        return self._out(attempt.pk)
