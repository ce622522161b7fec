"""Issue 12 §10 (INF-1, PIPL §15) — consent is consulted: no follow-up call or survey to a customer who
withdrew consent to them (or to the processing of their data); giving it again lifts the block.
Issue 12 §8: a follow-up is not assigned to someone who could not then open it."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.exceptions import ConflictError, DomainError
from salesservice.customers import services as customer_services
from salesservice.customers.choices import ConsentChannel, ConsentPurpose
from salesservice.customers.tests.factories import CustomerFactory
from salesservice.feedback import services, survey_services
from salesservice.feedback.models import FollowUp
from salesservice.feedback.scheduling import schedule_key_accounts

pytestmark = pytest.mark.django_db


def _withdraw(customer, actor, purpose=ConsentPurpose.SERVICE_FOLLOW_UP):
    consent = customer_services.consent_give(
        actor=actor, customer=customer, purpose=purpose, channel=ConsentChannel.SMS
    )
    customer_services.consent_withdraw(actor=actor, consent_id=consent.pk)


@pytest.mark.parametrize("purpose", [ConsentPurpose.SERVICE_FOLLOW_UP, ConsentPurpose.DATA_PROCESSING])
def test_no_follow_up_or_survey_after_consent_is_withdrawn(users, demo, purpose):
    manager = users["xuhui_manager"]
    customer = CustomerFactory(store=demo["sh-xuhui"])
    _withdraw(customer, manager, purpose)
    due = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ConflictError) as refused:
        services.follow_up_create(actor=manager, customer=customer, kind="key_account_periodic", due_at=due)
    assert refused.value.code == "consent.withdrawn"
    with pytest.raises(ConflictError):
        survey_services.survey_link_create(actor=manager, customer=customer)
    assert not FollowUp.objects.filter(customer=customer).exists()


def test_the_scheduler_skips_them_and_giving_consent_again_lifts_it(users, demo):
    manager = users["xuhui_manager"]
    customer = CustomerFactory(store=demo["sh-xuhui"], is_key_account=True)
    _withdraw(customer, manager)
    schedule_key_accounts(timezone.now(), {})
    assert not FollowUp.objects.filter(customer=customer).exists()
    customer_services.consent_give(
        actor=manager, customer=customer, purpose=ConsentPurpose.SERVICE_FOLLOW_UP, channel=ConsentChannel.PHONE
    )
    schedule_key_accounts(timezone.now(), {})
    assert FollowUp.objects.filter(customer=customer).count() == 1


def test_marketing_withdrawal_does_not_stop_service_follow_ups(users, demo):
    manager = users["xuhui_manager"]
    customer = CustomerFactory(store=demo["sh-xuhui"])
    _withdraw(customer, manager, ConsentPurpose.MARKETING)
    due = timezone.now() + dt.timedelta(days=1)
    assert services.follow_up_create(actor=manager, customer=customer, kind="key_account_periodic", due_at=due)


def test_a_follow_up_is_not_assigned_to_someone_who_cannot_open_it(users, demo):
    customer = CustomerFactory(store=demo["sh-xuhui"])
    due = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        services.follow_up_create(
            actor=users["east_manager"], customer=customer, kind="key_account_periodic", due_at=due,
            assignee=users["tianhe_cs"],
        )  # fmt: skip
    assert refused.value.code == "follow_up.assignee_out_of_scope"


def test_no_withdrawal_before_the_consent_was_given(users, demo):
    """Issue 12 §6: a withdrawal is dated after the consent it withdraws, and not in the future."""
    manager = users["xuhui_manager"]
    customer = CustomerFactory(store=demo["sh-xuhui"])
    consent = customer_services.consent_give(
        actor=manager, customer=customer, purpose=ConsentPurpose.MARKETING, channel=ConsentChannel.SMS
    )
    for when in (consent.given_at - dt.timedelta(days=1), timezone.now() + dt.timedelta(days=1)):
        with pytest.raises(DomainError) as refused:
            customer_services.consent_withdraw(actor=manager, consent_id=consent.pk, withdrawn_at=when)
        assert refused.value.code == "consent.withdrawn_out_of_order"
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
