"""BUY-1 (购货者资格审查, seed 004 §4.1.3): may this customer buy this product on this date?"""

import datetime as dt

import pytest

from ..buyer import buyer_check, may_buy
from ..choices import CustomerType
from ..choices import QualificationKind as K
from .factories import CustomerFactory, QualificationFactory, product

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def codes(customer, device_class, at=TODAY):
    return [reason.code for reason in buyer_check(customer, product(device_class), at)]


def test_individual_buys_a_class_iii_device_without_qualification(demo):
    assert codes(CustomerFactory(customer_type=CustomerType.INDIVIDUAL), "III") == []


def test_non_device_needs_nothing_from_an_enterprise(demo):
    assert codes(CustomerFactory(customer_type=CustomerType.ENTERPRISE), "none") == []


def test_valid_operating_licence_covering_the_class_may_buy(demo):
    customer = CustomerFactory(customer_type=CustomerType.DEALER)
    QualificationFactory(
        customer=customer, scope_classes="II,III", valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2027, 1, 1)
    )
    assert codes(customer, "III") == [] and codes(customer, "II") == []
    assert may_buy(customer, product("III"), TODAY)


def test_expired_licence_is_refused(demo):
    customer = CustomerFactory(customer_type=CustomerType.HOSPITAL)
    QualificationFactory(
        customer=customer,
        kind=K.MEDICAL_INSTITUTION_LICENCE,
        scope_classes="I,II,III",
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2026, 5, 31),
    )
    reasons = buyer_check(customer, product("III"), TODAY)
    assert [r.code for r in reasons] == ["qualification.expired"]
    assert "2026-05-31" in reasons[0].message and "过期" in reasons[0].message


def test_class_out_of_scope_is_refused(demo):
    customer = CustomerFactory(customer_type=CustomerType.DEALER)
    QualificationFactory(
        customer=customer, kind=K.DEVICE_FILING, scope_classes="II", valid_from=dt.date(2025, 1, 1), valid_until=None
    )
    assert codes(customer, "II") == []
    assert codes(customer, "III") == ["qualification.missing"]  # a filing never allows class III
    QualificationFactory(
        customer=customer, scope_classes="II", valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2030, 1, 1)
    )
    reasons = buyer_check(customer, product("III"), TODAY)
    assert [r.code for r in reasons] == ["qualification.class_out_of_scope"]
    assert "第三类" in reasons[0].message


def test_missing_qualification_is_refused(demo):
    customer = CustomerFactory(customer_type=CustomerType.ENTERPRISE)
    reasons = buyer_check(customer, product("I"), TODAY)
    assert [r.code for r in reasons] == ["qualification.missing"] and "营业执照" in reasons[0].message


def test_class_i_needs_a_business_licence_only(demo):
    customer = CustomerFactory(customer_type=CustomerType.ENTERPRISE)
    QualificationFactory(
        customer=customer, kind=K.BUSINESS_LICENCE, scope_classes="", valid_from=dt.date(2020, 1, 1), valid_until=None
    )
    assert codes(customer, "I") == []
    assert codes(customer, "II") == ["qualification.missing"]


def test_check_at_a_historical_date_uses_the_validity_then(demo):
    """A sale in 2024 is judged by the licence valid in 2024, not today's."""
    customer = CustomerFactory(customer_type=CustomerType.HOSPITAL)
    QualificationFactory(
        customer=customer,
        kind=K.MEDICAL_INSTITUTION_LICENCE,
        scope_classes="I,II,III",
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2025, 1, 1),
    )
    assert codes(customer, "II", at=dt.date(2024, 6, 1)) == []
    assert codes(customer, "II", at=TODAY) == ["qualification.expired"]
    assert codes(customer, "II", at=dt.date(2019, 6, 1)) == ["qualification.not_yet_valid"]


def test_renewed_licence_overrides_an_expired_one(demo):
    customer = CustomerFactory(customer_type=CustomerType.DEALER)
    QualificationFactory(
        customer=customer, scope_classes="III", valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2025, 1, 1)
    )
    QualificationFactory(
        customer=customer, scope_classes="III", valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2030, 1, 1)
    )
    assert codes(customer, "III") == []


def test_anonymised_customer_may_not_buy_even_a_non_device(demo):
    customer = CustomerFactory(is_anonymised=True)
    assert codes(customer, "none") == ["customer.anonymised"]
    assert codes(CustomerFactory(is_active=False), "none") == ["customer.inactive"]
