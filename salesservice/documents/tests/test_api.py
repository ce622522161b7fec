"""DOC-1 through `/api/v1/documents/`: create with the first draft, submit → approve (not the author) → issue →
acknowledge → supersede; refusals with their codes; scope (another unit's documents invisible, a unit out of
scope in a body refused)."""

from salesservice.core.models import Event

from ..models import ControlledDocument
from ..testing import pdf_file
from .factories import issued, unit


def test_the_lifecycle_through_the_api(api_for):
    qa = api_for("qa_inspector")
    created = qa.post(
        "/api/v1/documents/",
        {
            "code": "ss-qp-201",
            "title": "退换货处理程序",
            "kind": "procedure",
            "org_unit": unit("dept-quality").pk,
            "clauses": ["RET-1", "RET-2"],
            "concerned_roles": ["cs_rep", "store_manager"],
            "file": pdf_file("程序.pdf"),
        },
        format="multipart",
    )
    assert created.status_code == 201, created.content
    document = created.json()
    assert document["code"] == "SS-QP-201" and document["clauses"] == ["RET-1", "RET-2"]
    assert document["current_version"] is None
    version = document["versions"][0]
    assert version["status"] == "draft" and version["label"] == "V1"
    base = f"/api/v1/documents/versions/{version['id']}"

    early = api_for("gm").post(f"{base}/issue/", {"version": version["version"]}, format="json")
    assert early.status_code == 409 and early.json()["code"] == "status.invalid_transition"
    submitted = qa.post(f"{base}/submit/", {"version": version["version"]}, format="json")
    assert submitted.status_code == 200, submitted.content
    stale = api_for("gm").post(f"{base}/approve/", {"version": version["version"]}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"
    not_allowed = qa.post(f"{base}/approve/", {"version": submitted.json()["version"]}, format="json")
    assert not_allowed.status_code == 403
    approved = api_for("gm").post(
        f"{base}/approve/", {"version": submitted.json()["version"], "note": "同意"}, format="json"
    )
    assert approved.status_code == 200 and approved.json()["approver_name"] == "马总经理"
    issued_ = api_for("gm").post(f"{base}/issue/", {"version": approved.json()["version"]}, format="json")
    assert issued_.status_code == 200 and issued_.json()["status"] == "issued"
    assert issued_.json()["concerned"] == 3  # xuhui_cs, tianhe_cs, xuhui_manager

    store = api_for("xuhui_cs")
    read = store.post(f"{base}/acknowledge/", {}, format="json")
    assert read.status_code == 200 and read.json()["acknowledged"] == 1
    again = store.post(f"{base}/acknowledge/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "documents.already_acknowledged"
    outsider = api_for("warehouse_clerk").post(f"{base}/acknowledge/", {}, format="json")
    assert outsider.status_code == 403 and outsider.json()["code"] == "documents.not_concerned"
    who = api_for("gm").get(f"{base}/acknowledgements/").json()
    assert sorted((row["user_name"], row["acknowledged_at"] is not None) for row in who) == [
        ("张徐汇", False),
        ("陈小客", True),
        ("黄天河", False),
    ]

    current = store.get(f"/api/v1/documents/{document['id']}/").json()
    assert current["current_version"] == version["id"]
    retired = api_for("gm").post(
        f"{base}/supersede/", {"version": issued_.json()["version"], "reason": "并入新程序"}, format="json"
    )
    assert retired.status_code == 200 and retired.json()["status"] == "superseded"
    assert store.get(f"{base}/").json()["retire_reason"] == "并入新程序"  # kept, readable
    assert Event.objects.filter(event_type="documents.version_issued", target_id=str(version["id"])).exists()


def test_self_approval_is_403_through_the_api(api_for):
    gm = api_for("gm")
    created = gm.post(
        "/api/v1/documents/",
        {"code": "SS-ZD-900", "title": "总经理制度", "kind": "policy", "org_unit": unit("hq").pk, "clauses": ["DOC-1"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    version = created.json()["versions"][0]
    base = f"/api/v1/documents/versions/{version['id']}"
    gm.post(f"{base}/edit/", {"change_summary": "首次发布", "file": pdf_file()}, format="multipart")
    submitted = gm.post(f"{base}/submit/", {}, format="json")
    assert submitted.status_code == 200, submitted.content
    refused = gm.post(f"{base}/approve/", {}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "documents.self_approval"


def test_another_units_documents_are_invisible_and_its_unit_is_refused(api_for):
    xuhui_doc = issued(code="XH-QP-001", author="east_manager", unit_code="sh-xuhui")  # a Xuhui store procedure
    company = issued(code="SS-ZD-100")  # a quality-department procedure applies company-wide
    south = api_for("tianhe_cs")
    codes = [row["code"] for row in south.get("/api/v1/documents/").json()["results"]]
    assert codes == ["SS-ZD-100"]
    assert south.get(f"/api/v1/documents/{xuhui_doc.document_id}/").status_code == 404
    assert south.get(f"/api/v1/documents/versions/{xuhui_doc.pk}/").status_code == 404
    assert south.post(f"/api/v1/documents/versions/{xuhui_doc.pk}/acknowledge/", {}, format="json").status_code == 404
    assert api_for("xuhui_cs").get(f"/api/v1/documents/{company.document_id}/").status_code == 200

    refused = api_for("xuhui_manager").post(
        "/api/v1/documents/",
        {"code": "XH-QP-777", "title": "越权", "kind": "form", "org_unit": unit("gz-tianhe").pk},
        format="json",
    )
    # the id of a unit out of scope reads as no such unit (the service refuses it too: test_services)
    assert refused.status_code == 400 and "org_unit" in refused.json()["fields"]
    revise = api_for("xuhui_manager").post(
        "/api/v1/documents/versions/",
        {"document": company.document_id, "change_summary": "门店改总部文件"},
        format="json",
    )
    assert revise.status_code == 404  # readable, but not the store's to revise
    assert not ControlledDocument.objects.filter(code="XH-QP-777").exists()


def test_list_filters_by_kind_clause_and_status(api_for):
    issued(code="SS-QP-301", clauses=("SRV-2",))
    issued(code="SS-QP-302", clauses=("RET-1",))
    client = api_for("auditor")
    by_clause = client.get("/api/v1/documents/", {"clause": "RET-1"}).json()["results"]
    assert [row["code"] for row in by_clause] == ["SS-QP-302"]
    assert client.get("/api/v1/documents/", {"kind": "form"}).json()["results"] == []
    assert len(client.get("/api/v1/documents/", {"status": "issued"}).json()["results"]) == 2
    assert client.get("/api/v1/documents/", {"status": "draft"}).json()["results"] == []
