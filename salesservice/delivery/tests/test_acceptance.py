"""Acceptance at handover (DEL-3), training (DEL-4) and incidents (DEL-2)."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.exceptions import DomainError, NotFoundError
from salesservice.core.models import Notification
from salesservice.sales.models import SalesRecord

from .. import services
from ..choices import DeliveryStatus
from ..models import DeliveryIncident
from .factories import (
    SIGNATURE,
    accept,
    allocated_order,
    checks,
    device,
    hospital,
    ship,
    shipped_delivery,
    signed_contract,
    user,
)

pytestmark = pytest.mark.django_db


def test_acceptance_with_signature_records_the_checklist_and_the_signature_file():
    """DEL-3: the four items, the customer's signature stored as a PNG file."""
    delivery = accept(shipped_delivery())
    assert delivery.status == DeliveryStatus.ACCEPTED
    assert {c.item: c.result for c in delivery.checks.all()} == {
        "packing_list": "pass",
        "appearance": "pass",
        "installation": "na",
        "function": "pass",
    }
    assert delivery.signature.name.startswith("delivery/signatures/") and delivery.signer_name == "王主任"
    with delivery.signature.open("rb") as handle:
        assert handle.read().startswith(b"\x89PNG")


def test_acceptance_without_signature_and_without_declined_reason_is_refused():
    """DEL-3: signed by the customer, or staff say why not."""
    delivery = shipped_delivery()
    with pytest.raises(DomainError) as refused:
        accept(delivery, signature_data_url="")
    assert refused.value.code == "delivery.signature_required"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SHIPPED and not delivery.checks.exists()


def test_acceptance_with_a_declined_reason_is_recorded_but_the_gate_still_asks_for_the_signature():
    delivery = accept(shipped_delivery(), signature_data_url="", signature_declined_reason="客户代表不在场")
    assert delivery.status == DeliveryStatus.ACCEPTED and delivery.release_missing == ["signature"]


def test_acceptance_refuses_a_signature_that_is_not_a_png():
    with pytest.raises(DomainError) as refused:
        accept(shipped_delivery(), signature_data_url="data:image/png;base64,aGVsbG8=")
    assert refused.value.code == "delivery.invalid_signature"


def test_every_checklist_item_needs_a_result():
    with pytest.raises(DomainError) as refused:
        accept(shipped_delivery(), checks=checks()[:3])
    assert refused.value.code == "delivery.checklist_incomplete"


def test_installation_required_by_the_contract_cannot_be_not_applicable():
    product, customer = device(), hospital()
    contract = signed_contract(customer, product, installation=True)
    delivery = ship(allocated_order(customer=customer, product=product, contract=contract))
    with pytest.raises(DomainError) as refused:
        accept(delivery)
    assert refused.value.code == "delivery.installation_required"
    accept(delivery, checks=checks(installation="pass"))


def test_a_failed_item_needs_the_defective_unit_replaced_from_stock():
    """DEL-3 (002 §6.5.1): a defect is replaced from our stock; which lot replaced which is recorded and the
    customer's GSP record names the replacement lot (TRC-1: a recall must reach it)."""
    product = device()
    order = allocated_order(product=product, quantity=1, stock=3)
    delivery = ship(order)
    with pytest.raises(DomainError) as refused:
        accept(delivery, checks=checks(appearance="fail"))
    assert refused.value.code == "delivery.check_failed"
    line = delivery.lines.get()
    accept(
        delivery, checks=checks(appearance="fail"), replacements=[{"line": line.pk, "quantity": 1, "note": "外壳裂纹"}]
    )
    replacement = delivery.replacements.get()
    assert replacement.defective_lot == line.lot and replacement.quantity == 1 and replacement.note == "外壳裂纹"
    assert SalesRecord.objects.filter(order=order, shipment_number=delivery.number).count() == 2
    line.refresh_from_db()
    assert line.replaced_quantity == 1


def test_replacing_more_than_was_delivered_is_refused():
    delivery = shipped_delivery(quantity=1)
    line = delivery.lines.get()
    with pytest.raises(DomainError) as refused:
        accept(delivery, checks=checks(function="fail"), replacements=[{"line": line.pk, "quantity": 2}])
    assert refused.value.code == "delivery.replacement_invalid"


def test_training_record_needs_the_customers_signature_or_name():
    """DEL-4: date, trainer, trainees, content, confirmed by the customer."""
    delivery = shipped_delivery()
    values = {"trained_on": timezone.localdate(), "trainees": "护士长 李某", "content": "开机自检、日常维护"}
    with pytest.raises(DomainError) as refused:
        services.delivery_record_training(actor=user("xuhui_engineer"), delivery_id=delivery.pk, **values)
    assert refused.value.code == "delivery.training_incomplete"
    services.delivery_record_training(
        actor=user("xuhui_engineer"), delivery_id=delivery.pk, signature_data_url=SIGNATURE, **values
    )
    record = delivery.trainings.get()
    assert record.trainer_name == user("xuhui_engineer").name and record.signature


def test_training_date_in_the_future_is_refused():
    delivery = shipped_delivery()
    with pytest.raises(DomainError) as refused:
        services.delivery_record_training(
            actor=user("xuhui_engineer"),
            delivery_id=delivery.pk,
            trained_on=timezone.localdate() + dt.timedelta(days=2),
            trainees="甲",
            content="乙",
            customer_signer_name="丙",
        )
    assert refused.value.code == "delivery.training_date_invalid"


def test_an_incident_not_told_to_the_customer_is_reminded_once():
    """DEL-2: delays and damage are told to the customer with a remedy; if not within the policy hours,
    whoever reported it, the rep and the store manager are reminded (once)."""
    delivery = shipped_delivery()
    services.delivery_report_incident(
        actor=user("warehouse_clerk"), delivery_id=delivery.pk, kind="damage", description="外箱挤压变形"
    )
    assert services.incidents_remind_uninformed(timezone.now() + dt.timedelta(hours=1)) == 0
    later = timezone.now() + dt.timedelta(hours=25)
    assert services.incidents_remind_uninformed(later) == 1
    assert services.incidents_remind_uninformed(later) == 0
    assert Notification.objects.filter(recipient=user("xuhui_manager"), title__contains="未告知客户").exists()
    incident = DeliveryIncident.objects.get(delivery=delivery)
    services.delivery_inform_incident(
        actor=user("xuhui_cs"), delivery_id=delivery.pk, incident=incident.pk, informed_how="phone", remedy="补发新外箱"
    )
    incident.refresh_from_db()
    assert incident.customer_informed_at is not None and incident.remedy == "补发新外箱"


def test_an_incident_told_without_a_remedy_is_refused():
    delivery = shipped_delivery()
    with pytest.raises(DomainError) as refused:
        services.delivery_report_incident(
            actor=user("xuhui_cs"),
            delivery_id=delivery.pk,
            kind="delay",
            description="延误",
            customer_informed_at=timezone.now(),
            informed_how="phone",
        )
    assert refused.value.code == "delivery.incident_inform_incomplete"


def test_another_stores_user_cannot_accept():
    delivery = shipped_delivery()
    with pytest.raises(NotFoundError):
        accept(delivery, actor="tianhe_cs")
