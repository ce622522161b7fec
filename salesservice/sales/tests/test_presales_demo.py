"""The pre-sales demo (on the catalog and customers demos): an overdue inquiry and an answered one with the
needs confirmed (PRE-1, PRE-3), approved and pending claims (PRE-2), a tender won and one lost (SAL-3),
letters valid and expired (BUY-2), this year's plans (SAL-4); idempotent."""

import pytest
from django.utils import timezone

from salesservice.catalog.demo import load_demo as load_catalog
from salesservice.customers.demo import load_demo as load_customers

from ..choices import ClaimStatus, InquiryStatus, TenderStatus
from ..models import Inquiry, ProductClaim, RepAuthorisation, SalesPlan, Tender
from ..presales_demo import load_demo
from ..presales_selectors import approved_claims, overdue_inquiries, rep_flag
from .presales_factories import user

pytestmark = pytest.mark.django_db


def test_presales_demo_tells_each_story_once(demo):
    """PRE-1, PRE-2, PRE-3, SAL-3, BUY-2, SAL-4: the demo's records, loaded twice, exist once."""
    load_catalog()
    load_customers()
    load_demo()
    assert overdue_inquiries().count() == 1
    assert Inquiry.objects.filter(status=InquiryStatus.ANSWERED, needs_confirmed=True).exists()
    claims = ProductClaim.objects.all()
    assert {c.status for c in claims} == {ClaimStatus.APPROVED, ClaimStatus.PENDING}
    assert len(approved_claims([claims[0].product_id])[claims[0].product_id]) == 2
    assert set(Tender.objects.values_list("status", flat=True)) == {TenderStatus.WON, TenderStatus.LOST}
    assert rep_flag(user("sales_rep"), timezone.localdate()) == ""
    assert rep_flag(user("xuhui_cs"), timezone.localdate())
    assert SalesPlan.objects.filter(year=timezone.localdate().year, approved_at__isnull=False).count() == 1
    counts = [m.objects.count() for m in (Inquiry, ProductClaim, Tender, RepAuthorisation, SalesPlan)]
    load_demo()
    assert [m.objects.count() for m in (Inquiry, ProductClaim, Tender, RepAuthorisation, SalesPlan)] == counts
