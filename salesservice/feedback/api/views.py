"""Feedback API (FBK-1 … FBK-4): `/api/v1/follow-ups/`, `/api/v1/surveys/`, `/api/v1/survey-responses/`,
`/api/v1/suggestions/`, `/api/v1/feedback/coverage/`, `/api/v1/feedback/metrics/`.

Reads go through `.visible_to(user)` (out of scope → 404, also for actions); each state change is a
POST action on the item calling one service — the follow-up's and the suggestion's are derived from their
workflows (`workflows.py`) by `WorkflowActionsMixin`.
"""

import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from salesservice.core.api.mixins import IDEMPOTENCY_HEADER, IdempotentCreateMixin
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN, ActionPermissions
from salesservice.core.api.workflow import WorkflowActionsMixin
from salesservice.core.exceptions import DomainError
from salesservice.core.input_guards import parse_id, sane_date

from .. import selectors, services, survey_services
from ..filtersets import FollowUpFilterSet, SuggestionFilterSet
from ..models import FollowUp, Suggestion, SurveyResponse, SurveyTemplate
from ..workflows import FOLLOW_UP_WORKFLOW, SUGGESTION_WORKFLOW
from . import serializers as s

STATE_ERRORS = {
    **FORBIDDEN,
    **ERROR_RESPONSES,
    409: OpenApiResponse(
        description="状态不允许（`status.invalid_transition`、`follow_up.not_open`）或版本过期（`conflict.stale`）"
    ),
}


def _version(request, values: dict):
    version = values.pop("version", None)
    if version is None and request.headers.get("If-Match"):
        try:
            version = int(request.headers["If-Match"].strip('W/"'))
        except ValueError:
            raise DomainError("version.invalid", _("If-Match 须为版本号"), fields={"version": [_("无效")]}) from None
    return version


# --- follow-ups ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(tags=["feedback"], summary="回访列表（按门店范围；FBK-1）"),
    retrieve=extend_schema(tags=["feedback"], responses={200: s.FollowUpDetailSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["feedback"],
        summary="安排回访（服务后/投诉后/交付后/重点客户定期；同一来源只能安排一次 → 409 `follow_up.duplicate`）",
        request=s.FollowUpCreateSerializer,
        responses={201: s.FollowUpDetailSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class FollowUpViewSet(
    WorkflowActionsMixin,
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Follow-ups; `attempt`, `complete` and `close` come from `FOLLOW_UP_WORKFLOW`."""

    workflow = FOLLOW_UP_WORKFLOW
    workflow_tags = ["feedback"]
    workflow_response = s.FollowUpDetailSerializer
    queryset = FollowUp.objects.all()
    serializer_class = s.FollowUpSerializer
    permission_classes = [ActionPermissions]
    required_perms = {
        "list": ["feedback.view_followup"],
        "retrieve": ["feedback.view_followup"],
        "create": ["feedback.add_followup"],
        "*": ["feedback.change_followup"],
    }
    filterset_class = FollowUpFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        queryset = selectors.follow_up_list(self.request.user)
        if self.action != "list":
            queryset = queryset.prefetch_related("attempts__recorded_by")
        return queryset

    def get_serializer_class(self):
        return s.FollowUpSerializer if self.action == "list" else s.FollowUpDetailSerializer

    def _out(self, follow_up, code=status.HTTP_200_OK):
        fresh = self.get_queryset().prefetch_related("attempts__recorded_by").get(pk=follow_up.pk)
        return Response(s.FollowUpDetailSerializer(fresh).data, status=code)

    def create_object(self, request):
        data = s.FollowUpCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.follow_up_create(actor=request.user, **data.validated_data)
        return self._out(created, status.HTTP_201_CREATED)

    def action_response(self, declared, obj, result):
        """An action answers with the follow-up re-read with its attempts (an attempt returns the attempt)."""
        return self._out(obj, declared.response_status)

    @extend_schema(
        tags=["feedback"],
        summary="客户反映的问题一键转为新服务单（需受理服务单权限）",
        request=s.FollowUpIssueSerializer,
        responses={201: s.FollowUpOpenedSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="open-service-request")
    def open_service_request(self, request, pk=None):
        return self._open_from_issue(request, services.follow_up_open_service_request)

    def _open_from_issue(self, request, open_record):
        """Turn the issue a customer raised into a new service request or complaint (201 with id, number)."""
        obj = self.get_object()
        data = s.FollowUpIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = open_record(
            actor=request.user, follow_up_id=obj.pk, description=data.validated_data.get("description", "")
        )
        return Response(
            {"id": created.pk, "number": str(getattr(created, "number", created.pk))}, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        tags=["feedback"],
        summary="客户反映的问题一键转为投诉（投诉模块启用时；否则 400 `complaint.unavailable`）",
        request=s.FollowUpIssueSerializer,
        responses={201: s.FollowUpOpenedSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="open-complaint")
    def open_complaint(self, request, pk=None):
        return self._open_from_issue(request, services.follow_up_open_complaint)


# --- survey templates ------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(tags=["feedback"], summary="满意度问卷（各版本；is_current 为当前版本）"),
    retrieve=extend_schema(tags=["feedback"], responses={200: s.SurveyTemplateSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["feedback"],
        summary="新建问卷（评分 1–5、NPS 0–10、单选、多选、文字）",
        request=s.SurveyTemplateCreateSerializer,
        responses={201: s.SurveyTemplateSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class SurveyTemplateViewSet(
    IdempotentCreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = SurveyTemplate.objects.all()
    serializer_class = s.SurveyTemplateSerializer
    permission_classes = [ActionPermissions]
    required_perms = {
        "create": ["feedback.add_surveytemplate"],
        "new_version": ["feedback.change_surveytemplate"],
        "*": ["feedback.view_surveytemplate"],
    }
    filterset_fields = ["key", "is_current", "is_active"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return SurveyTemplate.objects.visible_to(self.request.user).prefetch_related("questions")

    def _out(self, template, code=status.HTTP_200_OK):
        return Response(s.SurveyTemplateSerializer(self.get_queryset().get(pk=template.pk)).data, status=code)

    def create_object(self, request):
        data = s.SurveyTemplateCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = survey_services.survey_template_create(actor=request.user, **data.validated_data)
        return self._out(template, status.HTTP_201_CREATED)

    @extend_schema(
        tags=["feedback"],
        summary="修订问卷：已有答复的版本不改动，生成新版本（返回新版本）；未答复的当前版本原地修改",
        request=s.SurveyTemplateReviseSerializer,
        responses={200: s.SurveyTemplateSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        obj = self.get_object()
        data = s.SurveyTemplateReviseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = _version(request, values)
        revised = survey_services.survey_template_revise(
            actor=request.user, template_id=obj.pk, expected_version=version, **values
        )
        return self._out(revised)


# --- survey responses ------------------------------------------------------------------------


class SurveyResponseFilter(filters.FilterSet):
    store = filters.NumberFilter(field_name="store_id")
    staff = filters.NumberFilter(field_name="staff_id")
    product = filters.NumberFilter(field_name="product_id")
    customer = filters.NumberFilter(field_name="customer_id")
    service_request = filters.NumberFilter(field_name="service_request_id")
    template = filters.NumberFilter(field_name="template_id")
    submitted_after = filters.IsoDateTimeFilter(field_name="submitted_at", lookup_expr="gte")
    submitted_before = filters.IsoDateTimeFilter(field_name="submitted_at", lookup_expr="lt")

    class Meta:
        model = SurveyResponse
        fields = ["store", "staff", "product", "customer", "service_request", "template"]


@extend_schema_view(
    list=extend_schema(tags=["feedback"], summary="问卷答复（含答案；按门店范围）"),
    retrieve=extend_schema(tags=["feedback"], responses={200: s.SurveyResponseSerializer, **ERROR_RESPONSES}),
)
class SurveyResponseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = SurveyResponse.objects.all()
    serializer_class = s.SurveyResponseSerializer
    permission_classes = [ActionPermissions]
    required_perms = {"*": ["feedback.view_surveyresponse"]}
    filterset_class = SurveyResponseFilter

    def get_queryset(self):
        return selectors.survey_response_list(self.request.user)


# --- suggestions -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(tags=["feedback"], summary="意见箱 / 在线评价（按门店范围；FBK-3）"),
    retrieve=extend_schema(tags=["feedback"], responses={200: s.SuggestionSerializer, **ERROR_RESPONSES}),
)
class SuggestionViewSet(
    WorkflowActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Suggestion-box entries; `triage` comes from `SUGGESTION_WORKFLOW`."""

    workflow = SUGGESTION_WORKFLOW
    workflow_tags = ["feedback"]
    workflow_response = s.SuggestionSerializer
    queryset = Suggestion.objects.all()
    serializer_class = s.SuggestionSerializer
    permission_classes = [ActionPermissions]
    required_perms = {"*": ["feedback.view_suggestion"]}  # + `act_triage` from the workflow
    filterset_class = SuggestionFilterSet

    def get_queryset(self):
        return selectors.suggestion_list(self.request.user)

    def action_response(self, declared, obj, result):
        """`triage` answers with the entry re-read in the caller's scope."""
        return Response(
            s.SuggestionSerializer(self.get_queryset().get(pk=obj.pk)).data, status=declared.response_status
        )


# --- reports ---------------------------------------------------------------------------------

PERIOD_PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="开始日期（含），默认结束日期前 N 天"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="结束日期（含），默认今天"),
]


def _period(request, default_days: int) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    raw_start, raw_end = request.query_params.get("start"), request.query_params.get("end")
    try:
        end = sane_date(parse_date(raw_end)) if raw_end else today
        start = sane_date(parse_date(raw_start)) if raw_start else None
    except ValueError:  # well-formed but impossible, e.g. 2026-13-01
        end = start = None
    if end is None or (raw_start and start is None):
        raise DomainError(
            "period.invalid", _("日期格式应为 YYYY-MM-DD，且在 1900–2100 年之间"), fields={"start": [_("无效")]}
        )
    start = start or end - dt.timedelta(days=default_days)
    if start > end:
        raise DomainError("period.invalid", _("开始日期不能晚于结束日期"), fields={"start": [_("无效")]})
    return start, end


class FeedbackCoverageView(APIView):
    """FBK-2: follow-up coverage of closed service requests, per store and ISO week, against the target."""

    permission_classes = [ActionPermissions]
    required_perms = {"*": ["feedback.view_followup"]}
    action = "get"  # ActionPermissions (and the schema) read a viewset-style action; "*" perms apply

    @extend_schema(
        tags=["feedback"],
        summary="回访覆盖率：已结案服务单 vs 已回访（按门店、按 ISO 周；对照目标，FBK-2）",
        parameters=PERIOD_PARAMETERS,
        responses={200: s.FeedbackCoverageSerializer, **FORBIDDEN, 400: ERROR_RESPONSES[400]},
    )
    def get(self, request):
        start, end = _period(request, 8 * 7)
        report = selectors.coverage_report(request.user, start=start, end=end)
        return Response(s.FeedbackCoverageSerializer(report).data)


class FeedbackMetricsView(APIView):
    """FBK-4: CSAT and NPS overall and by month, store, staff and product (the user's scope)."""

    permission_classes = [ActionPermissions]
    required_perms = {"*": ["feedback.view_surveyresponse"]}
    action = "get"

    @extend_schema(
        tags=["feedback"],
        summary="满意度指标：CSAT（评分 ≥ 4 占比、平均分）与 NPS，按月、门店、人员、商品",
        parameters=[*PERIOD_PARAMETERS, OpenApiParameter("store", OpenApiTypes.INT, description="只看某门店")],
        responses={200: s.FeedbackMetricsSerializer, **FORBIDDEN, 400: ERROR_RESPONSES[400]},
    )
    def get(self, request):
        start, end = _period(request, 183)
        store = request.query_params.get("store")
        store_id = parse_id(store)
        if store and store_id is None:
            raise DomainError("store.invalid", _("门店须为数字 ID"), fields={"store": [_("无效")]})
        report = selectors.metrics_report(request.user, start=start, end=end, store_id=store_id)
        return Response(s.FeedbackMetricsSerializer(report).data)
