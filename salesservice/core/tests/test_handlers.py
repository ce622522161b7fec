"""Issue 17 §2: a token-authenticated API request passes through `TOKEN_API_MIDDLEWARE` (core.handlers) and is
answered, refused and audited as through the full chain; everything else takes the full chain."""

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.test.client import ClientHandler
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from salesservice.core.handlers import TokenApiChain
from salesservice.core.models import OrgUnit

pytestmark = pytest.mark.django_db


class _ChainClientHandler(TokenApiChain, ClientHandler):
    """The test client's handler with the production handler's two chains."""


@pytest.fixture
def chained(monkeypatch):
    """A client whose requests go through the two chains; `taken` lists the paths the token chain answered."""
    taken = []

    def make(username=None, users=None):
        client = APIClient()
        client.handler = _ChainClientHandler(enforce_csrf_checks=False)
        client.handler.load_middleware()
        answer = client.handler.token_api.get_response
        client.handler.token_api.get_response = lambda request: taken.append(request.path) or answer(request)
        if username:
            token, _ = Token.objects.get_or_create(user=users[username])
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    make.taken = taken
    return make


def test_the_token_chain_is_the_full_chain_without_what_a_token_request_never_needs():
    dropped = [entry for entry in settings.MIDDLEWARE if entry not in settings.TOKEN_API_MIDDLEWARE]
    assert [entry for entry in settings.MIDDLEWARE if entry in settings.TOKEN_API_MIDDLEWARE] == (
        settings.TOKEN_API_MIDDLEWARE
    )
    assert sorted(dropped) == sorted(
        [
            "whitenoise.middleware.WhiteNoiseMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
            "django_htmx.middleware.HtmxMiddleware",
            "axes.middleware.AxesMiddleware",
        ]
    )


def test_a_token_request_is_answered_by_the_token_chain_as_by_the_full_one(users, api_for, chained, demo):
    full = api_for("admin").get("/api/v1/users/me/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    lean = chained("admin", users).get("/api/v1/users/me/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chained.taken == ["/api/v1/users/me/"]
    assert (lean.status_code, lean.json()) == (full.status_code, full.json()) == (200, full.json())
    for header in ("X-Request-ID", "X-Content-Type-Options", "X-Frame-Options", "Content-Language", "Content-Type"):
        assert header in lean and header in full, header
    assert lean["X-Frame-Options"] == full["X-Frame-Options"] and lean["Content-Language"] == full["Content-Language"]
    assert lean["Content-Security-Policy"] == full["Content-Security-Policy"]


def test_a_create_by_token_is_written_and_audited_as_through_the_full_chain(users, chained, demo):
    client = chained("admin", users)
    body = {"code": "token-chain", "name": "令牌链门店", "kind": "store", "parent": demo["east"].pk}
    response = client.post("/api/v1/org-units/", body, format="json", HTTP_X_REQUEST_ID="req-token-chain")
    assert response.status_code == 201, response.json()
    assert chained.taken == ["/api/v1/org-units/"]
    unit = OrgUnit.objects.get(code="token-chain")
    entry = LogEntry.objects.get_for_object(unit).get(action=LogEntry.Action.CREATE)
    assert entry.actor_id == users["admin"].pk and entry.remote_addr == "127.0.0.1"
    assert entry.additional_data["via"] == f"api:token#{users['admin'].pk}"
    assert entry.cid == "req-token-chain"


def test_a_bad_token_is_refused_by_the_token_chain(chained):
    client = chained()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get("/api/v1/users/me/")
    assert chained.taken == ["/api/v1/users/me/"]
    assert response.status_code == 401 and response.json()["code"]


def test_the_language_is_the_callers_in_the_token_chain(users, api_for, chained, demo):
    body = {"name": "缺编码"}
    full = api_for("admin").post("/api/v1/org-units/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    lean = chained("admin", users).post("/api/v1/org-units/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert (lean.status_code, lean.json()) == (full.status_code, full.json())
    assert lean["Content-Language"] == full["Content-Language"] == "en"


def test_sessions_pages_and_the_token_endpoint_take_the_full_chain(users, chained, demo):
    client = chained()
    client.force_login(users["xuhui_cs"])
    assert client.get("/api/v1/users/me/").json()["username"] == "xuhui_cs"  # session auth needs the session
    token = chained("admin", users)
    assert token.get("/").status_code in (200, 302)  # a page, even with a token header
    anonymous = chained()
    response = anonymous.post("/api/v1/auth/token/", {"username": "xuhui_cs", "password": "demo-pass-2026"})
    assert response.status_code == 200 and response.json()["token"]
    assert chained.taken == []
