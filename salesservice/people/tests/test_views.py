"""Certification pages: list with filters/export, create, detail with revoke and history; scope → 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from salesservice.catalog.tests.factories import CategoryFactory
from salesservice.people.models import Certification
from tests.matrix import Matrix, check_page

from .factories import CertificationFactory, EngineerFactory

pytestmark = pytest.mark.django_db


def test_detail_page_matrix(users, client):
    certification = CertificationFactory(user=users["xuhui_engineer"])
    check_page(
        Matrix(
            f"/people/certifications/{certification.pk}/",
            permitted="xuhui_cs",
            out_of_scope="tianhe_cs",
            no_permission="sales_rep",
        ),
        client,
        users,
    )


def test_list_page_shows_scope_badges_and_create_action_by_permission(users, web_for, demo):
    CertificationFactory(user=users["xuhui_engineer"], certificate_no="SG-XH-1")
    CertificationFactory(user=EngineerFactory(unit=demo["gz-tianhe"]), certificate_no="SG-TH-1")
    page = web_for("xuhui_cs").get("/people/certifications/").content.decode()
    assert "SG-XH-1" in page and "SG-TH-1" not in page and 'data-state="valid"' in page
    assert "/people/certifications/new/" not in page
    page = web_for("hr_trainer").get("/people/certifications/").content.decode()
    assert "SG-XH-1" in page and "SG-TH-1" in page and "/people/certifications/new/" in page
    export = web_for("hr_trainer").get("/people/certifications/", {"export": "xlsx", "q": "XH"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_create_page_saves_with_evidence(users, web_for):
    category = CategoryFactory(name="空调")
    client = web_for("hr_trainer")
    assert client.get("/people/certifications/new/").status_code == 200
    response = client.post(
        "/people/certifications/new/",
        {
            "user": users["xuhui_engineer"].pk,
            "category": category.pk,
            "certificate_no": "SG-WEB-1",
            "issued_at": timezone.localdate().isoformat(),
            "evidence_file": SimpleUploadedFile("c.pdf", b"%PDF", content_type="application/pdf"),
        },
    )
    certification = Certification.objects.get(certificate_no="SG-WEB-1")
    assert response.status_code == 302 and response["Location"] == f"/people/certifications/{certification.pk}/"
    assert certification.evidence is not None
    assert web_for("xuhui_cs").get("/people/certifications/new/").status_code == 403


def test_create_page_shows_a_chinese_error_and_saves_nothing(users, web_for):
    response = web_for("hr_trainer").post(
        "/people/certifications/new/",
        {
            "user": users["xuhui_engineer"].pk,
            "category": CategoryFactory().pk,
            "certificate_no": "SG-BAD",
            "issued_at": "2026-02-01",
            "valid_until": "2026-01-01",
        },
    )
    assert response.status_code == 200 and "不能早于发证日期" in response.content.decode()
    assert not Certification.objects.exists()


def test_revoke_from_the_detail_page(users, web_for):
    certification = CertificationFactory(user=users["xuhui_engineer"])
    url = f"/people/certifications/{certification.pk}/"
    page = web_for("hr_trainer").get(url).content.decode()
    assert 'id="revoke-form"' in page and "data-confirm" in page
    assert 'id="revoke-form"' not in web_for("xuhui_cs").get(url).content.decode()
    assert web_for("xuhui_cs").post(f"{url}revoke/", {"reason": "x"}).status_code == 403
    assert web_for("hr_trainer").post(f"{url}revoke/", {"reason": ""}).status_code == 400
    response = web_for("hr_trainer").post(f"{url}revoke/", {"reason": "离职"})
    assert response.status_code == 302
    page = web_for("hr_trainer").get(url).content.decode()
    assert 'data-state="revoked"' in page and "离职" in page and "吊销上岗资格" in page  # event in history


def test_edit_page_with_stale_version_shows_error(users, web_for):
    certification = CertificationFactory(user=users["xuhui_engineer"])
    client = web_for("hr_trainer")
    data = {
        "category": certification.category_id,
        "certificate_no": certification.certificate_no,
        "issued_by": "机构",
        "issued_at": certification.issued_at.isoformat(),
        "valid_until": certification.valid_until.isoformat(),
        "version": 1,
    }
    assert client.post(f"/people/certifications/{certification.pk}/edit/", data).status_code == 302
    stale = client.post(f"/people/certifications/{certification.pk}/edit/", {**data, "issued_by": "旧"})
    assert stale.status_code == 200 and "已被他人修改" in stale.content.decode()
    certification.refresh_from_db()
    assert certification.issued_by == "机构"


def test_list_page_query_count_independent_of_rows(users, web_for, django_assert_max_num_queries):
    client = web_for("xuhui_cs")
    CertificationFactory(user=users["xuhui_engineer"])
    with django_assert_max_num_queries(30) as few:
        client.get("/people/certifications/")
    for _ in range(20):
        CertificationFactory(user=EngineerFactory())
    with django_assert_max_num_queries(30) as many:
        client.get("/people/certifications/")
    assert len(many.captured_queries) == len(few.captured_queries)
