"""The UI shell: login with lockout, a workbench per role in Chinese, English on request."""

import pytest
from django.test import Client

from salesservice.core.demo import DEMO_PASSWORD, DEMO_USERS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", [row[0] for row in DEMO_USERS])
def test_every_demo_user_logs_in_and_sees_a_chinese_workbench(users, username):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "工作台" in page and 'lang="zh-hans"' in page
    assert "我的岗位" in page and "未读通知" in page


def test_role_aware_navigation(web_for):
    admin_page = web_for("admin").get("/").content.decode()
    assert "政策参数" in admin_page and "审计日志" in admin_page and 'id="policy-panel"' in admin_page
    cs_page = web_for("xuhui_cs").get("/").content.decode()
    assert "政策参数" not in cs_page and "审计日志" not in cs_page
    assert "上海徐汇店" in cs_page and "客服专员" in cs_page


def test_language_switch_to_english(web_for):
    client = web_for("xuhui_cs")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    page = response.content.decode()
    assert 'lang="en"' in page
    assert "Workbench" in page and "工作台" not in page


def test_pages_stay_chinese_for_an_english_browser_until_the_user_switches(web_for):
    """Chinese first: an English Accept-Language does not change the pages; the 语言 switch does, and the
    API keeps answering in the language an integration asks for."""
    client = web_for("xuhui_cs")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in page and "工作台" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    anonymous = Client().get("/api/v1/users/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert anonymous.status_code in (401, 403) and "credentials" in anonymous.json()["detail"].lower()


def test_lockout_after_repeated_failed_logins(users):
    client = Client()
    for _ in range(5):
        failed = client.post("/accounts/login/", {"username": "xuhui_cs", "password": "wrong"})
    assert failed.status_code in (200, 429)
    locked = client.post("/accounts/login/", {"username": "xuhui_cs", "password": DEMO_PASSWORD})
    assert locked.status_code == 429 and "锁定" in locked.content.decode()


def test_api_token_lockout_after_repeated_failures(users):
    from rest_framework.test import APIClient

    client = APIClient()
    for _ in range(5):
        client.post("/api/v1/auth/token/", {"username": "tianhe_cs", "password": "x"}, format="json")
    locked = client.post("/api/v1/auth/token/", {"username": "tianhe_cs", "password": DEMO_PASSWORD}, format="json")
    assert locked.status_code in (403, 429)
    assert "token" not in locked.json()


def test_list_pages_filter_sort_and_export(web_for):
    client = web_for("admin")
    page = client.get("/org/units/", {"kind": "store", "sort": "-name"}).content.decode()
    assert "深圳南山店" in page and "华东区</a>" not in page
    partial = client.get("/org/units/", {"kind": "region"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "华南区" in partial
    export = client.get("/org/units/", {"kind": "store", "export": "xlsx"})
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]


def test_list_page_query_count_is_independent_of_rows(web_for, django_assert_max_num_queries):
    client = web_for("admin")
    with django_assert_max_num_queries(20):
        client.get("/org/users/")
    with django_assert_max_num_queries(20):
        client.get("/org/units/")


def test_pages_without_permission_are_forbidden(web_for):
    client = web_for("xuhui_cs")
    assert client.get("/policies/").status_code == 403
    assert client.get("/audit/log/").status_code == 403
    assert client.get("/audit/access/").status_code == 403


def test_logout_requires_post_and_ends_session(web_for):
    client = web_for("xuhui_cs")
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_list_count_is_capped_for_huge_lists(demo, web_for, monkeypatch):
    """Performance: past the cap the list says "more than N" instead of counting everything."""
    from salesservice.core.views.generic import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 3)
    page = web_for("admin").get("/org/units/").content.decode()
    assert "超过 3 条" in page
    monkeypatch.setattr(CappedPaginator, "cap", 10_000)
    assert "超过" not in web_for("admin").get("/org/units/").content.decode()
