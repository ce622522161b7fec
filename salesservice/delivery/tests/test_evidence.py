"""Compliance evidence of delivery (issue 16 §4): DEL-1, DEL-2, DEL-7 — met on records that follow the rule,
short with the offending record listed when one does not, no_data (never met) without records."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.evidence import MET, NO_DATA, SHORT, Period
from salesservice.dashboards.compliance import compliance_report
from salesservice.sales.models import SalesOrder

from .. import services
from ..evidence import (
    every_shipment_has_a_delivery_record,
    incidents_told_to_the_customer,
    picked_and_packed_for_transport,
    protection_to_destination,
    uninformed_incidents_reminded,
)
from ..models import Delivery, DeliveryIncident
from .factories import allocated_order, device, hospital, ship, shipped_delivery, signed_contract, user

pytestmark = pytest.mark.django_db


def _recent() -> Period:
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=3), today)


def test_del1_shipments_picked_and_packed_met_then_short_without_a_pick_list():
    """DEL-1: a delivery with its pick list, packing, package count, carrier and tracking number → met; one
    whose pick list is missing → short and listed; nothing shipped → no_data."""
    assert picked_and_packed_for_transport(_recent()).status == NO_DATA
    shipped_delivery()
    assert picked_and_packed_for_transport(_recent()).status == MET

    bare = shipped_delivery()
    bare.lines.all().delete()
    short = picked_and_packed_for_transport(_recent())
    assert short.status == SHORT and [link.label for link in short.shortfalls] == [bare.number]

    result = compliance_report(_recent(), only={"DEL-1"}).results[0]
    assert result.status == SHORT


def test_del2_incidents_told_in_time_then_short_and_reminded_when_not():
    """DEL-2: an incident told to the customer at once with a remedy → met (nothing to remind: no_data); one
    not told for 30 h → short on telling and on reminding, listed; once the reminder job ran → reminded (met)."""
    assert incidents_told_to_the_customer(_recent()).status == NO_DATA
    delivery = shipped_delivery()
    services.delivery_report_incident(
        actor=user("warehouse_clerk"),
        delivery_id=delivery.pk,
        kind="delay",
        description="物流中转延误一天",
        customer_informed_at=timezone.now(),
        informed_how="phone",
        remedy="改为专车送达",
    )
    assert incidents_told_to_the_customer(_recent()).status == MET
    assert uninformed_incidents_reminded(_recent()).status == NO_DATA

    services.delivery_report_incident(
        actor=user("warehouse_clerk"), delivery_id=delivery.pk, kind="damage", description="外箱挤压变形"
    )
    DeliveryIncident.objects.filter(kind="damage").update(reported_at=timezone.now() - dt.timedelta(hours=30))
    told = incidents_told_to_the_customer(_recent())
    assert told.status == SHORT and told.shortfall_count == 1
    assert told.shortfalls[0].label == f"{delivery.number} 商品损坏"
    reminded = uninformed_incidents_reminded(_recent())
    assert reminded.status == SHORT and reminded.shortfall_count == 1

    assert services.incidents_remind_uninformed() == 1
    assert uninformed_incidents_reminded(_recent()).status == MET
    result = compliance_report(_recent(), only={"DEL-2"}).results[0]
    assert result.status == SHORT  # still told late


def test_del7_every_shipment_recorded_and_protection_carried_then_short():
    """DEL-7: a shipped order has its delivery record, and a contract's protection to the destination is carried
    onto the delivery → met; an order marked shipped without a delivery record, and a delivery that dropped
    the contract's protection → short and listed; no contract asking for protection → no_data."""
    assert every_shipment_has_a_delivery_record(_recent()).status == NO_DATA
    customer, product = hospital(), device()
    contract = signed_contract(customer, product, protect=True)
    delivery = ship(allocated_order(customer=customer, product=product, contract=contract))
    assert every_shipment_has_a_delivery_record(_recent()).status == MET
    assert protection_to_destination(_recent()).status == MET
    assert delivery.protect_to_destination

    unrecorded = allocated_order()
    SalesOrder.objects.filter(pk=unrecorded.pk).update(shipped_at=timezone.now())
    short = every_shipment_has_a_delivery_record(_recent())
    assert short.status == SHORT and [link.label for link in short.shortfalls] == [unrecorded.number]

    Delivery.objects.filter(pk=delivery.pk).update(protect_to_destination=False)
    dropped = protection_to_destination(_recent())
    assert dropped.status == SHORT and [link.label for link in dropped.shortfalls] == [delivery.number]

    result = compliance_report(_recent(), only={"DEL-7"}).results[0]
    assert result.status == SHORT and len(result.evidence) == 2


def test_del7_protection_is_no_data_when_no_contract_asks_for_it():
    """DEL-7: deliveries without a protection clause in their contract → the protection aspect has no data."""
    shipped_delivery()
    assert protection_to_destination(_recent()).status == NO_DATA
    assert every_shipment_has_a_delivery_record(_recent()).status == MET


def test_each_delivery_evidence_function_runs_a_handful_of_queries(django_assert_max_num_queries):
    """DEL-1, DEL-2, DEL-7: set-based — a few aggregate queries per aspect, none per record."""
    for _ in range(3):
        delivery = shipped_delivery()
        delivery.lines.all().delete()
        services.delivery_report_incident(
            actor=user("warehouse_clerk"), delivery_id=delivery.pk, kind="damage", description="外箱挤压变形"
        )
    DeliveryIncident.objects.update(reported_at=timezone.now() - dt.timedelta(hours=30))
    for function in (
        picked_and_packed_for_transport,
        incidents_told_to_the_customer,
        uninformed_incidents_reminded,
        every_shipment_has_a_delivery_record,
        protection_to_destination,
    ):
        with django_assert_max_num_queries(5):
            assert function(_recent()).status in (MET, SHORT, NO_DATA)
