"""Supervision pages (SUV-1, SUV-2, COM-1): lists, create, detail with actions, the check report PDF,
the workbench panels and the demo."""

from django.utils import timezone

from .factories import completed_check_with_failure, unit


def test_auditor_plans_a_check_on_the_page(web_for):
    """SUV-1: the auditor plans a check with its checklist."""
    client = web_for("auditor")
    assert client.get("/supervision/checks/new/").status_code == 200
    response = client.post(
        "/supervision/checks/new/",
        {
            "org_unit": unit("sh-xuhui").pk,
            "method": "mystery_shopping",
            "title": "神秘顾客暗访",
            "planned_on": str(timezone.localdate()),
            "items": "接待及时\n保修政策讲解准确\n",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "神秘顾客" in page.content.decode() and "start-button" in page.content.decode()


def test_lists_details_pdf_and_workbench(web_for):
    """SUV-2: lists (with export), the check and finding pages, the PDF report, the owner's workbench panel."""
    check, finding = completed_check_with_failure()
    auditor = web_for("auditor")
    for url in ("/supervision/checks/", "/supervision/findings/", "/supervision/issues/"):
        assert auditor.get(url).status_code == 200
    assert auditor.get("/supervision/checks/?export=xlsx").status_code == 200
    page = auditor.get(f"/supervision/checks/{check.pk}/").content.decode()
    assert finding.number in page
    pdf = auditor.get(f"/supervision/checks/{check.pk}/print/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    owner = web_for("xuhui_manager")
    assert "rectify-button" in owner.get(f"/supervision/findings/{finding.pk}/").content.decode()
    assert finding.number in owner.get("/").content.decode()


def test_demo_is_idempotent():
    """The demo: a mystery-shopping check of 上海徐汇店 with an open finding, a spot check, one issue."""
    from ..demo import load_demo
    from ..models import CoordinationIssue, Finding, SupervisionCheck

    load_demo()
    load_demo()
    assert SupervisionCheck.objects.count() == 2
    assert Finding.objects.filter(status="open").count() == 1
    assert CoordinationIssue.objects.count() == 1


def test_list_queries_stay_flat(web_for):
    """The lists select their related rows: more findings, no more queries (CONVENTIONS: no N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    completed_check_with_failure()
    client = web_for("auditor")
    counts = []
    for _round in range(2):
        for url in ("/supervision/checks/", "/supervision/findings/"):
            client.get(url)  # warm the per-request caches the first time
        with CaptureQueriesContext(connection) as one:
            client.get("/supervision/findings/")
            client.get("/supervision/checks/")
        counts.append(len(one.captured_queries))
        completed_check_with_failure()
        completed_check_with_failure()
    assert counts[0] == counts[1], counts


def test_evidence_is_uploaded_to_a_check(web_for, settings, tmp_path):
    """SUV-2: evidence (a call-recording transcript) on the check, readable in scope."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "media"
    check, _finding = completed_check_with_failure()
    client = web_for("auditor")
    upload = SimpleUploadedFile("录音摘录.txt", "客服：您好……".encode(), content_type="text/plain")
    response = client.post(f"/supervision/checks/{check.pk}/attach/", {"file": upload, "description": "电话录音抽查"})
    assert response.status_code == 302
    page = client.get(f"/supervision/checks/{check.pk}/").content.decode()
    assert "录音摘录.txt" in page and "电话录音抽查" in page


def test_coordination_issue_page(web_for):
    """COM-1: the auditor records a cross-department issue on the page."""
    import datetime as dt

    from .factories import user

    client = web_for("auditor")
    assert client.get("/supervision/issues/new/").status_code == 200
    response = client.post(
        "/supervision/issues/new/",
        {
            "title": "备件出库时效",
            "description": "维修备件出库慢",
            "responsible_department": unit("dept-service").pk,
            "responsible_person": user("hq_service_manager").pk,
            "departments": [unit("dept-warehouse").pk],
            "deadline": str(timezone.localdate() + dt.timedelta(days=7)),
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(response["Location"]).content.decode()
    assert "仓储部" in page and "resolve-button" in page
