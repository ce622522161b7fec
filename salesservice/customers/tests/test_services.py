"""Customer services: pinyin keys, duplicates, optimistic concurrency, property (CPR-1), consents (INF-1)."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.exceptions import ConflictError, DomainError, PermissionDeniedError
from salesservice.core.models import Event, Notification

from .. import services
from ..choices import ConsentChannel, ConsentPurpose, CustomerType, IncidentKind, PropertyKind, PropertyStatus
from ..pinyin import pinyin_keys
from .factories import CustomerFactory, PropertyFactory, store

pytestmark = pytest.mark.django_db


def test_pinyin_keys_of_a_chinese_name():
    """INF-1: customers are found by full pinyin and initials."""
    assert pinyin_keys("上海瑞金医院") == ("shanghairuijinyiyuan", "shrjyy")
    assert pinyin_keys("3M 中国") == ("3mzhongguo", "3mzg")


def test_create_computes_pinyin_numbers_and_records_an_event(users):
    customer = services.customer_create(
        actor=users["xuhui_cs"],
        name="上海瑞金医院",
        customer_type=CustomerType.HOSPITAL,
        store=store(),
        phone="138 0000 1111",
        tags=["医院", "重点"],
    )
    assert customer.pinyin_full == "shanghairuijinyiyuan" and customer.pinyin_initials == "shrjyy"
    assert customer.code.startswith("CU-") and customer.phone == "13800001111"
    assert sorted(customer.tags.values_list("name", flat=True)) == ["医院", "重点"]
    event = Event.objects.get(event_type="customers.customer_created", target_id=str(customer.pk))
    assert "上海瑞金医院" not in str(event.new)  # timeline events carry no personal data


def test_duplicate_name_and_phone_in_the_same_store_is_refused(users):
    """INF-1: one accurate file per customer."""
    kwargs = dict(name="王芳", customer_type=CustomerType.INDIVIDUAL, phone="13900001111")
    services.customer_create(actor=users["xuhui_cs"], store=store(), **kwargs)
    with pytest.raises(ConflictError) as error:
        services.customer_create(actor=users["xuhui_cs"], store=store(), **kwargs)
    assert error.value.code == "customer.duplicate"
    # another store may have its own 王芳 with the same number
    services.customer_create(actor=users["admin"], store=store("gz-tianhe"), **kwargs)


def test_create_in_a_store_outside_scope_is_refused(users):
    with pytest.raises(PermissionDeniedError):
        services.customer_create(
            actor=users["xuhui_cs"], name="越权", customer_type=CustomerType.INDIVIDUAL, store=store("gz-tianhe")
        )


def test_stale_update_is_refused_and_changes_nothing(users):
    customer = CustomerFactory(name="赵敏")
    services.customer_update(actor=users["xuhui_cs"], customer_id=customer.pk, expected_version=1, name="赵敏敏")
    with pytest.raises(ConflictError) as error:
        services.customer_update(actor=users["xuhui_cs"], customer_id=customer.pk, expected_version=1, notes="x")
    assert error.value.code == "conflict.stale"
    customer.refresh_from_db()
    assert customer.version == 2 and customer.notes == "" and customer.pinyin_initials == "zmm"


def test_qualification_with_invalid_dates_is_refused(users):
    customer = CustomerFactory(customer_type=CustomerType.DEALER)
    with pytest.raises(DomainError) as error:
        services.qualification_add(
            actor=users["xuhui_cs"],
            customer=customer,
            kind="device_operating_licence",
            number="X-1",
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2025, 1, 1),
            scope_classes=["III"],
        )
    assert error.value.code == "qualification.invalid_dates"


def test_property_incident_notifies_the_owner_and_is_kept(users):
    """CPR-1: loss/damage of customer property is reported to the customer's owner and recorded."""
    item = PropertyFactory(customer=CustomerFactory(sales_rep=users["sales_rep"]))
    incident = services.property_report_incident(
        actor=users["xuhui_engineer"],
        property_id=item.pk,
        kind=IncidentKind.DAMAGED,
        description="运输中外壳破裂",
        customer_informed_at=timezone.now(),
        informed_how="phone",
    )
    item.refresh_from_db()
    assert item.status == PropertyStatus.DAMAGED and incident.reported_by == users["xuhui_engineer"]
    note = Notification.objects.get(kind="customers.property_incident")
    assert note.recipient == users["sales_rep"] and "外壳破裂" in note.body


def test_property_incident_without_sales_rep_notifies_store_managers(users):
    """CPR-1: no sales rep → the store's managers answer for the customer."""
    item = PropertyFactory()
    services.property_report_incident(
        actor=users["xuhui_engineer"], property_id=item.pk, kind=IncidentKind.LOST, description="找不到了"
    )
    recipients = set(
        Notification.objects.filter(kind="customers.property_incident").values_list("recipient", flat=True)
    )
    assert recipients == {users["xuhui_manager"].pk}


def test_returned_property_cannot_be_reported_lost(users):
    item = PropertyFactory()
    services.property_return(actor=users["xuhui_cs"], property_id=item.pk)
    with pytest.raises(ConflictError):
        services.property_report_incident(
            actor=users["xuhui_cs"], property_id=item.pk, kind=IncidentKind.LOST, description="x"
        )


def test_property_register_records_holder_and_event(users):
    item = services.property_register(
        actor=users["xuhui_engineer"], customer=CustomerFactory(), kind=PropertyKind.DEVICE, description="电视机"
    )
    assert item.holder == users["xuhui_engineer"] and item.status == PropertyStatus.HELD
    assert Event.objects.filter(event_type="customers.property_registered", target_id=str(item.pk)).exists()


def test_consent_is_withdrawn_never_deleted(users):
    """INF-1: consent history is kept; withdrawing twice is refused."""
    customer = CustomerFactory()
    consent = services.consent_give(
        actor=users["xuhui_cs"], customer=customer, purpose=ConsentPurpose.MARKETING, channel=ConsentChannel.SMS
    )
    services.consent_withdraw(actor=users["xuhui_cs"], consent_id=consent.pk)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == users["xuhui_cs"]
    with pytest.raises(ConflictError):
        services.consent_withdraw(actor=users["xuhui_cs"], consent_id=consent.pk)
    # a fresh consent for the same purpose may be given again after withdrawal
    services.consent_give(
        actor=users["xuhui_cs"], customer=customer, purpose=ConsentPurpose.MARKETING, channel=ConsentChannel.SMS
    )
    assert customer.consents.count() == 2


def test_services_refuse_out_of_scope_records(users):
    customer = CustomerFactory(store=store("sh-xuhui"))
    with pytest.raises(services.NotFoundError):
        services.contact_add(actor=users["tianhe_cs"], customer=customer, name="某人")
