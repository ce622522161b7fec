"""SUP-8: nonconformance records — opened (by QA, or by a quality return), disposed of
(退供方 / 返工 / 报废 / 让步接收) by a permitted user, closed; scoped; API and pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from salesservice.core.exceptions import DomainError, InvalidTransition, PermissionDeniedError
from salesservice.returns.tests.factories import ProductFactory, advance, make_return, user

from .. import services
from ..choices import Disposition, NonconformanceSource
from ..choices import NonconformanceStatus as N
from ..models import Nonconformance

pytestmark = pytest.mark.django_db
BASE = "/api/v1/nonconformances/"


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def quality_nc():
    request = advance(make_return(reason="quality"), "inspected", quality_problem=True)
    return Nonconformance.objects.get(source_return=request)


def test_qa_opens_a_receiving_nonconformance_at_hq():
    nc = services.nonconformance_open(
        actor=user("qa_inspector"),
        source=NonconformanceSource.RECEIVING,
        product=ProductFactory(),
        description="到货外包装破损 3 件",
        batch_number="B-9",
        quantity=3,
    )
    assert nc.number.startswith("NC-") and nc.status == N.OPEN and nc.org_unit.code == "hq" and nc.quantity == 3


def test_open_refusals():
    qa = user("qa_inspector")
    with pytest.raises(PermissionDeniedError):
        services.nonconformance_open(actor=user("xuhui_cs"), source="other", product=ProductFactory(), description="x")
    with pytest.raises(DomainError) as error:
        services.nonconformance_open(actor=qa, source="return", product=ProductFactory(), description="x")
    assert error.value.code == "nonconformance.invalid_source"
    with pytest.raises(DomainError) as error:
        services.nonconformance_open(actor=qa, source="other", product=ProductFactory(), description=" ")
    assert error.value.code == "nonconformance.description_required"
    with pytest.raises(DomainError) as error:
        services.nonconformance_open(actor=qa, source="other", product=ProductFactory(), description="x", quantity=0)
    assert error.value.code == "nonconformance.invalid_quantity"
    assert Nonconformance.objects.count() == 0


def test_dispose_then_close():
    nc = quality_nc()
    qa = user("qa_inspector")
    with pytest.raises(InvalidTransition):
        services.nonconformance_close(actor=qa, nonconformance_id=nc.pk)
    disposed = services.nonconformance_dispose(
        actor=qa, nonconformance_id=nc.pk, disposition=Disposition.RETURN_TO_SUPPLIER
    )
    assert disposed.status == N.DISPOSITIONED and disposed.decided_by == qa and disposed.decided_at is not None
    closed = services.nonconformance_close(actor=qa, nonconformance_id=nc.pk, note="已退回厂家")
    assert closed.status == N.CLOSED
    with pytest.raises(InvalidTransition):
        services.nonconformance_dispose(actor=qa, nonconformance_id=nc.pk, disposition=Disposition.SCRAP)


def test_concession_needs_a_justification_and_cs_cannot_dispose():
    nc = quality_nc()
    with pytest.raises(DomainError) as error:
        services.nonconformance_dispose(actor=user("qa_inspector"), nonconformance_id=nc.pk, disposition="concession")
    assert error.value.code == "nonconformance.concession_reason_required"
    with pytest.raises(PermissionDeniedError):
        services.nonconformance_dispose(actor=user("xuhui_cs"), nonconformance_id=nc.pk, disposition="scrap")
    with pytest.raises(DomainError) as error:
        services.nonconformance_dispose(actor=user("qa_inspector"), nonconformance_id=nc.pk, disposition="burn")
    assert error.value.code == "nonconformance.invalid_disposition"
    assert Nonconformance.objects.get(pk=nc.pk).status == N.OPEN


def test_api_list_retrieve_dispose_and_scoping(api_for):
    nc = quality_nc()
    qa = api_for("qa_inspector")
    assert any(row["id"] == nc.pk for row in qa.get(BASE).json()["results"])
    assert api_for("xuhui_cs").get(f"{BASE}{nc.pk}/").status_code == 200  # the store's own record
    assert api_for("tianhe_cs").get(f"{BASE}{nc.pk}/").status_code == 404
    assert (
        api_for("xuhui_cs").post(f"{BASE}{nc.pk}/dispose/", {"disposition": "scrap"}, format="json").status_code == 403
    )
    response = qa.post(f"{BASE}{nc.pk}/dispose/", {"disposition": "rework", "note": "返厂维修后复检"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "dispositioned"
    assert response.json()["source_return_number"].startswith("RT-")
    assert qa.post(f"{BASE}{nc.pk}/close/", {}, format="json").json()["status"] == "closed"
    created = qa.post(
        BASE,
        {"source": "receiving", "product": ProductFactory().pk, "description": "批次抽检不合格"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="nc-1",
    )
    assert created.status_code == 201 and created.json()["org_unit_name"] == "总部"


def test_api_list_query_count_does_not_depend_on_page_size(api_for):
    for _ in range(5):
        quality_nc()
    client = api_for("qa_inspector")

    def count(size):
        with CaptureQueriesContext(connection) as captured:
            assert len(client.get(BASE, {"page_size": size}).json()["results"]) == size
        return len(captured)

    assert count(1) == count(5)


def test_pages(web_for):
    nc = quality_nc()
    client = web_for("qa_inspector")
    assert nc.number in client.get(reverse("inspection:nonconformances")).content.decode()
    html = client.get(reverse("inspection:nonconformance-detail", args=[nc.pk])).content.decode()
    assert 'id="dispose-form"' in html and 'data-status="open"' in html
    refused = client.post(
        reverse("inspection:nonconformance-action", args=[nc.pk, "dispose"]), {"disposition": "concession"}, follow=True
    )
    assert "让步接收须写明理由" in refused.content.decode()
    client.post(reverse("inspection:nonconformance-action", args=[nc.pk, "dispose"]), {"disposition": "scrap"})
    assert Nonconformance.objects.get(pk=nc.pk).disposition == "scrap"
    assert web_for("tianhe_cs").get(reverse("inspection:nonconformance-detail", args=[nc.pk])).status_code == 404
    assert "panel-nonconformances-open" in web_for("qa_inspector").get(reverse("core:workbench")).content.decode()
