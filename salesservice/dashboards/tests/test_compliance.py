"""The compliance report (issue 16 §4): every clause of the inventory, evidence computed from the records, a clause
with no data is `no_data` — never `met`; scoped; bad input refused; printed/exported reports archived."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.evidence import EVIDENCE, MET, NO_DATA, SHORT, Period
from salesservice.dashboards.clauses import clause_ids, clauses, inventory_version, parse
from salesservice.dashboards.compliance import compliance_report
from salesservice.dashboards.models import ComplianceSnapshot

pytestmark = pytest.mark.django_db


def _year():
    today = timezone.localdate()
    return today.replace(month=1, day=1), today


def test_the_inventory_has_all_89_clauses_with_marks_and_sources():
    items = clauses()
    assert len(items) == 89 and len(clause_ids()) == 89
    assert all(item.marks and item.source and item.area for item in items)
    srv2 = next(item for item in items if item.id == "SRV-2")
    assert srv2.marks == ("enforce", "measure", "remind") and srv2.source == "002 §6.6.2"
    assert len(inventory_version()) == 12


def test_the_inventory_parser_reads_a_table_row_and_its_area_source():
    parsed = parse(
        "## Net (004 通程)\n| id | clause | marks |\n|---|---|---|\n| NET-9 | Weekly report | record, remind |\n"
    )
    assert [(c.id, c.source, c.marks) for c in parsed] == [("NET-9", "004 通程", ("record", "remind"))]


def test_every_evidence_function_cites_a_clause_of_the_inventory():
    assert set(EVIDENCE) <= clause_ids()
    assert {"SRV-2", "CMP-5", "FBK-2", "DEL-6", "TRC-1", "SUV-2"} <= set(EVIDENCE)


def test_with_no_records_every_clause_is_no_data_never_met(demo):
    start, end = _year()
    report = compliance_report(Period(start, end))
    assert len(report.results) == 89
    assert report.summary == {"clauses": 89, MET: 0, SHORT: 0, NO_DATA: 89}


def test_every_clause_has_an_evidence_rule():
    """Issue 16 §4: all 89 clauses of the inventory are proven from the records by at least one function."""
    assert set(EVIDENCE) == clause_ids()


def test_a_clause_without_a_rule_says_so_and_is_no_data(demo, monkeypatch):
    start, end = _year()
    monkeypatch.delitem(EVIDENCE, "SRV-2")
    result = next(r for r in compliance_report(Period(start, end)).results if r.clause.id == "SRV-2")
    assert result.status == NO_DATA and "尚无取证规则" in result.evidence[0].note


def _request(store, *, received_at, contacted_after_minutes):
    from salesservice.service.tests.factories import make_request

    request = make_request(store_code=store.code, received_at=received_at)
    if contacted_after_minutes is not None:
        request.first_contacted_at = received_at + dt.timedelta(minutes=contacted_after_minutes)
        request.save(update_fields=["first_contacted_at"])
    return request


def test_srv2_met_then_short_when_a_request_is_contacted_late(demo):
    """SRV-2: 2 requests contacted within 2 h → met 100 %; a third contacted after 3 h → short, 66.7 %, listed."""
    store = demo["sh-xuhui"]
    received = timezone.now() - dt.timedelta(days=1)
    _request(store, received_at=received, contacted_after_minutes=30)
    _request(store, received_at=received, contacted_after_minutes=90)
    period = Period(received.date() - dt.timedelta(days=1), timezone.localdate())
    aspect = next(e for e in compliance_report(period, only={"SRV-2"}).results[0].evidence if "首次联系" in e.aspect)
    assert aspect.status == MET and {f.label: f.value for f in aspect.figures}["比例"] == 100

    late = _request(store, received_at=received, contacted_after_minutes=180)
    result = compliance_report(period, only={"SRV-2"}).results[0]
    aspect = next(e for e in result.evidence if "首次联系" in e.aspect)
    figures = {f.label: f.value for f in aspect.figures}
    assert aspect.status == SHORT and result.status == SHORT
    assert (figures["记录数"], figures["按时联系"], str(figures["比例"])) == (3, 2, "66.7")
    assert [link.label for link in aspect.shortfalls] == [late.number]
    assert aspect.shortfall_count == 1


def test_a_unit_counts_only_its_own_subtree(demo):
    """The same late request counts for 上海徐汇店 and its region, not for 广州天河店."""
    received = timezone.now() - dt.timedelta(days=1)
    _request(demo["sh-xuhui"], received_at=received, contacted_after_minutes=300)
    start, end = received.date() - dt.timedelta(days=1), timezone.localdate()

    def status(unit):
        return compliance_report(Period(start, end, unit), only={"SRV-2"}).results[0].status

    assert status(demo["sh-xuhui"]) == SHORT
    assert status(demo["sh-xuhui"].parent) == SHORT
    assert status(demo["gz-tianhe"]) == NO_DATA


def test_api_lists_every_clause_with_status_and_evidence(api_for, demo):
    response = api_for("auditor").get("/api/v1/compliance-report/", {"start": "2026-01-01", "end": "2026-12-31"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["summary"]["clauses"] == 89 and len(body["clauses"]) == 89
    assert body["unit"] is None and body["unit_name"] == "全公司"
    srv2 = next(c for c in body["clauses"] if c["id"] == "SRV-2")
    assert srv2["status"] == "no_data" and srv2["marks"] == ["enforce", "measure", "remind"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"start": "2026-13-01", "end": "2026-12-31"}, "report.period_invalid"),
        ({"start": "2026-12-31", "end": "2026-01-01"}, "report.period_invalid"),
        ({"start": "2020-01-01", "end": "2026-12-31"}, "report.period_too_long"),
        ({"start": "x" * 5000, "end": "2026-12-31"}, "report.period_invalid"),
    ],
)
def test_api_refuses_bad_periods(api_for, demo, params, code):
    response = api_for("auditor").get("/api/v1/compliance-report/", params)
    assert response.status_code == 400 and response.json()["code"] == code


def test_api_scope_other_unit_is_404_own_unit_is_default(api_for, demo):
    manager = api_for("xuhui_manager")
    other = manager.get("/api/v1/compliance-report/", {"unit": demo["gz-tianhe"].pk})
    assert other.status_code == 404 and other.json()["code"] == "report.unit_not_found"
    assert manager.get("/api/v1/compliance-report/", {"unit": 999999}).status_code == 404
    own = manager.get("/api/v1/compliance-report/")
    assert own.status_code == 200 and own.json()["unit"] == demo["sh-xuhui"].pk


def test_api_and_page_refuse_users_without_the_permission(api_for, web_for, demo):
    assert api_for("xuhui_cs").get("/api/v1/compliance-report/").status_code == 403
    assert web_for("xuhui_cs").get("/reports/compliance/").status_code == 403


def test_page_shows_the_clauses_and_print_and_export_are_archived(web_for, demo):
    client = web_for("gm")
    page = client.get("/reports/compliance/", {"start": "2026-01-01", "end": "2026-12-31"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "制度执行合规报告" in text and 'id="clause-SRV-2"' in text and "无数据" in text
    filtered = client.get("/reports/compliance/", {"start": "2026-01-01", "end": "2026-12-31", "status": "met"})
    assert 'id="clause-SRV-2"' not in filtered.content.decode()
    bad = client.get("/reports/compliance/", {"start": "2026-12-31", "end": "2026-01-01"})
    assert bad.status_code == 200 and "开始不能晚于结束" in bad.content.decode()

    pdf = client.get("/reports/compliance/print/", {"start": "2026-01-01", "end": "2026-12-31"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get("/reports/compliance/export/", {"start": "2026-01-01", "end": "2026-12-31"})
    assert xlsx.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    ids = {row[0] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert len(ids) == 89
    snapshots = list(ComplianceSnapshot.objects.order_by("id").values_list("fmt", "no_data", "taken_by__username"))
    assert snapshots == [("pdf", 89, "gm"), ("xlsx", 89, "gm")]
    history = client.get("/reports/compliance/history/")
    assert history.status_code == 200 and "马总经理" in history.content.decode()
    assert "暂无导出记录" in web_for("xuhui_manager").get("/reports/compliance/history/").content.decode()


def test_on_the_demo_data_every_evidence_function_runs_and_some_clauses_have_evidence(demo):
    """Every registered function answers an Evidence on a full data set (none raises: a raising one would read
    as no_data in the report and hide a bug); the demo's records give clauses real statuses."""
    from django.core.management import call_command

    call_command("load_demo", "--force", verbosity=0)
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=365), today)
    for clause_id, functions in EVIDENCE.items():
        for function in functions:
            item = function(period)
            assert item.status in (MET, SHORT, NO_DATA), clause_id
    report = compliance_report(period)
    assert report.summary[MET] + report.summary[SHORT] >= 5


def test_every_clause_and_area_has_a_chinese_title():
    items = clauses()
    assert all(item.title and item.area_title != item.area for item in items)
    assert next(item for item in items if item.id == "FBK-2").title == "服务客户 100 % 回访"


def test_net1_a_missing_monday_report_is_short_until_it_exists(demo):
    """NET-1: reports ending 1 and 15 Nov archived, the one ending 8 Nov missing → short with it listed; archived → met."""
    from salesservice.network.models import ProviderReport

    def report(end):
        ProviderReport.objects.create(kind="weekly", period_start=end - dt.timedelta(days=6), period_end=end)

    report(dt.date(2026, 11, 1))
    report(dt.date(2026, 11, 15))
    period = Period(dt.date(2026, 11, 2), dt.date(2026, 11, 16))
    result = compliance_report(period, only={"NET-1"}).results[0]
    assert result.status == SHORT
    assert [link.label for link in result.evidence[0].shortfalls] == ["截至 2026-11-08"]
    report(dt.date(2026, 11, 8))
    assert compliance_report(period, only={"NET-1"}).results[0].status == MET
