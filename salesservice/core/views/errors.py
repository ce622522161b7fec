"""Error pages that speak the caller's language: JSON under `/api/`, the Chinese HTML page elsewhere.

Django answers an unknown route, a malformed id (`/api/v1/service-requests/1.5/`), a body over
`DATA_UPLOAD_MAX_MEMORY_SIZE` or an unhandled exception before DRF's exception handler is reached; without
these handlers an API client got an HTML page. The JSON has the API's error shape
(`{"code", "detail", "fields"}`, DESIGN §6).
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _json(code: str, detail: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"code": code, "detail": detail, "fields": {}}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def bad_request(request, exception, template_name="400.html"):
    if _is_api(request):
        return _json("bad_request", _("请求无效（格式错误或请求体过大）"), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception, template_name="403.html"):
    if _is_api(request):
        return _json("permission_denied", _("您没有执行该操作的权限"), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception, template_name="404.html"):
    if _is_api(request):
        return _json("not_found", _("接口或记录不存在"), 404)
    return defaults.page_not_found(request, exception)


def server_error(request, template_name="500.html"):
    if _is_api(request):
        return _json("server_error", _("服务器内部错误，已记录；请稍后重试"), 500)
    return defaults.server_error(request)
