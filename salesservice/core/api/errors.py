"""Every API error has one shape: {"code": "...", "detail": "...", "fields": {...}}."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..exceptions import DomainError

_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    415: "unsupported_media_type",
    429: "throttled",
}


def _first_text(value):
    if isinstance(value, list) and value:
        return _first_text(value[0])
    if isinstance(value, dict) and value:
        return _first_text(next(iter(value.values())))
    return str(value)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "detail": str(exc.message), "fields": exc.fields}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        body = {"code": "invalid", "detail": _first_text(fields) or "输入有误", "fields": fields}
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else _first_text(data)
        code = getattr(detail, "code", None) or _CODES.get(response.status_code, "error")
        if response.status_code == status.HTTP_404_NOT_FOUND:
            code = "not_found"
        body = {"code": str(code), "detail": str(detail), "fields": {}}
    response.data = body
    return response
