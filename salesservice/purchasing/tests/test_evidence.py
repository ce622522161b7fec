"""Compliance evidence of purchasing (issue 16 §4): SUP-4 contract terms, SUP-6 inspection against the acceptance
standard, TRC-3 receiving inspections signed — met, short with the offending record listed, no records → no_data."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.evidence import MET, NO_DATA, SHORT, Period
from salesservice.dashboards.compliance import compliance_report

from .. import evidence
from ..models import PurchaseOrder, ReceiptLine
from .factories import approved_order, checked_product, inspect, make_receipt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def _period(unit=None):
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=30), today, unit)


def _figures(item):
    return {figure.label: figure.value for figure in item.figures}


def test_sup4_submitted_orders_state_the_three_terms_else_short():
    """SUP-4: submitted orders with the three terms → met; one whose return terms were blanked after submission
    (slipped past the rule) → short and listed; no submitted order → no_data."""
    assert evidence.orders_state_the_contract_terms(_period()).status == NO_DATA
    approved_order()
    good = evidence.orders_state_the_contract_terms(_period())
    assert good.status == MET and _figures(good)["检查记录数"] == 1
    assert "ordered_after=" in good.records_url

    order = approved_order()
    PurchaseOrder.objects.filter(pk=order.pk).update(return_terms="  ")
    bad = evidence.orders_state_the_contract_terms(_period())
    assert bad.status == SHORT and bad.shortfall_count == 1
    assert [link.label for link in bad.shortfalls] == [order.number]
    assert bad.shortfalls[0].url == f"/purchasing/orders/{order.pk}/"

    result = compliance_report(_period(), only={"SUP-4"}).results[0]
    assert result.status == SHORT


def test_sup6_lines_inspected_against_a_four_group_standard():
    """SUP-6: a line inspected item by item against a four-group standard → both aspects met; a product with no
    standard (inspected with no checklist) → short, the receipt listed; a standard missing a group → short."""
    assert evidence.lines_inspected_against_the_standard(_period()).status == NO_DATA
    assert evidence.standards_cover_the_four_groups(_period()).status == NO_DATA
    receipt = make_receipt(approved_order())
    inspect(receipt)
    assert evidence.lines_inspected_against_the_standard(_period()).status == MET
    assert evidence.standards_cover_the_four_groups(_period()).status == MET

    product = checked_product(tracking_mode="none")
    template = product.acceptance_template
    template.items.filter(group="quantity").delete()
    inspect(make_receipt(approved_order(products=[product])))
    groups = evidence.standards_cover_the_four_groups(_period())
    assert groups.status == SHORT and [link.label for link in groups.shortfalls] == [template.name]

    bare = checked_product(tracking_mode="none")
    bare.acceptance_template = None
    bare.save(update_fields=["acceptance_template"])
    unchecked = make_receipt(approved_order(products=[bare]))
    inspect(unchecked)
    lines = evidence.lines_inspected_against_the_standard(_period())
    assert lines.status == SHORT and lines.shortfall_count == 1
    assert lines.shortfalls[0].label.startswith(unchecked.number)
    assert lines.shortfalls[0].url == f"/purchasing/receipts/{unchecked.pk}/"
    assert str(_figures(lines)["比例"]) == "66.7"


def test_trc3_receiving_inspections_are_signed():
    """TRC-3: inspected lines carry their inspector → met; a line without one → short and its receipt listed."""
    assert evidence.receiving_inspections_signed(_period()).status == NO_DATA
    receipt = make_receipt(approved_order())
    inspect(receipt)
    assert evidence.receiving_inspections_signed(_period()).status == MET

    other = make_receipt(approved_order())
    inspect(other)
    ReceiptLine.objects.filter(receipt=other).update(inspector=None)
    item = evidence.receiving_inspections_signed(_period())
    assert item.status == SHORT and [link.label for link in item.shortfalls] == [other.number]
    aspects = compliance_report(_period(), only={"TRC-3"}).results[0].evidence
    assert any(aspect.status == SHORT and aspect.aspect == item.aspect for aspect in aspects)


def test_a_store_sees_no_purchasing_of_headquarters(demo):
    """Orders and receipts belong to HQ purchasing and the warehouse: a store's report finds none of them."""
    inspect(make_receipt(approved_order()))
    store = _period(demo["sh-xuhui"])
    assert evidence.orders_state_the_contract_terms(store).status == NO_DATA
    assert evidence.lines_inspected_against_the_standard(store).status == NO_DATA
