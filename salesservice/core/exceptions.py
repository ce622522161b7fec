"""Domain errors: a machine-readable code and a Chinese message; the API maps them to 400/409."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused the action. `code` is stable (e.g. "dispatch.uncertified")."""

    status_code = 400
    default_message = _("操作被拒绝")

    def __init__(self, code: str, message=None, *, fields: dict | None = None):
        self.code = code
        self.message = message or self.default_message
        self.fields = fields or {}
        super().__init__(f"{code}: {self.message}")


class InvalidTransition(DomainError):
    """A status move that the document's transition table does not allow."""

    status_code = 409
    default_message = _("当前状态不允许此操作")


class ConflictError(DomainError):
    """A stale write (someone else changed the record first) or a duplicate."""

    status_code = 409
    default_message = _("记录已被他人修改，请刷新后重试")


class PermissionDeniedError(DomainError):
    status_code = 403
    default_message = _("没有权限执行此操作")


class NotFoundError(DomainError):
    """The record does not exist or is outside the actor's scope (never says which) — 404."""

    status_code = 404
    default_message = _("记录不存在或不在您的范围内")
