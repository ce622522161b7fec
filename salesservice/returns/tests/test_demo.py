"""The returns demo: idempotent; the exclusion rule configured; every status; eligible and not; one quality
return with a dispositioned nonconformance."""

import pytest

from salesservice.catalog.demo import load_demo as load_catalog
from salesservice.customers.demo import load_demo as load_customers
from salesservice.inspection.demo import load_demo as load_inspection
from salesservice.inspection.models import Nonconformance

from ..choices import ReturnStatus
from ..demo import load_demo
from ..models import ReturnRequest, ReturnRule

pytestmark = pytest.mark.django_db


def test_demo_covers_every_status_and_is_idempotent(demo):
    load_catalog()
    load_customers()
    load_inspection()
    load_demo()
    count = ReturnRequest.objects.count()
    load_inspection()
    load_demo()
    assert ReturnRequest.objects.count() == count and ReturnRule.objects.count() == 1
    assert set(ReturnRequest.objects.values_list("status", flat=True)) == set(ReturnStatus.values)
    assert (
        ReturnRequest.objects.filter(eligible=True).exists() and ReturnRequest.objects.filter(eligible=False).exists()
    )
    assert ReturnRequest.objects.filter(eligibility__reasons__0__code="returns.excluded_category").exists()
    assert Nonconformance.objects.filter(source="return", status="dispositioned").exists()
    assert Nonconformance.objects.filter(source="receiving").count() == 1
    assert ReturnRequest.objects.exclude(negotiated_outcome="").exists()
