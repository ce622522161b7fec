"""Journeys of the foundation: every demo user logs in to a Chinese workbench; English on request;
scoping holds in the browser; the API docs open; lockout after repeated failures."""

import pytest

from salesservice.core.demo import DEMO_PASSWORD, DEMO_USERS
from tests.browser.conftest import shot


def login(page, base_url, username, password=DEMO_PASSWORD):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_each_demo_user_logs_in_and_sees_a_chinese_workbench(demo_site, page):
    for username, display_name, *_ in DEMO_USERS:
        login(page, demo_site.url, username)
        page.wait_for_selector("#workbench-title")
        assert page.inner_text("#workbench-title") == "工作台"
        assert display_name in page.inner_text("body")
        assert page.locator("#my-roles").is_visible()
        if username in {"admin", "xuhui_cs"}:
            shot(page, f"workbench-{username}")
        page.click("#user-menu")
        page.click("#logout-button")
        page.wait_for_selector("#id_username")


def test_language_switch_to_english_and_back(demo_site, page):
    login(page, demo_site.url, "xuhui_manager")
    page.wait_for_selector("#workbench-title")
    page.select_option("select[name=language]", "en")
    page.wait_for_function("document.querySelector('#workbench-title').innerText === 'Workbench'")
    assert "My roles" in page.inner_text("#my-roles")
    shot(page, "workbench-en")
    page.select_option("select[name=language]", "zh-hans")
    page.wait_for_function("document.querySelector('#workbench-title').innerText === '工作台'")


def test_store_staff_cannot_open_another_stores_records(demo_site, page):
    from salesservice.core.models import OrgUnit

    tianhe = OrgUnit.objects.get(code="gz-tianhe")
    login(page, demo_site.url, "xuhui_cs")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{demo_site.url}/org/units/")
    body = page.inner_text("body")
    assert "上海徐汇店" in body and "广州天河店" not in body
    response = page.goto(f"{demo_site.url}/org/units/{tianhe.pk}/")
    assert response.status == 404


def test_manager_reveals_a_phone_number_and_it_is_logged(demo_site, page):
    from salesservice.core.models import PersonalDataAccess, User

    engineer = User.objects.get(username="xuhui_engineer")
    login(page, demo_site.url, "xuhui_manager")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{demo_site.url}/org/users/{engineer.pk}/")
    assert "139****3003" in page.inner_text("#phone-value")
    page.click("#reveal-phone")
    page.wait_for_selector("#phone-value .revealed")
    assert page.inner_text("#phone-value .revealed") == "13900003003"
    assert PersonalDataAccess.objects.filter(user__username="xuhui_manager", field="phone").count() == 1


def test_admin_changes_a_policy_parameter_in_the_ui(demo_site, page):
    from salesservice.core.policy import policy_value
    from salesservice.documents.testing import approved_version

    version = approved_version("RET-1")  # DOC-1: a policy change cites an approved document version
    login(page, demo_site.url, "admin")
    page.wait_for_selector("#policy-panel")
    page.click("text=无理由退货期（远程销售）")
    page.fill("#id_value", "10")
    page.fill("#id_reason", "年终促销延长")
    page.select_option("#id_document_version", str(version.pk))
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#policy-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "10" in page.inner_text("#current-value")
    shot(page, "policy-detail")
    assert str(policy_value("returns.no_reason_days")) == "10"


def test_api_docs_open(demo_site, page):
    login(page, demo_site.url, "xuhui_cs")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{demo_site.url}/api/v1/docs/")
    page.wait_for_selector("#operations-tag-users", timeout=30_000)
    page.click("#operations-tag-users")
    page.wait_for_selector("text=/api/v1/users/me/", timeout=30_000)
    shot(page, "api-docs")


@pytest.mark.parametrize("attempts", [5])
def test_lockout_after_failed_logins(demo_site, page, attempts):
    for _ in range(attempts):
        login(page, demo_site.url, "tianhe_cs", password="wrong-password")
    login(page, demo_site.url, "tianhe_cs")
    page.wait_for_selector("#locked-out")
    assert "锁定" in page.inner_text("#locked-out")
