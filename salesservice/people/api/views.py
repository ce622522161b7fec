"""Certifications API (PPL-4): scoped reads, create (Idempotency-Key), PATCH with version, revoke."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from salesservice.core.api.mixins import (
    IDEMPOTENCY_HEADER,
)
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN, ScopedDocumentViewSet

from .. import services
from ..filtersets import CertificationFilterSet
from ..models import Certification
from ..selectors import certification_list
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
