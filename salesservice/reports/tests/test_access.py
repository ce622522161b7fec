"""Issue 16 §2: who sees, downloads and generates which report — pages and `/api/v1/reports/` (out of scope: 404),
every download logged in the history and on the reader's delivery."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .. import tasks
from ..choices import ReportKind
from ..models import ReportDelivery, ReportDownload, ReportRun
from .conftest import FIRST, MONDAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs(demo):
    tasks.weekly_service(now=MONDAY)
    tasks.monthly_kpi(now=FIRST)
    return {
        (run.kind, run.org_unit.code if run.org_unit_id else "company"): run
        for run in ReportRun.objects.select_related("org_unit")
    }


WEEKLY, KPI = ReportKind.WEEKLY_SERVICE, ReportKind.MONTHLY_KPI


def _listed(api, **params) -> set:
    response = api.get("/api/v1/reports/", {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    return {(row["kind"], row["unit_name"]) for row in response.json()["results"]}


def test_api_lists_the_reports_of_the_readers_scope(runs, api_for):
    assert _listed(api_for("xuhui_manager")) == {(WEEKLY, "上海徐汇店"), (KPI, "上海徐汇店")}
    east = _listed(api_for("east_manager"), kind=WEEKLY)
    assert east == {(WEEKLY, "华东区"), (WEEKLY, "上海徐汇店"), (WEEKLY, "杭州西湖店")}
    assert len(_listed(api_for("gm"))) == 14
    assert _listed(api_for("hr_trainer"), kind=WEEKLY) == set()  # HR reads the KPI pack, not the service report
    assert len(_listed(api_for("hr_trainer"))) == 7
    assert api_for("xuhui_cs").get("/api/v1/reports/").status_code == 403
    assert api_for(None).get("/api/v1/reports/").status_code in (401, 403)


def test_api_filters_by_kind_unit_and_start(runs, api_for, demo):
    api = api_for("gm")
    assert _listed(api, kind=KPI, unit=demo["east"].pk) == {(KPI, "华东区")}
    assert _listed(api, unit=0, start="2026-11-23") == {(WEEKLY, "全公司")}


def test_api_list_query_count_does_not_grow_with_rows(runs, api_for):
    api = api_for("gm")
    # the first call fills this process's configuration cache (permissions, scope)
    api.get("/api/v1/reports/", {"page_size": 2})
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/reports/", {"page_size": 2})
    with CaptureQueriesContext(connection) as many:
        api.get("/api/v1/reports/", {"page_size": 100})
    assert len(many) == len(few)


def test_api_retrieve_has_figures_and_deliveries_out_of_scope_is_404(runs, api_for):
    own, other = runs[(WEEKLY, "sh-xuhui")], runs[(WEEKLY, "gz-tianhe")]
    api = api_for("xuhui_manager")
    body = api.get(f"/api/v1/reports/{own.pk}/").json()
    assert body["period_start"] == "2026-11-23" and body["unit_name"] == "上海徐汇店"
    assert {item["key"] for item in body["figures"]["summary"]} >= {"received", "first_contact_on_time", "csat"}
    assert [d["recipient_name"] for d in body["deliveries"]] == ["张徐汇"]
    assert api.get(f"/api/v1/reports/{other.pk}/").status_code == 404
    assert api.get(f"/api/v1/reports/{runs[(WEEKLY, 'company')].pk}/").status_code == 404


def test_api_download_is_logged_and_out_of_scope_is_404(runs, api_for, users):
    own, other = runs[(WEEKLY, "sh-xuhui")], runs[(WEEKLY, "gz-tianhe")]
    api = api_for("xuhui_manager")
    response = api.get(f"/api/v1/reports/{own.pk}/download/", {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    xlsx = api.get(f"/api/v1/reports/{own.pk}/download/", {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert list(ReportDownload.objects.values_list("user__username", "fmt")) == [
        ("xuhui_manager", "xlsx"),
        ("xuhui_manager", "pdf"),
    ]
    assert ReportDelivery.objects.get(run=own, recipient=users["xuhui_manager"]).downloaded_at is not None
    assert api.get(f"/api/v1/reports/{other.pk}/download/", {"format": "pdf"}).status_code == 404
    bad = api.get(f"/api/v1/reports/{own.pk}/download/", {"format": "doc"})
    assert bad.status_code == 400 and bad.json()["code"] == "reports.invalid_format"
    assert ReportDownload.objects.count() == 2


def test_api_generate_for_a_unit_in_scope(demo, api_for):
    api = api_for("xuhui_manager")
    response = api.post(
        "/api/v1/reports/generate/", {"kind": WEEKLY, "date": "2026-11-30", "unit": demo["sh-xuhui"].pk}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["period_start"] == "2026-11-23"
    run = ReportRun.objects.get()
    assert run.generated_by.username == "xuhui_manager" and run.org_unit == demo["sh-xuhui"]
    again = api.post(
        "/api/v1/reports/generate/", {"kind": WEEKLY, "date": "2026-12-02", "unit": demo["sh-xuhui"].pk}, format="json"
    )
    assert again.json()["id"] == run.pk  # the same week: the archived report
    other = api.post(
        "/api/v1/reports/generate/", {"kind": WEEKLY, "date": "2026-11-30", "unit": demo["gz-tianhe"].pk}, format="json"
    )
    assert other.status_code == 404
    company = api.post("/api/v1/reports/generate/", {"kind": WEEKLY, "date": "2026-11-30"}, format="json")
    assert company.status_code == 404  # the company-wide report is HQ's
    store_mgmt = api_for("gm").post(
        "/api/v1/reports/generate/",
        {"kind": ReportKind.MONTHLY_MANAGEMENT, "date": "2026-12-01", "unit": demo["sh-xuhui"].pk},
        format="json",
    )
    assert store_mgmt.status_code == 404  # no store edition
    future = api_for("gm").post("/api/v1/reports/generate/", {"kind": WEEKLY, "date": "2099-01-05"}, format="json")
    assert future.status_code == 400 and future.json()["code"] == "reports.period_not_over"
    assert api_for("tianhe_cs").post("/api/v1/reports/generate/", {}, format="json").status_code == 403
    assert ReportRun.objects.count() == 1


def test_pages_list_detail_download_in_scope(runs, web_for, users):
    own, other = runs[(WEEKLY, "sh-xuhui")], runs[(WEEKLY, "gz-tianhe")]
    web = web_for("xuhui_manager")
    page = web.get("/reports/scheduled/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "上海徐汇店" in text and "广州天河店" not in text and "立即生成" in text
    detail = web.get(f"/reports/scheduled/{own.pk}/").content.decode()
    assert "受理服务请求" in detail and "送达记录" in detail and "张徐汇" in detail
    assert ReportDelivery.objects.get(run=own, recipient=users["xuhui_manager"]).read_at is not None
    assert web.get(f"/reports/scheduled/{other.pk}/").status_code == 404
    assert web.get(f"/reports/scheduled/{other.pk}/download/pdf/").status_code == 404
    download = web.get(f"/reports/scheduled/{own.pk}/download/xlsx/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert ReportDownload.objects.filter(run=own, user=users["xuhui_manager"], fmt="xlsx").count() == 1
    assert "下载历史" in web.get(f"/reports/scheduled/{own.pk}/").content.decode()
    assert web_for("xuhui_cs").get("/reports/scheduled/").status_code == 403


def test_page_filters_by_kind(runs, web_for):
    text = web_for("gm").get("/reports/scheduled/", {"kind": KPI}).content.decode()
    assert "月度KPI考核汇总" in text
    assert "2026-W48" not in text
    assert '<option value="0">全公司</option>' in text and "杭州西湖店</option>" in text  # the unit filter
    east = web_for("east_manager").get("/reports/scheduled/", {"unit": "0"}).content.decode()
    assert "全公司</option>" not in east and "共 0 条" in east


def test_page_generate_with_confirmation(demo, web_for):
    web = web_for("east_manager")
    form = web.get("/reports/scheduled/generate/").content.decode()
    assert "data-confirm" in form and "华东区" in form and "广州天河店" not in form
    response = web.post(
        "/reports/scheduled/generate/", {"kind": KPI, "date": "2026-12-01", "unit": str(demo["hz-xihu"].pk)}
    )
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/scheduled/{run.pk}/"
    assert (run.kind, str(run.period_start), run.org_unit.code) == (KPI, "2026-11-01", "hz-xihu")
    refused = web.post(
        "/reports/scheduled/generate/", {"kind": KPI, "date": "2026-12-01", "unit": str(demo["gz-tianhe"].pk)}
    )
    assert refused.status_code == 200 and ReportRun.objects.count() == 1  # not a choice of this user


def test_generate_reports_command_backfills(demo):
    from django.core.management import call_command

    call_command("generate_reports", "--kind", "weekly", "--date", "2026-11-30", "--unit", "sh-xuhui")
    run = ReportRun.objects.get()
    assert (str(run.period_start), str(run.period_end), run.org_unit.code) == ("2026-11-23", "2026-11-29", "sh-xuhui")
    call_command("generate_reports", "--kind", "weekly", "--date", "2026-11-30", "--unit", "sh-xuhui")
    assert ReportRun.objects.count() == 1
