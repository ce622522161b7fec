"""Complaints API: `/api/v1/complaints/`, `/api/v1/compensation-fund/`, `/api/v1/compensation-requests/`,
`/api/v1/recoveries/`, `/api/v1/improvement-actions/` (issue 5 contract).

Reads go through `.visible_to(user)` (out of scope → 404, also for actions); each action is a POST calling one
service, generated from the workflows of `workflows.py` (`core.api.workflow.WorkflowActionsMixin`: request
body, `version` or `If-Match`, schema). Illegal moves → 409 `status.invalid_transition`.

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
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN, ActionPermissions, ScopedDocumentViewSet
from salesservice.core.api.workflow import WorkflowActionsMixin

from .. import compensation, selectors, services
from ..choices import (
    CompensationRequestStatus,
    EntryKind,
)
from ..filtersets import ComplaintFilterSet, RecoveryFilterSet
from ..models import CompensationEntry, CompensationRequest, Complaint, ImprovementAction, Recovery
from ..workflows import COMPLAINT_WORKFLOW, RECOVERY_WORKFLOW
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


# The workflow's actions add their own permission (`act_close`: close_complaint, `act_pay`: pay_compensation …).
COMPLAINT_PERMS = {
    "list": ["complaints.view_complaint"],
    "retrieve": ["complaints.view_complaint"],
    "create": ["complaints.add_complaint"],
    "*": ["complaints.change_complaint"],
}


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
    # What the workflow's generated schema cannot say: close refusals are 400s; a payout may answer 202.
    act_close=extend_schema(responses={200: s.ComplaintDetailSerializer, **CLOSE_ERRORS}),
    act_pay=extend_schema(
        responses={200: s.CompensationPayResultSerializer, 202: s.CompensationPayResultSerializer, **PAY_ERRORS}
    ),
    act_approve_payment=extend_schema(responses={200: s.CompensationPayResultSerializer, **PAY_ERRORS}),
)
class ComplaintViewSet(WorkflowActionsMixin, ScopedDocumentViewSet):
    """Complaints; the actions (respond, verify, propose, agree, refuse, implement, feedback, close, escalate,
    withdraw, cancel, pay, approve-payment) come from `COMPLAINT_WORKFLOW`."""

    workflow = COMPLAINT_WORKFLOW
    workflow_tags = ["complaints"]
    workflow_response = s.ComplaintDetailSerializer
    queryset = Complaint.objects.all()
    serializer_class = s.ComplaintSerializer
    permission_classes = [ActionPermissions]
    required_perms = COMPLAINT_PERMS
    filterset_class = ComplaintFilterSet
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

    def action_response(self, declared, obj, result):
        """Actions answer with the complaint read fresh (with its relations); a payout or a decision on one with
        the ledger line, the request and the complaint (CMP-8)."""
        if declared.name == "pay":
            return self._pay_result(obj, entry=result.entry, pending=result.pending)
        if declared.name == "approve-payment":
            return self._pay_result(obj, entry=result.entry if result.entry_id else None, pending=result, decided=True)
        return self._out(obj)

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

    def _pay_result(self, obj, *, entry=None, pending=None, decided=False):
        body = {
            "paid": entry is not None,
            "entry": s.CompensationEntrySerializer(entry).data if entry else None,
            "pending": s.CompensationRequestSerializer(pending).data if pending else None,
            "complaint": s.ComplaintDetailSerializer(self._fresh(obj)).data,
        }
        paid_now = entry is not None or decided
        return Response(body, status=status.HTTP_200_OK if paid_now else status.HTTP_202_ACCEPTED)


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


@extend_schema_view(
    list=extend_schema(tags=["compensation"], summary="追偿（向责任厂家/网点/员工收回先行赔付）"),
    retrieve=extend_schema(tags=["compensation"], responses={200: s.RecoverySerializer, **ERROR_RESPONSES}),
)
class RecoveryViewSet(WorkflowActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Recoveries; `settle` comes from `RECOVERY_WORKFLOW` (needs `manage_compensation_fund`)."""

    workflow = RECOVERY_WORKFLOW
    workflow_tags = ["compensation"]
    workflow_response = s.RecoverySerializer
    permission_classes = [ActionPermissions]
    required_perms = {"*": ["complaints.view_compensationentry"]}
    queryset = Recovery.objects.none()
    serializer_class = s.RecoverySerializer
    filterset_class = RecoveryFilterSet

    def get_queryset(self):
        return selectors.recovery_list(self.request.user)

    def action_response(self, declared, obj, result):
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
