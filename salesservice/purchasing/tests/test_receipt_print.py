"""The printable 入库验收单 of a receipt: PDF bytes with its Chinese title, linked from the receipt page, and
scoped like the receipt (a user who cannot see the receipt's warehouse gets 404)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from salesservice.core.models import Membership, OrgUnit, User
from salesservice.inventory.tests.test_imports_and_print import pdf_title

from .factories import approved_order, inspect, make_receipt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def test_receipt_inspection_pdf_renders_and_is_scoped(web_for, users):
    receipt = inspect(make_receipt(approved_order(quantity=5)), rejected=1)
    url = reverse("purchasing:receipt-pdf", args=[receipt.pk])
    client = web_for("purchaser")
    assert url in client.get(reverse("purchasing:receipt-detail", args=[receipt.pk])).content.decode()
    pdf = client.get(url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and pdf_title(pdf.content) == "入库验收单"
    east = User.objects.create(username="east_purchaser", display_name="华东采购")
    Membership.objects.create(
        user=east, org_unit=OrgUnit.objects.get(code="east"), role=Group.objects.get(name="purchaser")
    )
    users[east.username] = east
    assert web_for("east_purchaser").get(url).status_code == 404
    assert web_for("xuhui_cs").get(url).status_code == 403
