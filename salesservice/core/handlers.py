"""The WSGI application: a token-authenticated API request passes through the middleware it needs, not the pages'
(issue 17 §2).

A request to `/api/` with `Authorization: Token …` is authenticated by DRF's token authentication, which comes
first in `DEFAULT_AUTHENTICATION_CLASSES` and either finds the token's user or answers 401 — the session is never
consulted. So for it the session, the authenticated user from the session, CSRF (DRF's views are exempt; token
requests carry no cookie to forge), messages, htmx details, static files and django-axes' lockout page (it acts on
a lockout flagged by `authenticate()`, which a token request never calls) are work done for nothing: 216 of a
create's 5 704 Python calls (`bench/create_profile.py`-style count, docs/performance.md step 18).

`settings.TOKEN_API_MIDDLEWARE` is the chain for those requests — `settings.MIDDLEWARE` without them, in the same
order: security headers, CSP, the language (the API honours `Accept-Language`), common (Content-Length,
`APPEND_SLASH`), the request context for the audit trail, X-Frame-Options. Every other request — pages, the API with
a session, the token endpoint itself (username and password: axes counts its failures) — takes `settings.MIDDLEWARE`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIHandler


def takes_token_chain(request) -> bool:
    """An API request that DRF will authenticate by its token (or refuse): `/api/` and `Authorization: Token …`."""
    return request.path_info.startswith("/api/") and request.META.get("HTTP_AUTHORIZATION", "")[:6].lower() == "token "


class TokenApiChain:
    """A handler mixin: a second middleware chain, `TOKEN_API_MIDDLEWARE`, for token-authenticated API requests."""

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async)
        self.token_api = BaseHandler()
        configured = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.TOKEN_API_MIDDLEWARE  # load_middleware() reads the setting; restored below
        try:
            self.token_api.load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = configured

    def get_response(self, request):
        if takes_token_chain(request):
            return self.token_api.get_response(request)
        return super().get_response(request)


class TokenApiWSGIHandler(TokenApiChain, WSGIHandler):
    """Django's WSGI handler with the token API's chain."""


def get_wsgi_application():
    """`django.core.wsgi.get_wsgi_application` with `TokenApiWSGIHandler`."""
    import django

    django.setup(set_prefix=False)
    return TokenApiWSGIHandler()
