"""The purchasing demo (built on the suppliers and inventory demos): orders in every state, a receipt partly
rejected (accept 95, reject 5) with its nonconformance (SUP-7, SUP-8), one waiting inspection; idempotent."""

import io

import pytest
from django.core.management import call_command

from ..choices import OrderStatus as O
from ..choices import ReceiptStatus as R
from ..demo import load_demo
from ..models import PurchaseOrder, PurchaseRequisition, Receipt, ReceiptLine

pytestmark = pytest.mark.django_db


def test_demo_has_orders_in_every_state_and_a_partly_rejected_receipt(demo):
    call_command("load_demo", "--force", stdout=io.StringIO())
    states = set(PurchaseOrder.objects.values_list("status", flat=True))
    assert states >= {O.DRAFT, O.SUBMITTED, O.APPROVED, O.PARTIALLY_RECEIVED, O.CLOSED, O.CANCELLED}
    assert PurchaseRequisition.objects.count() == 3
    partial = ReceiptLine.objects.get(rejected_quantity=5)
    assert partial.accepted_quantity == 95 and partial.nonconformance.source == "receiving"
    assert Receipt.objects.filter(status=R.RECEIVED).exists() and Receipt.objects.filter(status=R.PUT_AWAY).exists()
    count = PurchaseOrder.objects.count()
    load_demo()
    assert PurchaseOrder.objects.count() == count
