"""Audit trail: field history with who/when/from where; the personal-data access log on every reveal."""

import pytest
from auditlog.models import LogEntry

from salesservice.core.models import Event, PersonalDataAccess

pytestmark = pytest.mark.django_db


def test_page_edit_records_field_changes_with_actor_and_ip(demo, users, web_for):
    client = web_for("admin")
    unit = demo["sh-xuhui"]
    response = client.post(
        f"/org/units/{unit.pk}/",
        {"version": unit.version, "name": "上海徐汇旗舰店", "address": "漕溪北路1号", "phone": "", "is_active": "on"},
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    entry = LogEntry.objects.filter(content_type__model="orgunit", object_pk=str(unit.pk), action=1).latest("timestamp")
    assert entry.actor == users["admin"] and entry.remote_addr == "192.0.2.7"
    assert entry.changes_dict["name"] == ["上海徐汇店", "上海徐汇旗舰店"]
    assert entry.additional_data["via"] == "web"
    page = client.get(f"/org/units/{unit.pk}/").content.decode()
    assert "上海徐汇旗舰店" in page and "变更记录" in page and "修改组织单元" in page


def test_stale_page_edit_shows_a_chinese_error_and_changes_nothing(demo, web_for):
    client = web_for("admin")
    unit = demo["sh-xuhui"]
    response = client.post(f"/org/units/{unit.pk}/", {"version": unit.version + 5, "name": "改不了", "is_active": "on"})
    assert response.status_code == 200 and "已被他人修改" in response.content.decode()
    unit.refresh_from_db()
    assert unit.name == "上海徐汇店"


def test_audit_log_api_filters_and_needs_permission(demo, users, api_for):
    api_for("admin").patch(f"/api/v1/org-units/{demo['hq'].pk}/", {"version": 1, "address": "上海市"}, format="json")
    auditor = api_for("auditor")
    rows = auditor.get("/api/v1/audit-log/", {"model": "core.orgunit", "action": "update"}).json()["results"]
    assert rows and rows[0]["changes"]["address"] == ["", "上海市"]
    assert rows[0]["actor"]["username"] == "admin"
    assert (
        auditor.get("/api/v1/audit-log/", {"model": "core.orgunit", "actor": users["xuhui_cs"].pk}).json()["results"]
        == []
    )
    assert api_for("xuhui_cs").get("/api/v1/audit-log/").status_code == 403


def test_reveal_via_api_returns_full_value_and_is_logged(users, api_for):
    target = users["xuhui_cs"]
    response = api_for("xuhui_manager").post(
        f"/api/v1/users/{target.pk}/reveal/", {"field": "phone", "purpose": "回访"}
    )
    assert response.status_code == 200 and response.json()["value"] == "13900003002"
    access = PersonalDataAccess.objects.get()
    assert access.user == users["xuhui_manager"] and access.field == "phone" and access.purpose == "回访"
    assert Event.objects.filter(event_type="core.personal_data_revealed", target_id=str(target.pk)).exists()
    logged = api_for("auditor").get("/api/v1/access-log/").json()["results"]
    assert logged[0]["field"] == "phone"


def test_reveal_refused_without_permission_and_nothing_logged(users, api_for):
    target = users["xuhui_manager"]
    response = api_for("xuhui_cs").post(f"/api/v1/users/{target.pk}/reveal/", {"field": "phone"})
    assert response.status_code == 403 and response.json()["code"] == "privacy.forbidden"
    assert not PersonalDataAccess.objects.exists()


def test_reveal_out_of_scope_is_404(users, api_for):
    response = api_for("xuhui_manager").post(f"/api/v1/users/{users['tianhe_cs'].pk}/reveal/", {"field": "phone"})
    assert response.status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_reveal_in_page_swaps_value_and_logs(users, web_for):
    client = web_for("xuhui_manager")
    target = users["xuhui_engineer"]
    page = client.get(f"/org/users/{target.pk}/").content.decode()
    assert "139****3003" in page and "13900003003" not in page
    revealed = client.post(f"/org/users/{target.pk}/reveal/phone/", HTTP_HX_REQUEST="true")
    assert revealed.status_code == 200 and "13900003003" in revealed.content.decode()
    assert PersonalDataAccess.objects.filter(user=users["xuhui_manager"], field="phone").count() == 1


def test_user_list_masks_phones_and_exports_masked(users, web_for):
    client = web_for("xuhui_manager")
    page = client.get("/org/users/").content.decode()
    assert "139****3002" in page and "13900003002" not in page
    export = client.get("/org/users/", {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "139****3002" in values and "13900003002" not in values
    assert "tianhe_cs" not in values
