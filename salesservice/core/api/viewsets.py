"""The viewset every app's documents use, and the schema pieces they share (DESIGN §6).

`DocumentViewSet`: list, retrieve, create with `Idempotency-Key`, PATCH with a version check; state
changes are POST actions on the item that call one service. `ScopedDocumentViewSet` adds org scoping
(`.visible_to(request.user)`; out of scope is 404).
"""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import mixins, permissions, viewsets

from .mixins import IdempotentCreateMixin, OptimisticUpdateMixin, ScopedQuerysetMixin

ERROR_RESPONSES = {
    400: OpenApiResponse(description="输入有误 `{code, detail, fields}`"),
    404: OpenApiResponse(description="不存在或不在您的范围内"),
    409: OpenApiResponse(description="状态冲突或版本过期 (`conflict.stale`)"),
}
FORBIDDEN = {403: OpenApiResponse(description="没有权限")}


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions, including `view_*` for reads."""

    perms_map = {**permissions.DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"]}


class ActionPermissions(permissions.BasePermission):
    """Per-action (and per-method) permissions: `required_perms = {"action": [...], "action:POST": [...]}`."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        table = getattr(view, "required_perms", {})
        perms = table.get(f"{view.action}:{request.method}", table.get(view.action))
        if perms is None:
            perms = table.get("*", [])
        return request.user.has_perms(perms)


class DocumentViewSet(
    IdempotentCreateMixin,
    OptimisticUpdateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    http_method_names = ["get", "post", "patch", "head", "options"]


class ScopedDocumentViewSet(ScopedQuerysetMixin, DocumentViewSet):
    pass


# A document whose state changes are workflow actions: list, retrieve, create (`Idempotency-Key`), ETag / If-Match,
# permissions per action (`required_perms`); PATCH only where the viewset defines `partial_update`. Put
# `WorkflowActionsMixin` before it for the declared actions' endpoints. (A comment, not a docstring: spectacular
# would publish a base class's docstring as every operation's description.)
class ActionDocumentViewSet(
    ScopedQuerysetMixin,
    IdempotentCreateMixin,
    OptimisticUpdateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [ActionPermissions]
