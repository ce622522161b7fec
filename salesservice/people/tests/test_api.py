"""Certifications API: scoping (INF-1), permissions, idempotent create, stale PATCH, revoke (PPL-4)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from salesservice.catalog.tests.factories import CategoryFactory, ProductFactory
from salesservice.people.models import Certification
from salesservice.people.services import certification_check
from tests.matrix import Matrix, check_api

from .factories import CertificationFactory, EngineerFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/certifications/"


def test_permission_matrix_and_scope(users, api_for):
    certification = CertificationFactory(user=users["xuhui_engineer"])
    check_api(
        Matrix(f"{URL}{certification.pk}/", permitted="xuhui_cs", out_of_scope="tianhe_cs", no_permission="sales_rep"),
        api_for,
    )
    assert api_for("sales_rep").get(URL).status_code == 403
    assert api_for("tianhe_cs").get(URL).json()["results"] == []
    [row] = api_for("xuhui_engineer").get(URL).json()["results"]
    assert row["user_name"] == "赵工" and row["is_valid"] is True and row["state"] == "valid"


def test_list_filters(users, api_for, demo):
    appliance = CategoryFactory(name="家用电器")
    aircon = CategoryFactory(name="空调", parent=appliance)
    valid = CertificationFactory(user=users["xuhui_engineer"], category=aircon, certificate_no="SG-AIR-1")
    expired = CertificationFactory(
        category=CategoryFactory(),
        issued_at=timezone.localdate() - dt.timedelta(days=900),
        valid_until=timezone.localdate() - dt.timedelta(days=2),
    )
    client = api_for("hr_trainer")

    def ids(**params):
        return {row["id"] for row in client.get(URL, params).json()["results"]}

    assert ids(valid="true") == {valid.pk}
    assert ids(valid="false") == {expired.pk}
    assert ids(category=appliance.pk) == {valid.pk}
    assert ids(user=users["xuhui_engineer"].pk) == {valid.pk}
    assert ids(q="赵工") == {valid.pk}
    assert ids(q="air-1") == {valid.pk}


def test_create_is_idempotent(users, api_for):
    body = {
        "user": users["xuhui_engineer"].pk,
        "category": CategoryFactory().pk,
        "certificate_no": "SG-2026-001",
        "issued_at": "2026-01-05",
        "valid_until": "2028-01-04",
    }
    client = api_for("hr_trainer")
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="cert-1")
    assert first.status_code == 201, first.content
    again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="cert-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Certification.objects.count() == 1


def test_create_with_evidence_multipart(users, api_for):
    response = api_for("hq_service_manager").post(
        URL,
        {
            "user": users["xuhui_engineer"].pk,
            "category": CategoryFactory().pk,
            "certificate_no": "SG-EV-1",
            "issued_at": "2026-01-05",
            "evidence": SimpleUploadedFile("cert.jpg", b"\xff\xd8\xff", content_type="image/jpeg"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["evidence_name"] == "cert.jpg"
    assert response.json()["valid_until"] is None


def test_create_refused_without_permission_and_nothing_created(users, api_for):
    body = {"user": users["xuhui_engineer"].pk, "category": CategoryFactory().pk, "certificate_no": "X"}
    body["issued_at"] = "2026-01-05"
    for username in ("xuhui_cs", "xuhui_engineer", "xuhui_manager"):
        assert api_for(username).post(URL, body, format="json").status_code == 403
    assert not Certification.objects.exists()


def test_create_invalid_period_is_400_in_chinese(users, api_for):
    body = {
        "user": users["xuhui_engineer"].pk,
        "category": CategoryFactory().pk,
        "certificate_no": "SG-1",
        "issued_at": "2026-01-05",
        "valid_until": "2025-01-05",
    }
    response = api_for("hr_trainer").post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "certification.invalid_period" and "有效期" in response.json()["detail"]


def test_stale_patch_is_409_and_first_write_kept(users, api_for):
    certification = CertificationFactory(user=users["xuhui_engineer"])
    client = api_for("hr_trainer")
    ok = client.patch(f"{URL}{certification.pk}/", {"version": 1, "issued_by": "新机构"}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(f"{URL}{certification.pk}/", {"version": 1, "issued_by": "旧机构"}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"
    certification.refresh_from_db()
    assert certification.issued_by == "新机构"
    assert api_for("xuhui_cs").patch(f"{URL}{certification.pk}/", {"version": 2}, format="json").status_code == 403


def test_revoke_action_then_dispatch_gate_refuses(users, api_for):
    category = CategoryFactory()
    certification = CertificationFactory(user=users["xuhui_engineer"], category=category)
    product = ProductFactory(category=category)
    assert certification_check(users["xuhui_engineer"], product) == []
    assert api_for("xuhui_cs").post(f"{URL}{certification.pk}/revoke/", {"reason": "x"}).status_code == 403
    assert api_for("hr_trainer").post(f"{URL}{certification.pk}/revoke/", {}).status_code == 400
    response = api_for("hr_trainer").post(f"{URL}{certification.pk}/revoke/", {"reason": "考试作弊"}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "revoked" and response.json()["revoked_reason"] == "考试作弊"
    again = api_for("hr_trainer").post(f"{URL}{certification.pk}/revoke/", {"reason": "再次"}, format="json")
    assert again.status_code == 409
    assert [r.code for r in certification_check(users["xuhui_engineer"], product)] == ["dispatch.uncertified"]


def test_list_query_count_does_not_grow_with_page_size(users, api_for, django_assert_max_num_queries):
    for _ in range(30):
        CertificationFactory(user=EngineerFactory())
    client = api_for("xuhui_cs")
    client.get(URL, {"page_size": 1})
    with django_assert_max_num_queries(12) as small:
        client.get(URL, {"page_size": 2})
    with django_assert_max_num_queries(12) as large:
        assert len(client.get(URL, {"page_size": 30}).json()["results"]) == 30
    assert len(large.captured_queries) == len(small.captured_queries)
