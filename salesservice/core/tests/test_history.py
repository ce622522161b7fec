"""The 变更记录 on a record's page reads like the page: choice labels, related names, local time,
readable JSON, 是/否 — not auditlog's stored codes and ids."""

import pytest
from auditlog.models import LogEntry

from salesservice.core.history import change_rows
from salesservice.core.models import Attachment, Event, OrgUnit

pytestmark = pytest.mark.django_db


def test_stored_values_are_shown_as_users_read_them(users):
    store = OrgUnit.objects.get(code="sh-xuhui")
    entry = LogEntry.objects.get_for_object(store).filter(action=LogEntry.Action.CREATE).first()
    entry = entry or LogEntry.objects.log_create(
        store, action=LogEntry.Action.CREATE, changes={"kind": ["None", "store"]}
    )
    entry.changes = {
        "kind": ["region", "store"],
        "parent": ["None", str(store.parent_id)],
        "is_active": ["True", "False"],
        "created_at": ["None", "2026-11-16 23:10:49.143386"],
        "version": ["1", "2"],
    }
    change_rows(OrgUnit, [entry])
    rows = {label: (old, new) for label, old, new in entry.change_rows}
    kind = str(OrgUnit._meta.get_field("kind").verbose_name)
    parent = str(OrgUnit._meta.get_field("parent").verbose_name)
    active = str(OrgUnit._meta.get_field("is_active").verbose_name)
    assert rows[kind] == ("区部", "门店")
    assert rows[parent] == ("", str(store.parent))
    assert rows[active] == ("是", "否")
    assert str(OrgUnit._meta.get_field("version").verbose_name) not in rows  # bookkeeping left out
    assert not any("2026-11-16" in new for _old, new in rows.values())
    assert entry.action_label == "新建"


def test_json_and_utc_times_are_readable(users):
    entry = LogEntry(action=LogEntry.Action.UPDATE)
    entry.changes = {
        "new": ["None", '{"outcome_label": "\\u9000\\u8d27\\u9000\\u6b3e"}'],
        "uploaded_at": ["2026-11-16 23:10:49.143386", "2026-11-17 00:00:00"],
        "unknown": ["a", "b"],
    }
    change_rows(Event, [entry])
    rows = {label: (old, new) for label, old, new in entry.change_rows}
    assert rows[str(Event._meta.get_field("new").verbose_name)] == ("", '{"outcome_label": "退货退款"}')
    assert rows["已删除的字段（unknown）"] == ("a", "b")  # not a field of the model (any more): said so
    entry.changes = {"uploaded_at": ["2026-11-16 23:10:49.143386", "2026-11-17 00:00:00"]}
    change_rows(Attachment, [entry])
    assert entry.change_rows[0][1:] == ("2026-11-17 07:10", "2026-11-17 08:00")  # UTC → Asia/Shanghai


def test_audit_log_page_reads_the_same_way(web_for):
    store = OrgUnit.objects.get(code="sh-xuhui")
    LogEntry.objects.log_create(
        store, action=LogEntry.Action.UPDATE, changes={"kind": ["region", "store"], "is_active": ["True", "False"]}
    )
    page = web_for("admin").get("/audit/log/").content.decode()
    assert "类型: 区部 → 门店" in page and "启用: 是 → 否" in page and "修改" in page


def test_reverse_relations_never_show_and_the_export_reads_like_the_page(web_for):
    """Issue 12 §20: no `core.PolicyValue.None` in a parameter's history, no `contact_phone` in the export."""
    from io import BytesIO

    from openpyxl import load_workbook

    from salesservice.core.models import PolicyParameter

    parameter = PolicyParameter.objects.first()
    entry = LogEntry.objects.log_create(
        parameter, action=LogEntry.Action.UPDATE,
        changes={"values": ["core.PolicyValue.None", "core.PolicyValue.None"], "name": ["旧名", "新名"]},
    )  # fmt: skip
    change_rows(PolicyParameter, [entry])
    assert [label for label, _old, _new in entry.change_rows] == [
        str(PolicyParameter._meta.get_field("name").verbose_name)
    ]
    store = OrgUnit.objects.get(code="sh-xuhui")
    LogEntry.objects.log_create(store, action=LogEntry.Action.UPDATE, changes={"kind": ["region", "store"]})
    sheet = load_workbook(BytesIO(web_for("admin").get("/audit/log/?export=xlsx").content)).active
    text = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value)
    assert "区部 → 门店" in text and "kind:" not in text and "PolicyValue.None" not in text


def test_structured_policy_values_read_as_labels(web_for):
    """Issue 12 §20: the policy table shows 发函警告 1 次/月, not {'warned': 1, …}."""
    page = web_for("admin").get("/policies/").content.decode()
    assert "发函警告 1次/月" in page and "{&#x27;warned&#x27;" not in page and "{'warned'" not in page


def test_sources_and_dates_read_in_chinese():
    """Issue 12 §20: no "system"/"api:token#3" on a page, one date format (not 2026年11月4日)."""
    import datetime as dt

    from salesservice.core.templatetags.core_tags import display, via_label

    assert via_label("system") == "系统" and via_label("web") == "网页"
    assert via_label("api:token#3") == "接口（令牌 #3）" and via_label("api:session") == "接口（会话）"
    assert display(dt.date(2026, 11, 4)) == "2026-11-04"
