"""Complaints API: `/api/v1/complaints/`, `/api/v1/compensation-fund/`, `/api/v1/compensation-requests/`,
`/api/v1/recoveries/`, `/api/v1/improvement-actions/` (issue 5 contract).

Reads go through `.visible_to(user)` (out of scope → 404, also for actions); each state change is a POST
action calling one service. Illegal moves → 409 `status.invalid_transition`.

`pay` (CMP-8): within the caller's authority the payout is made → **200** with `paid: true`; above it a
pending approval request is created → **202** with `paid: false` and `pending` (the payout happens when a
higher level approves through `approve-payment`); beyond HQ's authority → 409 `compensation.over_hq_limit`;
an empty fund → 409 `fund.insufficient`.
"""

from django.db.models import Q
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from salesservice.core.api.mixins import IDEMPOTENCY_HEADER
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN, ScopedDocumentViewSet
from salesservice.service.api.views import ActionPermissions

from .. import compensation, selectors, services
from ..choices import (
    CompensationRequestStatus,
    ComplaintChannel,
    ComplaintLevel,
    ComplaintStatus,
    EntryKind,
    RecoveryStatus,
    ResponsibleParty,
)
from ..models import CompensationEntry, CompensationRequest, Complaint, ImprovementAction, Recovery
from . import serializers as s

STATE_ERRORS = {
    **FORBIDDEN,
    **ERROR_RESPONSES,
    409: OpenApiResponse(
        description="状态不允许（`status.invalid_transition`）、版本过期（`conflict.stale`）或业务规则拒绝"
    ),
}
CLOSE_ERRORS = {
    **STATE_ERRORS,
    400: OpenApiResponse(
        description="结案条件不全：`close.root_cause_required`、`close.improvement_required`、"
        "`complaint.responsible_*_required`、`close.pending_compensation`；`fields.reasons` 列出全部原因"
    ),
}
PAY_ERRORS = {
    **STATE_ERRORS,
    409: OpenApiResponse(
        description="`fund.insufficient`（售后基金余额不足）、`compensation.over_hq_limit`（超出总部权限）、"
        "`compensation.invalid_status`、`status.invalid_transition`"
    ),
}


class ComplaintFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=ComplaintStatus.choices)
    store = filters.NumberFilter(field_name="store_id")
    level = filters.ChoiceFilter(choices=ComplaintLevel.choices)
    is_major = filters.BooleanFilter()
    responsible_party = filters.ChoiceFilter(choices=ResponsibleParty.choices)
    channel = filters.ChoiceFilter(choices=ComplaintChannel.choices)
    handler = filters.NumberFilter(field_name="handler_id")
    service_request = filters.NumberFilter(field_name="service_request_id")
    overdue = filters.BooleanFilter(method="filter_overdue", label="超时（首次答复或升级时限已过）")
    received_after = filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="lt")
    q = filters.CharFilter(method="search", label="单号 / 主题 / 内容 / 客户名称")

    class Meta:
        model = Complaint
        fields = ["status", "store", "level", "is_major", "responsible_party", "channel"]

    def filter_overdue(self, queryset, name, value):
        late = selectors.overdue_condition()
        return queryset.filter(late) if value else queryset.exclude(late)

    def search(self, queryset, name, value):
        return selectors.complaint_search(queryset, value)


COMPLAINT_PERMS = {
    "list": ["complaints.view_complaint"],
    "retrieve": ["complaints.view_complaint"],
    "create": ["complaints.add_complaint"],
    "close": ["complaints.close_complaint"],
    "pay": ["complaints.pay_compensation"],
    "approve_payment": ["complaints.approve_compensation"],
    "*": ["complaints.change_complaint"],
}


def _action_schema(summary, request, responses=None, errors=STATE_ERRORS):
    return extend_schema(
        tags=["complaints"], summary=summary, request=request,
        responses={200: responses or s.ComplaintDetailSerializer, **errors},
    )  # fmt: skip


@extend_schema_view(
    list=extend_schema(
        tags=["complaints"],
        summary="投诉列表（按门店范围）",
        parameters=[OpenApiParameter("ordering", str, description="received_at, escalation_due_at, number, level")],
    ),
    retrieve=extend_schema(tags=["complaints"], responses={200: s.ComplaintDetailSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["complaints"],
        summary="受理投诉（CMP-1；2 小时首次答复计时；重大投诉直接由总部处理）",
        request=s.ComplaintCreateSerializer,
        responses={201: s.ComplaintDetailSerializer, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class ComplaintViewSet(ScopedDocumentViewSet):
    queryset = Complaint.objects.all()
    serializer_class = s.ComplaintSerializer
    permission_classes = [ActionPermissions]
    required_perms = COMPLAINT_PERMS
    filterset_class = ComplaintFilter
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["received_at", "escalation_due_at", "number", "level"]
    ordering = ["-received_at", "-id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.complaint_list(self.request.user)

    def get_serializer_class(self):
        return s.ComplaintSerializer if self.action == "list" else s.ComplaintDetailSerializer

    def _fresh(self, complaint):
        return selectors.complaint_get(self.request.user, complaint.pk)

    def _out(self, complaint, code=status.HTTP_200_OK):
        return Response(s.ComplaintDetailSerializer(self._fresh(complaint)).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return self._out(obj)

    def create_object(self, request):
        data = s.ComplaintCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.complaint_create(actor=request.user, **data.validated_data)
        return self._out(created, status.HTTP_201_CREATED)

    def _run(self, serializer_class, service_func, **extra):
        obj = self.get_object()
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version", None)
        result = service_func(actor=self.request.user, complaint_id=obj.pk, expected_version=version, **values, **extra)
        return self._out(result)

    @_action_schema("首次答复客户（CMP-2，停止 2 小时计时）", s.ComplaintRequiredNoteSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        return self._run(s.ComplaintRequiredNoteSerializer, services.complaint_respond)

    @_action_schema("核实（CMP-3：协同部门、可认定责任方；再次调用追加核实记录）", s.ComplaintVerifySerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._run(s.ComplaintVerifySerializer, services.complaint_verify)

    @_action_schema("提出（或修改）解决方案（CMP-4）", s.ComplaintProposeSerializer)
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        return self._run(s.ComplaintProposeSerializer, services.complaint_propose)

    @_action_schema("客户认可方案", s.ComplaintNoteSerializer)
    @action(detail=True, methods=["post"])
    def agree(self, request, pk=None):
        return self._run(s.ComplaintNoteSerializer, services.complaint_agree)

    @_action_schema("客户不认可方案（须填原因；停留在“方案”待修改）", s.ComplaintReasonSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._run(s.ComplaintReasonSerializer, services.complaint_refuse)

    @_action_schema("按方案处理（结果反馈后客户不满意时再次处理，须填说明）", s.ComplaintNoteSerializer)
    @action(detail=True, methods=["post"])
    def implement(self, request, pk=None):
        return self._run(s.ComplaintNoteSerializer, services.complaint_implement)

    @_action_schema("向客户反馈处理结果（含满意度 1–5）", s.ComplaintFeedbackSerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        return self._run(s.ComplaintFeedbackSerializer, services.complaint_feedback)

    @_action_schema(
        "结案（CMP-5：根本原因、责任方、至少一项改进措施；需结案权限）", s.ComplaintCloseSerializer, errors=CLOSE_ERRORS
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._run(s.ComplaintCloseSerializer, services.complaint_close)

    @_action_schema("升级（门店→区部→总部，须填原因；CMP-7）", s.ComplaintReasonSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        return self._run(s.ComplaintReasonSerializer, services.complaint_escalate)

    @_action_schema("取消（登记错误/重复）", s.ComplaintReasonSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._run(s.ComplaintReasonSerializer, services.complaint_cancel)

    @_action_schema("客户撤诉", s.ComplaintReasonSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._run(s.ComplaintReasonSerializer, services.complaint_withdraw)

    @extend_schema(
        tags=["complaints"],
        summary="登记改进措施（负责人、完成期限；CMP-5）",
        request=s.ComplaintImprovementInputSerializer,
        responses={201: s.ComplaintImprovementActionSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="improvement-actions")
    def improvement_actions(self, request, pk=None):
        obj = self.get_object()
        data = s.ComplaintImprovementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.improvement_action_add(actor=request.user, complaint_id=obj.pk, **data.validated_data)
        return Response(s.ComplaintImprovementActionSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["complaints"],
        summary="先行赔付（CMP-8）：权限内直接赔付 200；超权限提交上级审批 202",
        request=s.CompensationPaySerializer,
        responses={200: s.CompensationPayResultSerializer, 202: s.CompensationPayResultSerializer, **PAY_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        obj = self.get_object()
        data = s.CompensationPaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = compensation.compensation_pay(actor=request.user, complaint_id=obj.pk, **data.validated_data)
        return self._pay_result(obj, entry=outcome.entry, pending=outcome.pending)

    def _pay_result(self, obj, *, entry=None, pending=None):
        body = {
            "paid": entry is not None,
            "entry": s.CompensationEntrySerializer(entry).data if entry else None,
            "pending": s.CompensationRequestSerializer(pending).data if pending else None,
            "complaint": s.ComplaintDetailSerializer(self._fresh(obj)).data,
        }
        return Response(body, status=status.HTTP_200_OK if entry is not None else status.HTTP_202_ACCEPTED)

    @extend_schema(
        tags=["complaints"],
        summary="审批超权限赔付（上一级且权限覆盖金额；approve=false 为驳回，须填 note）",
        request=s.CompensationApproveSerializer,
        responses={200: s.CompensationPayResultSerializer, **PAY_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="approve-payment")
    def approve_payment(self, request, pk=None):
        obj = self.get_object()
        data = s.CompensationApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if not obj.compensation_requests.filter(pk=values["request"]).exists():
            return Response(
                {"code": "compensation.request_not_found", "detail": "该投诉没有此赔付申请", "fields": {}},
                status=status.HTTP_404_NOT_FOUND,
            )
        decided = compensation.compensation_approve(
            actor=request.user, request_id=values["request"], approve=values["approve"], note=values.get("note", "")
        )
        body = {
            "paid": decided.entry_id is not None,
            "entry": s.CompensationEntrySerializer(decided.entry).data if decided.entry_id else None,
            "pending": s.CompensationRequestSerializer(decided).data,
            "complaint": s.ComplaintDetailSerializer(self._fresh(obj)).data,
        }
        return Response(body)


# --- the fund ----------------------------------------------------------------------------------


def fund_summary(user) -> dict:
    fund = compensation.fund_get()
    level, limit = compensation.actor_limit(user)
    return {
        "name": fund.name,
        "balance": fund.balance,
        "updated_at": fund.updated_at,
        "limits": {key: compensation.authority_limit(value) for key, value in
                   (("store", 0), ("region", 1), ("hq", 2))},
        "my_level": level,
        "my_limit": limit,
        "ledger": list(selectors.ledger(user)[:20]),
    }  # fmt: skip


class FundPermissions(permissions.BasePermission):
    """Reading the fund needs `view_compensationentry`; a top-up (POST) `manage_compensation_fund`."""

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated or not user.has_perm("complaints.view_compensationentry"):
            return False
        return request.method != "POST" or user.has_perm("complaints.manage_compensation_fund")


class CompensationFundView(APIView):
    """CMP-8: the after-sales fund — balance, authority limits and the latest ledger lines."""

    permission_classes = [FundPermissions]

    @extend_schema(tags=["compensation"], summary="售后基金余额、各级权限与最近台账",
                   responses={200: s.CompensationFundSerializer, **FORBIDDEN})  # fmt: skip
    def get(self, request):
        return Response(s.CompensationFundSerializer(fund_summary(request.user)).data)


class CompensationTopUpView(APIView):
    permission_classes = [FundPermissions]

    @extend_schema(
        tags=["compensation"], summary="售后基金注资（需“可管理售后基金”权限）",
        request=s.CompensationTopUpSerializer, responses={201: s.CompensationEntrySerializer, **FORBIDDEN,
                                                          **ERROR_RESPONSES},
    )  # fmt: skip
    def post(self, request):
        data = s.CompensationTopUpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = compensation.fund_top_up(actor=request.user, **data.validated_data)
        return Response(s.CompensationEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class LedgerFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=EntryKind.choices)
    complaint = filters.NumberFilter(field_name="complaint_id")
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")


@extend_schema_view(get=extend_schema(tags=["compensation"], summary="售后基金台账（注资/赔付/追偿收回）"))
class CompensationLedgerView(ListAPIView):
    permission_classes = [FundPermissions]
    queryset = CompensationEntry.objects.none()
    serializer_class = s.CompensationEntrySerializer
    filterset_class = LedgerFilter

    def get_queryset(self):
        return selectors.ledger(self.request.user)


# --- compensation requests, recoveries, improvement actions ------------------------------------


class CompensationRequestFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=CompensationRequestStatus.choices)
    complaint = filters.NumberFilter(field_name="complaint_id")
    mine_to_approve = filters.BooleanFilter(method="filter_mine", label="只看我可以审批的")

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=selectors.pending_approvals(self.request.user).values("pk"))


@extend_schema_view(
    list=extend_schema(tags=["compensation"], summary="超权限赔付申请"),
    retrieve=extend_schema(tags=["compensation"], responses={200: s.CompensationRequestSerializer, **ERROR_RESPONSES}),
)
class CompensationRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ActionPermissions]
    required_perms = {"*": ["complaints.view_complaint"]}
    queryset = CompensationRequest.objects.none()
    serializer_class = s.CompensationRequestSerializer
    filterset_class = CompensationRequestFilter

    def get_queryset(self):
        return CompensationRequest.objects.visible_to(self.request.user).select_related("complaint")


class RecoveryFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=RecoveryStatus.choices)
    party = filters.ChoiceFilter(choices=ResponsibleParty.choices)
    complaint = filters.NumberFilter(field_name="complaint_id")


@extend_schema_view(
    list=extend_schema(tags=["compensation"], summary="追偿（向责任厂家/网点/员工收回先行赔付）"),
    retrieve=extend_schema(tags=["compensation"], responses={200: s.RecoverySerializer, **ERROR_RESPONSES}),
)
class RecoveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ActionPermissions]
    required_perms = {"settle": ["complaints.manage_compensation_fund"], "*": ["complaints.view_compensationentry"]}
    queryset = Recovery.objects.none()
    serializer_class = s.RecoverySerializer
    filterset_class = RecoveryFilter

    def get_queryset(self):
        return selectors.recovery_list(self.request.user)

    @extend_schema(
        tags=["compensation"], summary="追偿结清（写入追偿收回台账，基金余额增加）",
        request=s.RecoverySettleSerializer, responses={200: s.RecoverySerializer, **STATE_ERRORS},
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        obj = self.get_object()
        data = s.RecoverySettleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        compensation.recovery_settle(actor=request.user, recovery_id=obj.pk, **data.validated_data)
        return Response(s.RecoverySerializer(self.get_queryset().get(pk=obj.pk)).data)


class ImprovementActionFilter(filters.FilterSet):
    done = filters.BooleanFilter(field_name="done_at", lookup_expr="isnull", exclude=True)
    owner = filters.NumberFilter(field_name="owner_id")
    complaint = filters.NumberFilter(field_name="complaint_id")
    overdue = filters.BooleanFilter(method="filter_overdue")

    def filter_overdue(self, queryset, name, value):
        late = Q(done_at__isnull=True, due_date__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


@extend_schema_view(
    list=extend_schema(tags=["complaints"], summary="投诉改进措施（总结改进，跟踪到完成）"),
    retrieve=extend_schema(
        tags=["complaints"], responses={200: s.ComplaintImprovementActionSerializer, **ERROR_RESPONSES}
    ),
)
class ImprovementActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ActionPermissions]
    required_perms = {"*": ["complaints.view_complaint"]}
    queryset = ImprovementAction.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = s.ComplaintImprovementActionSerializer
    filterset_class = ImprovementActionFilter

    def get_queryset(self):
        return selectors.improvement_action_list(self.request.user)

    @extend_schema(
        tags=["complaints"], summary="确认改进措施完成（负责人或有结案权限者）",
        request=s.ComplaintImprovementDoneSerializer,
        responses={200: s.ComplaintImprovementActionSerializer, **STATE_ERRORS},
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        obj = self.get_object()
        data = s.ComplaintImprovementDoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.improvement_action_done(actor=request.user, action_id=obj.pk, **data.validated_data)
        return Response(s.ComplaintImprovementActionSerializer(self.get_queryset().get(pk=obj.pk)).data)
