"""Compliance evidence of the service desk (issue 16 §4): SRV-3 (every step of the service process before closing),
SRV-9 (closed records filed by time, type and responsible person), SRV-11 (the warranty basis on the request) —
met with complete records, short with the offending request listed, no_data without records (never met)."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.catalog.tests.factories import ProductFactory
from salesservice.core.evidence import MET, NO_DATA, SHORT, Period
from salesservice.dashboards.compliance import compliance_report

from .. import evidence, services
from ..models import Acceptance, ServiceRequest
from .factories import make_request, user

pytestmark = pytest.mark.django_db


def _period(unit=None) -> Period:
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=1), today, unit)


def _closed_by_phone(**extra) -> ServiceRequest:
    """A consultation answered by phone (process record written), accepted with a rating and closed."""
    cs = user("xuhui_cs")
    request = make_request(product=ProductFactory(), category="consultation", **extra)
    services.request_contact(actor=cs, request_id=request.pk)
    services.request_resolve(actor=cs, request_id=request.pk, root_cause="使用不当", solution="电话指导复位")
    services.request_confirm(actor=cs, request_id=request.pk, method="phone", rating=5)
    return services.request_close(actor=user("xuhui_manager"), request_id=request.pk)


def _figures(item) -> dict:
    return {figure.label: figure.value for figure in item.figures}


def test_srv3_every_step_met_then_short_without_verification(demo):
    """SRV-3: closed requests with cause, solution, process record, the customer's verification and rating are met;
    one whose acceptance is missing falls short and is listed; the report shows the same."""
    assert evidence.closed_through_every_step(_period()).status == NO_DATA
    _closed_by_phone()
    item = evidence.closed_through_every_step(_period())
    assert item.status == MET and _figures(item)["检查记录数"] == 1

    broken = _closed_by_phone()
    Acceptance.objects.filter(request=broken).delete()
    item = evidence.closed_through_every_step(_period())
    assert item.status == SHORT and item.shortfall_count == 1
    assert [link.label for link in item.shortfalls] == [broken.number]
    assert _figures(item)["其余齐全但缺实施记录或客户验证"] == 1 and _figures(item)["缺原因分析"] == 0
    result = compliance_report(_period(), only={"SRV-3"}).results[0]
    assert result.status == SHORT and result.evidence[0].shortfalls[0].url.endswith(f"/{broken.pk}/")


def test_srv3_counts_only_the_units_subtree(demo):
    """SRV-3: a request of 上海徐汇店 does not count for 广州天河店."""
    _closed_by_phone()
    assert evidence.closed_through_every_step(_period(demo["sh-xuhui"])).status == MET
    assert evidence.closed_through_every_step(_period(demo["gz-tianhe"])).status == NO_DATA


def test_srv9_filed_by_time_type_and_person(demo):
    """SRV-9: closed requests carry time, category and responsible person (met); one without → short, listed."""
    assert evidence.archived_by_time_type_person(_period()).status == NO_DATA
    _closed_by_phone()
    item = evidence.archived_by_time_type_person(_period())
    assert item.status == MET and _figures(item)["咨询"] == 1
    assert "group=category" in item.records_url

    orphan = _closed_by_phone()
    ServiceRequest.objects.filter(pk=orphan.pk).update(assignee=None)
    item = evidence.archived_by_time_type_person(_period())
    assert item.status == SHORT and [link.label for link in item.shortfalls] == [orphan.number]
    assert compliance_report(_period(), only={"SRV-9"}).results[0].status == SHORT


def _closed_repair(**fields) -> ServiceRequest:
    request = make_request(category="repair", **fields)
    ServiceRequest.objects.filter(pk=request.pk).update(status="closed", closed_at=timezone.now())
    return request


def test_srv11_warranty_basis_on_product_services(demo):
    """SRV-11: a closed repair with product and purchase date is met; one without a purchase date → short, listed;
    consultations are not counted; none → no_data."""
    _closed_by_phone()  # a consultation: not a product service
    assert evidence.warranty_terms_on_request(_period()).status == NO_DATA
    _closed_repair(product=ProductFactory(), purchase_date=timezone.localdate() - dt.timedelta(days=100))
    assert evidence.warranty_terms_on_request(_period()).status == MET

    unknown = _closed_repair(product=ProductFactory())
    item = evidence.warranty_terms_on_request(_period())
    assert item.status == SHORT and [link.label for link in item.shortfalls] == [unknown.number]
    assert "合同" in item.note
    assert compliance_report(_period(), only={"SRV-11"}).results[0].status == SHORT


def test_srv5_a_closed_request_without_acceptance_is_listed(demo):
    """SRV-5: the request without an acceptance record is found by an anti-join and listed."""
    _closed_by_phone()
    missing = _closed_by_phone()
    Acceptance.objects.filter(request=missing).delete()
    item = evidence.closed_with_customer_acceptance(_period())
    assert item.status == SHORT and [link.label for link in item.shortfalls] == [missing.number]
