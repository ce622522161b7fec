"""Shared fixtures: the demo org and users, API clients per user."""

import pytest
from rest_framework.test import APIClient

from salesservice.core.demo import load_demo_org


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit and login-failure counters start at zero in every test, and so does the process's
    configuration cache (`core.config_cache`: a rolled-back test may leave values under the base stamp)."""
    from django.core.cache import cache

    from salesservice.core import config_cache

    cache.clear()
    config_cache.clear()
    yield
    cache.clear()
    config_cache.clear()


@pytest.fixture
def demo(db):
    """The demo org tree and the 16 demo users; returns units by code."""
    return load_demo_org()


@pytest.fixture
def users(demo):
    from salesservice.core.models import User

    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def api_for(users):
    """api_for("xuhui_cs") → an APIClient authenticated with that user's token."""
    from rest_framework.authtoken.models import Token

    def make(username: str | None) -> APIClient:
        client = APIClient()
        if username:
            token, _ = Token.objects.get_or_create(user=users[username])
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def web_for(users, client):
    """web_for("xuhui_cs") → the Django test client logged in as that user."""

    def make(username: str):
        client.force_login(users[username])
        return client

    return make
