"""Core API: auth token, org units, users, policy parameters, notifications, audit and access logs."""

from auditlog.models import LogEntry
from django.contrib.auth import authenticate
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from .. import notifications as notification_service
from .. import privacy, services
from ..exceptions import DomainError
from ..filtersets import LogEntryFilterSet, OrgUnitFilterSet, UserFilterSet
from ..models import Membership, Notification, OrgUnit, PersonalDataAccess, PolicyParameter, PolicyValue, User
from ..policy import policy_set, value_record_at
from ..scoping import visible_unit_ids
from . import serializers as s
from .mixins import IDEMPOTENCY_HEADER, OptimisticUpdateMixin
from .viewsets import ERROR_RESPONSES, DocumentViewSet, ModelPermissions, ScopedDocumentViewSet  # noqa: F401


@extend_schema(
    tags=["auth"],
    request=s.TokenRequestSerializer,
    responses={200: s.TokenResponseSerializer, 400: OpenApiResponse(description="用户名或密码错误")},
    auth=[],
)
class TokenView(APIView):
    """Exchange a username and password for an API token (lockout applies after repeated failures)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle]

    def post(self, request):
        serializer = s.TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request=request._request, **serializer.validated_data)
        if user is None or not user.is_active:
            raise DomainError("auth.invalid_credentials", _("用户名或密码错误"))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "user": user.pk})


@extend_schema_view(
    list=extend_schema(tags=["org"], summary="组织单元列表（按权限范围）"),
    retrieve=extend_schema(tags=["org"], responses={200: s.OrgUnitSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["org"],
        request=s.OrgUnitCreateSerializer,
        responses={201: s.OrgUnitSerializer, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=["org"], request=s.OrgUnitUpdateSerializer, responses={200: s.OrgUnitSerializer, **ERROR_RESPONSES}
    ),
)
class OrgUnitViewSet(ScopedDocumentViewSet):
    queryset = OrgUnit.objects.all()
    serializer_class = s.OrgUnitSerializer
    filterset_class = OrgUnitFilterSet

    def create_object(self, request):
        data = s.OrgUnitCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        unit = services.org_unit_create(actor=request.user, **data.validated_data)
        return Response(s.OrgUnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = s.OrgUnitUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        unit = services.org_unit_update(actor=request.user, unit_id=instance.pk, expected_version=version, **changes)
        return Response(s.OrgUnitSerializer(unit).data)


@extend_schema_view(
    list=extend_schema(tags=["users"], summary="用户列表（按权限范围；手机号、邮箱脱敏）"),
    retrieve=extend_schema(tags=["users"], responses={200: s.UserSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        tags=["users"],
        request=s.UserCreateSerializer,
        responses={201: s.UserSerializer, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    ),
    partial_update=extend_schema(
        tags=["users"], request=s.UserUpdateSerializer, responses={200: s.UserSerializer, **ERROR_RESPONSES}
    ),
)
class UserViewSet(ScopedDocumentViewSet):
    queryset = User.objects.all()
    serializer_class = s.UserSerializer
    filterset_class = UserFilterSet

    def get_base_queryset(self):
        return User.objects.prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("org_unit", "role"))
        )

    def get_permissions(self):
        if self.action in {"me", "partial_update", "reveal"}:
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    def create_object(self, request):
        data = s.UserCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_create(actor=request.user, **data.validated_data)
        return Response(s.UserSerializer(user, context={"request": request}).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = s.UserUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        user = services.user_update(actor=request.user, user_id=instance.pk, expected_version=version, **changes)
        return Response(s.UserSerializer(user, context={"request": request}).data)

    @extend_schema(tags=["users"], responses={200: s.MeSerializer})
    @action(detail=False, methods=["get"])
    def me(self, request):
        """The authenticated user, with roles, org units and effective permissions."""
        user = self.get_base_queryset().get(pk=request.user.pk)
        return Response(s.MeSerializer(user, context={"request": request}).data)

    @extend_schema(
        tags=["users"],
        request=s.RevealRequestSerializer,
        responses={200: s.RevealResponseSerializer, 403: OpenApiResponse(description="无权查看"), **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """Reveal one masked field in full; each reveal is written to the access log."""
        target = self.get_object()
        data = s.RevealRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        value = privacy.reveal(
            actor=request.user,
            obj=target,
            field=data.validated_data["field"],
            purpose=data.validated_data.get("purpose", ""),
        )
        return Response({"field": data.validated_data["field"], "value": value})


@extend_schema_view(
    list=extend_schema(tags=["policies"], summary="政策参数及当前值"),
    retrieve=extend_schema(tags=["policies"], responses={200: s.PolicyParameterSerializer, **ERROR_RESPONSES}),
    partial_update=extend_schema(
        tags=["policies"],
        summary="设置新值（新增一个版本；旧值对之前的时间仍然有效；须注明依据的已批准受控文件版本 document_version，DOC-1）",
        request=s.PolicyUpdateSerializer,
        responses={200: s.PolicyParameterSerializer, **ERROR_RESPONSES},
    ),
)
class PolicyParameterViewSet(
    OptimisticUpdateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = PolicyParameter.objects.all()
    serializer_class = s.PolicyParameterSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    lookup_field = "key"
    lookup_value_regex = r"[a-z0-9_.]+"
    filterset_fields = ["category", "source_clause", "value_type"]
    http_method_names = ["get", "patch", "head", "options"]
    cursor_ordering = "key"

    def get_queryset(self):
        return PolicyParameter.objects.all()

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._attach_current(page if page is not None else queryset)
        return page

    @staticmethod
    def _attach_current(parameters, at=None):
        """One query for the values in force of all parameters on the page (no N+1)."""
        parameters = list(parameters)
        at = at or timezone.now()
        values = (
            PolicyValue.objects.filter(parameter__in=parameters, effective_from__lte=at)
            .select_related("created_by")
            .order_by("parameter_id", "-effective_from", "-number")
        )
        current = {}
        for value in values:
            current.setdefault(value.parameter_id, value)
        for parameter in parameters:
            parameter.current_value = current.get(parameter.pk)
        return parameters

    def retrieve(self, request, *args, **kwargs):
        parameter = self.get_object()
        self._attach_current([parameter])
        return Response(self.get_serializer(parameter).data)

    def partial_update(self, request, *args, **kwargs):
        parameter = self.get_object()
        data = s.PolicyUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        policy_set(
            actor=request.user,
            key=parameter.key,
            value=data.validated_data["value"],
            effective_from=data.validated_data.get("effective_from"),
            reason=data.validated_data["reason"],
            expected_version=data.validated_data["version"],
            document_version=data.validated_data.get("document_version"),
        )
        parameter.refresh_from_db()
        self._attach_current([parameter])
        return Response(self.get_serializer(parameter).data)

    @extend_schema(tags=["policies"], responses={200: s.PolicyValueSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request, key=None):
        """Every version of the parameter, newest first (who changed it, when, why)."""
        parameter = self.get_object()
        values = parameter.values.select_related("created_by").order_by("-number")
        return Response(s.PolicyValueSerializer(values, many=True).data)

    @extend_schema(
        tags=["policies"],
        parameters=[OpenApiParameter("at", OpenApiTypes.DATETIME, description="默认当前时间")],
        responses={200: s.PolicyValueAtSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get"], url_path="value-at")
    def value_at(self, request, key=None):
        """The value in force at a moment (`?at=2026-11-01T00:00:00+08:00`)."""
        parameter = self.get_object()
        raw = request.query_params.get("at")
        at = parse_datetime(raw) if raw else timezone.now()
        if at is None or timezone.is_naive(at):
            raise DomainError("policy.invalid_at", _("at 必须是带时区的 ISO-8601 时间"), fields={"at": [_("格式错误")]})
        record = value_record_at(parameter.key, at)
        return Response(
            {
                "key": parameter.key,
                "at": at,
                "value": record.value,
                "number": record.number,
                "effective_from": record.effective_from,
            }
        )


@extend_schema_view(
    list=extend_schema(
        tags=["notifications"],
        summary="我的通知",
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="只看未读")],
    ),
    retrieve=extend_schema(tags=["notifications"]),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.NotificationSerializer
    queryset = Notification.objects.all()

    def get_queryset(self):
        queryset = Notification.objects.filter(recipient=self.request.user)
        if self.request.query_params.get("unread") in {"1", "true", "yes"}:
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    @extend_schema(tags=["notifications"], request=None, responses={200: s.MarkReadResponseSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        updated = notification_service.mark_read(user=request.user, notification_ids=[notification.pk])
        return Response({"updated": updated, "unread": notification_service.unread_count(request.user)})

    @extend_schema(tags=["notifications"], request=None, responses={200: s.MarkReadResponseSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        updated = notification_service.mark_read(user=request.user)
        return Response({"updated": updated, "unread": 0})

    @extend_schema(tags=["notifications"], responses={200: s.MarkReadResponseSerializer})
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"updated": 0, "unread": notification_service.unread_count(request.user)})


@extend_schema_view(
    list=extend_schema(tags=["audit"], summary="字段级审计日志"), retrieve=extend_schema(tags=["audit"])
)
class AuditLogViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Field-level change history of every model. Needs `auditlog.view_logentry`; non-HQ readers see
    the entries of actors in their scope."""

    serializer_class = s.LogEntrySerializer
    queryset = LogEntry.objects.all()
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    filterset_class = LogEntryFilterSet

    def get_queryset(self):
        queryset = LogEntry.objects.select_related("actor", "content_type")
        user = self.request.user
        if not user.is_superuser and visible_unit_ids(user) is not None:
            queryset = queryset.filter(actor__in=User.objects.visible_to(user).values("pk"))
        return queryset


@extend_schema_view(
    list=extend_schema(tags=["audit"], summary="个人信息访问记录"), retrieve=extend_schema(tags=["audit"])
)
class AccessLogViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.AccessLogSerializer
    queryset = PersonalDataAccess.objects.all()
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    filterset_fields = ["user", "field", "target_id"]

    def get_queryset(self):
        return PersonalDataAccess.objects.select_related("user", "target_type")
