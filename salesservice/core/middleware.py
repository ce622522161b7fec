"""Request context (request id, client IP, channel) wired into the audit trail, and the CSP header."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from . import context


def client_ip(request) -> str | None:
    """The client's address; trusts X-Forwarded-For only when PROXY_COUNT says a proxy sets it."""
    proxy_count = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxy_count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxy_count:
            return hops[-proxy_count]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Sets the request context (request id, client IP, user, channel) for audit and events.

    DRF authenticates a token inside the view, after this middleware ran, so the token
    authentication class updates the same context (see `core.audit.fill_log_entry`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = (request.headers.get("X-Request-ID") or "")[:40] or None
        ctx = context.RequestContext(remote_addr=client_ip(request))
        if request_id:
            ctx.request_id = request_id
        is_api = request.path.startswith("/api/")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ctx.user = user
            ctx.via = "api:session" if is_api else "web"
        else:
            ctx.via = "api" if is_api else "web"
        token = context.activate(ctx)
        request.request_id = ctx.request_id
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = ctx.request_id
        return response


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header (Django 5.2 has none built in)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """The pages speak the language the user chose (the cookie the 语言 switch sets), else `LANGUAGE_CODE`
    (Simplified Chinese) — not whatever the browser's Accept-Language says: staff in China often run an
    English-language browser and still expect their company's system in Chinese. The API keeps honouring
    Accept-Language, which an integration sends on purpose."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        try:
            language = translation.get_supported_language_variant(chosen)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
