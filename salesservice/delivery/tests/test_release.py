"""The release gate (DEL-6), the concession (004 §4.6.2), delivery reported to sales (DEL-5) and the
follow-up and survey scheduled after delivery (FBK-1, FBK-3) — unless consent was withdrawn."""

import pytest
from django.utils import timezone

from salesservice.core.exceptions import DomainError, PermissionDeniedError
from salesservice.customers.choices import ConsentChannel, ConsentPurpose
from salesservice.customers.models import Consent
from salesservice.feedback.choices import FollowUpKind, SourceKind
from salesservice.feedback.models import FollowUp, SurveyLink
from salesservice.sales.choices import OrderStatus
from salesservice.sales.models import Receivable

from .. import services
from ..choices import DeliveryStatus
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

CONCESSION = {
    "customer_representative": "急诊科 赵护士长",
    "reason": "急诊急需，先行使用",
    "lawful": True,
    "recallable": True,
}


def release(delivery, actor="xuhui_manager"):
    return services.delivery_release(actor=user(actor), delivery_id=delivery.pk)


def concede(delivery, actor="xuhui_manager", **extra):
    return services.delivery_approve_concession(actor=user(actor), delivery_id=delivery.pk, **{**CONCESSION, **extra})


def test_release_without_acceptance_and_without_concession_is_refused():
    """DEL-6: no release until every required activity is done, unless the customer approves."""
    delivery = shipped_delivery()
    with pytest.raises(DomainError) as refused:
        release(delivery)
    assert refused.value.code == "delivery.release_blocked" and refused.value.status_code == 409
    assert refused.value.fields["missing"] == ["acceptance"]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SHIPPED and delivery.order.status == OrderStatus.SHIPPED


def test_release_after_a_signed_acceptance_delivers_the_order_and_schedules_the_follow_up():
    """DEL-6 + DEL-5: the order is delivered, its receivable raised; FBK-1/FBK-3 follow-up and survey."""
    delivery = accept(shipped_delivery())
    release(delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RELEASED and delivery.released_by == user("xuhui_manager")
    order = delivery.order
    assert order.status == OrderStatus.DELIVERED and order.delivered_at is not None
    assert Receivable.objects.get(order=order).amount == order.total
    follow_up = FollowUp.objects.get(source_kind=SourceKind.DELIVERY, source_id=delivery.pk)
    assert follow_up.kind == FollowUpKind.AFTER_DELIVERY and follow_up.source_number == delivery.number
    assert follow_up.due_at > timezone.now()
    assert SurveyLink.objects.filter(source_kind=SourceKind.DELIVERY, source_id=delivery.pk).count() == 1


def test_installation_and_training_required_by_the_contract_gate_the_release():
    """DEL-3 installation and DEL-4 training when the contract requires them."""
    product, customer = device(), hospital()
    contract = signed_contract(customer, product, installation=True, training=True)
    delivery = ship(allocated_order(customer=customer, product=product, contract=contract))
    accept(delivery, checks=checks(installation="pass"))
    with pytest.raises(DomainError) as refused:
        release(delivery)
    assert refused.value.fields["missing"] == ["training"]
    services.delivery_record_training(
        actor=user("xuhui_engineer"),
        delivery_id=delivery.pk,
        trained_on=timezone.localdate(),
        trainees="护士长 李某",
        content="操作与日常维护",
        signature_data_url=SIGNATURE,
    )
    release(delivery)


def test_a_concession_approved_by_the_shipper_is_refused():
    """DEL-6: the manager approving the concession is not the one who shipped."""
    delivery = ship(allocated_order(), actor="admin")
    with pytest.raises(PermissionDeniedError) as refused:
        concede(delivery, actor="admin")
    assert refused.value.code == "delivery.concession_self_approval"
    assert not delivery.__class__.objects.get(pk=delivery.pk).concession_approved


@pytest.mark.parametrize("missing", ["lawful", "recallable", "customer_representative", "reason"])
def test_a_concession_must_be_lawful_recallable_and_say_who_and_why(missing):
    """004 §4.6.2 a) lawful, b) traceable and recallable; and who at the customer approved, why."""
    delivery = shipped_delivery()
    with pytest.raises(DomainError) as refused:
        concede(delivery, **{missing: False if missing in ("lawful", "recallable") else ""})
    assert refused.value.code == "delivery.concession_incomplete"


def test_release_with_a_concession_delivers_the_order_with_its_receivable_and_follow_up():
    """DEL-6: released under the customer's approved concession — the order delivered, receivable created,
    follow-up scheduled."""
    delivery = shipped_delivery()
    concede(delivery)
    release(delivery, actor="xuhui_cs")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RELEASED and delivery.concession_missing == ["acceptance"]
    assert delivery.order.status == OrderStatus.DELIVERED
    assert Receivable.objects.filter(order=delivery.order).exists()
    assert FollowUp.objects.filter(source_kind=SourceKind.DELIVERY, source_id=delivery.pk).exists()


def test_a_concession_is_not_needed_when_everything_is_done():
    delivery = accept(shipped_delivery())
    with pytest.raises(DomainError) as refused:
        concede(delivery)
    assert refused.value.code == "delivery.concession_not_needed"


def test_withdrawn_consent_means_no_follow_up_and_no_survey():
    """INF-1: a customer who withdrew consent to follow-ups and surveys is not called after delivery."""
    customer = hospital()
    Consent.objects.create(
        customer=customer,
        purpose=ConsentPurpose.SERVICE_FOLLOW_UP,
        channel=ConsentChannel.values[0],
        given_at=timezone.now(),
        withdrawn_at=timezone.now(),
        recorded_by=user("xuhui_cs"),
    )
    delivery = accept(shipped_delivery(customer=customer))
    release(delivery)
    assert delivery.order.__class__.objects.get(pk=delivery.order_id).status == OrderStatus.DELIVERED
    assert not FollowUp.objects.filter(source_kind=SourceKind.DELIVERY, source_id=delivery.pk).exists()
    assert not SurveyLink.objects.filter(source_kind=SourceKind.DELIVERY, source_id=delivery.pk).exists()


def test_release_by_another_store_is_not_found():
    from salesservice.core.exceptions import NotFoundError

    delivery = accept(shipped_delivery())
    with pytest.raises(NotFoundError):
        release(delivery, actor="tianhe_cs")
