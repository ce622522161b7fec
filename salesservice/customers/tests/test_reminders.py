"""BUY-1: expiring buyer qualifications remind the owning sales rep, once per expiry."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from salesservice.core.models import Notification

from .. import services
from ..tasks import remind_expiring_qualifications
from .factories import CustomerFactory, QualificationFactory

pytestmark = pytest.mark.django_db


def test_expiring_qualification_notifies_the_sales_rep_once(users):
    today = timezone.localdate()
    customer = CustomerFactory(sales_rep=users["sales_rep"], customer_type="hospital")
    QualificationFactory(customer=customer, valid_until=today + dt.timedelta(days=10))
    QualificationFactory(customer=customer, valid_until=today + dt.timedelta(days=200))  # not due yet
    assert remind_expiring_qualifications() == 1
    assert services.qualifications_remind_expiring(actor=None) == 0
    call_command("remind_qualifications")
    notes = Notification.objects.filter(kind="customers.qualification_expiring")
    assert notes.count() == 1 and notes.get().recipient == users["sales_rep"]


def test_without_sales_rep_the_store_manager_is_reminded(users):
    today = timezone.localdate()
    QualificationFactory(customer=CustomerFactory(customer_type="dealer"), valid_until=today + dt.timedelta(days=3))
    services.qualifications_remind_expiring(actor=None)
    assert list(
        Notification.objects.filter(kind="customers.qualification_expiring").values_list("recipient", flat=True)
    ) == [users["xuhui_manager"].pk]


def test_renewed_expiry_is_reminded_again(users):
    today = timezone.localdate()
    qualification = QualificationFactory(
        customer=CustomerFactory(sales_rep=users["sales_rep"]), valid_until=today + dt.timedelta(days=5)
    )
    services.qualifications_remind_expiring(actor=None)
    services.qualification_update(
        actor=users["sales_rep"],
        qualification_id=qualification.pk,
        expected_version=qualification.version,
        valid_until=today + dt.timedelta(days=25),
    )
    assert services.qualifications_remind_expiring(actor=None) == 1


def test_reminder_days_default_is_thirty_or_the_policy_value(db):
    assert services.qualification_reminder_days() in (30,)
