"""DOC-1 pages: the list (filters, Excel export), a new document with its file, the version page with its actions
and who has read it, 我的待确认, and scope (another unit's document is 404)."""

from io import BytesIO

from openpyxl import load_workbook

from ..choices import VersionStatus
from ..models import ControlledDocument, DocumentVersion
from ..testing import pdf_file
from .factories import issued, unit


def test_create_submit_approve_issue_and_acknowledge_through_the_pages(web_for):
    qa = web_for("qa_inspector")
    form = qa.get("/documents/new/")
    assert form.status_code == 200 and "文件编号" in form.content.decode()
    created = qa.post(
        "/documents/new/",
        {
            "code": "SS-QP-401",
            "title": "维修服务程序",
            "kind": "procedure",
            "org_unit": unit("dept-quality").pk,
            "clauses": ["SRV-2", "SRV-3"],
            "concerned_roles": ["cs_rep"],
            "change_summary": "首次发布",
            "file": pdf_file("维修服务程序.pdf"),
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    version = DocumentVersion.objects.get(document__code="SS-QP-401")
    url = f"/documents/versions/{version.pk}/"
    assert created["Location"] == url
    qa.post(f"{url}submit/", {"version": version.version})
    gm = web_for("gm")
    page = gm.get(url).content.decode()
    assert 'id="approve-button"' in page and "维修服务程序.pdf" in page
    gm.post(f"{url}approve/", {"version": version.version + 1, "note": "同意"})
    gm.post(f"{url}issue/", {"version": version.version + 2, "effective_date": ""})
    version.refresh_from_db()
    assert version.status == VersionStatus.ISSUED
    store = web_for("xuhui_cs")
    page = store.get(url).content.decode()
    assert 'id="acknowledge-button"' in page and "0 / 2" in page
    assert "SS-QP-401" in store.get("/documents/mine/").content.decode()
    store.post(f"/documents/versions/{version.pk}/read/")
    page = store.get(url).content.decode()
    assert 'id="acknowledged-note"' in page and "1 / 2" in page and 'id="acknowledge-button"' not in page


def test_self_approval_is_refused_on_the_page(web_for):
    from .. import services

    version = issued(code="SS-QP-402")
    second = services.version_draft(
        actor=version.approver, document_id=version.document_id, change_summary="总经理自己修订", file=pdf_file()
    )
    gm = web_for("gm")
    gm.post(f"/documents/versions/{second.pk}/submit/", {"version": second.version})
    response = gm.post(f"/documents/versions/{second.pk}/approve/", {"version": second.version + 1}, follow=True)
    assert "编制人不能批准自己编制的版本" in response.content.decode()
    second.refresh_from_db()
    assert second.status == VersionStatus.SUBMITTED


def test_the_list_filters_exports_and_hides_other_units(web_for):
    issued(code="SS-QP-501", clauses=("RET-1",))
    issued(code="XH-QP-501", unit_code="sh-xuhui", author="xuhui_manager")
    south = web_for("tianhe_cs")
    page = south.get("/documents/").content.decode()
    assert "SS-QP-501" in page and "XH-QP-501" not in page
    other = ControlledDocument.objects.get(code="XH-QP-501")
    assert south.get(f"/documents/{other.pk}/").status_code == 404
    auditor = web_for("auditor")
    filtered = auditor.get("/documents/", {"clause": "RET-1"}).content.decode()
    assert "SS-QP-501" in filtered and "XH-QP-501" not in filtered
    export = auditor.get("/documents/", {"export": "xlsx"})
    sheet = load_workbook(BytesIO(export.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:5] == ["文件编号", "文件名称", "类别", "归口单位", "现行版本"]
    assert ["SS-QP-501", "售后服务受理程序", "程序文件", "质量部"] == rows[1][:4] and rows[1][4] == "V1"
    assert rows[1][5] == "已发布"


def test_a_superseded_version_stays_readable_and_marked(web_for):
    from .. import services
    from .factories import user

    first = issued(code="SS-QP-601")
    second = services.version_draft(
        actor=user("qa_inspector"), document_id=first.document_id, change_summary="V2", file=pdf_file()
    )
    services.version_submit(actor=user("qa_inspector"), version_id=second.pk)
    services.version_approve(actor=user("gm"), version_id=second.pk)
    services.version_issue(actor=user("gm"), version_id=second.pk)
    client = web_for("xuhui_cs")
    old = client.get(f"/documents/versions/{first.pk}/").content.decode()
    assert 'id="retired-banner"' in old and "V2" in old
    detail = client.get(f"/documents/{first.document_id}/").content.decode()
    assert 'id="current-version"' in detail and f'/documents/versions/{second.pk}/">V2' in detail


def test_list_page_and_api_cost_the_same_queries_for_more_documents(web_for, api_for):
    """No N+1: the list page and the API list read versions and clauses in bulk."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    issued(code="SS-QP-701")
    client, api = web_for("auditor"), api_for("auditor")

    def cost():
        with CaptureQueriesContext(connection) as page_queries:
            assert client.get("/documents/").status_code == 200
        with CaptureQueriesContext(connection) as api_queries:
            assert api.get("/api/v1/documents/").status_code == 200
        return len(page_queries), len(api_queries)

    cost()  # the first call fills this process's configuration cache (permissions, scope)
    one = cost()
    issued(code="SS-QP-702", clauses=("RET-1", "RET-2"))
    issued(code="SS-QP-703")
    assert cost() == one
