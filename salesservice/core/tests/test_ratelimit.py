"""Issue 12 §9 — rate limits hold across workers, and password spraying meets a per-IP limit.

Before: CACHES was Django's per-process memory, so `gunicorn -w 2` let 7 posts in 2 minutes through the
5-per-hour public form; axes locked a username after 5 failures but a script trying one password on
many usernames from one address never met a limit.
"""

import pytest
from django.conf import settings as live_settings
from django.core.cache.backends.filebased import FileBasedCache

from salesservice.core import ratelimit

pytestmark = pytest.mark.django_db


def test_the_configured_cache_is_shared_between_processes():
    import importlib

    import salesservice.settings as production

    importlib.reload(production)  # the project's own settings, not the test overrides
    assert production.CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache"


def test_two_workers_share_one_counter(tmp_path):
    """Two cache objects on the same location stand for two worker processes of the embedded setup."""
    worker_a, worker_b = FileBasedCache(str(tmp_path), {}), FileBasedCache(str(tmp_path), {})
    for _ in range(3):
        assert not ratelimit.exceeded("t", "10.0.0.1", limit=5, window=60, cache=worker_a)
    for _ in range(2):
        assert not ratelimit.exceeded("t", "10.0.0.1", limit=5, window=60, cache=worker_b)
    assert ratelimit.exceeded("t", "10.0.0.1", limit=5, window=60, cache=worker_a)
    assert not ratelimit.exceeded("t", "10.0.0.2", limit=5, window=60, cache=worker_b)


def test_the_public_form_answers_429_past_its_limit(client, demo):
    from salesservice.service.public import RATE_LIMIT

    store = demo["sh-xuhui"]
    body = {"name": "张先生", "phone": "13912345678", "store": store.pk, "category": "repair",
            "product": "空调", "description": "不制冷"}  # fmt: skip
    codes = [client.post("/service/request/", body).status_code for _ in range(RATE_LIMIT + 2)]
    assert codes[-1] == 429 and codes[-2] == 429
    page = client.post("/service/request/", body)
    assert "提交过于频繁" in page.content.decode()


def test_password_spraying_meets_a_per_ip_limit(api_for, users, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 6
    names = [name for name in users if name != "admin"][:7]
    client = api_for(None)
    answers = [
        client.post("/api/v1/auth/token/", {"username": name, "password": "Spring2026!"}).status_code for name in names
    ]
    assert answers[:6] == [400] * 6  # each username failed once: axes' per-user lockout never triggers
    assert answers[6] == 429
    # the right password from that address is refused too until the window ends
    locked = client.post("/api/v1/auth/token/", {"username": "admin", "password": "demo-pass-2026"})
    assert locked.status_code == 429
    assert locked.json()["code"] == "auth.locked_out" and "网络地址" in locked.json()["detail"]
    assert live_settings.LOGIN_IP_WINDOW_SECONDS >= 60
