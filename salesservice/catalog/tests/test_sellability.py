"""The sellability rules (PRD-1: seed 002 §6.2 "以下产品不得销售"; PRD-2 Chinese labels)."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.catalog.choices import RestrictionReason
from salesservice.catalog.models import Product
from salesservice.catalog.sellability import (
    is_sellable,
    product_sellability,
    product_sellability_many,
    sellable_q,
    unsellable_q,
    with_restrictions,
)

from .factories import MedicalDeviceFactory, ProductFactory, RestrictionFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def codes(product, at=TODAY):
    return [reason.code for reason in product_sellability(product, at)]


def assert_sql_agrees(product, at=TODAY):
    """The SQL filter used by lists gives the same verdict as the Python rules."""
    sellable = is_sellable(product, at)
    assert Product.objects.filter(sellable_q(at), pk=product.pk).exists() is sellable
    assert Product.objects.filter(unsellable_q(at), pk=product.pk).exists() is not sellable


def test_sellable_product_has_no_reasons():
    """PRD-1: a complete, certified product with no QA flag is sellable."""
    for product in (ProductFactory(), MedicalDeviceFactory()):
        assert product_sellability(product, TODAY) == []
        assert is_sellable(product, TODAY)
        assert_sql_agrees(product)


@pytest.mark.parametrize(
    ("attributes", "code"),
    [
        ({"has_certificate_of_conformity": False}, "no_certificate"),
        ({"production_licence_required": True, "production_licence_no": ""}, "production_licence_missing"),
        ({"name": ""}, "missing_identity"),
        ({"manufacturer": ""}, "missing_identity"),
        ({"origin": ""}, "missing_identity"),
    ],
)
def test_each_derived_reason_of_seed_002(attributes, code):
    """PRD-1: no certificate; production licence required but missing; no name, manufacturer or origin."""
    product = ProductFactory(**attributes)
    reasons = product_sellability(product, TODAY)
    assert [r.code for r in reasons] == [code]
    assert reasons[0].message  # a Chinese message for the UI
    assert_sql_agrees(product)


def test_production_licence_present_is_fine():
    """PRD-1: a product under production-licence management with its licence number is sellable."""
    product = ProductFactory(production_licence_required=True, production_licence_no="XK16-204-00089")
    assert codes(product) == []


def test_missing_identity_names_what_is_missing():
    product = ProductFactory(manufacturer="", origin="")
    [reason] = product_sellability(product, TODAY)
    assert reason.code == "missing_identity" and "生产者" in reason.message and "产地" in reason.message


def test_medical_device_without_registration_number():
    """PRD-1/PRD-2: a class I–III device needs its registration or filing number."""
    for device_class in ("I", "II", "III"):
        product = MedicalDeviceFactory(device_class=device_class, registration_no="", registration_expiry=None)
        assert codes(product) == ["registration_missing"]
        assert_sql_agrees(product)
    assert codes(ProductFactory(registration_no="")) == []  # not a medical device


def test_registration_expired_counts_from_the_day_after_expiry():
    """PRD-1: an expired registration makes the product unsellable; valid through the expiry date."""
    product = MedicalDeviceFactory(registration_expiry=dt.date(2026, 3, 31))
    assert codes(product, dt.date(2026, 3, 31)) == []
    assert codes(product, dt.date(2026, 4, 1)) == ["registration_expired"]
    assert "2026-03-31" in product_sellability(product, dt.date(2026, 4, 1))[0].message
    assert_sql_agrees(product, dt.date(2026, 3, 31))
    assert_sql_agrees(product, dt.date(2026, 4, 1))


def test_medical_device_without_chinese_label():
    """PRD-2: a medical device must carry a Chinese label; other products are not judged on it."""
    device = MedicalDeviceFactory(has_chinese_label=False)
    assert codes(device) == ["no_chinese_label"]
    assert_sql_agrees(device)
    assert codes(ProductFactory(has_chinese_label=False)) == []


def test_every_reason_is_returned_at_once(users):
    """PRD-1: the service lists every reason, not just the first."""
    product = MedicalDeviceFactory(
        has_certificate_of_conformity=False,
        origin="",
        has_chinese_label=False,
        registration_expiry=dt.date(2025, 1, 1),
    )
    RestrictionFactory(product=product, set_by=users["qa_inspector"], set_at=timezone.now() - dt.timedelta(days=1))
    assert codes(product, timezone.localdate()) == [
        "safety_standard_not_met",
        "no_certificate",
        "missing_identity",
        "registration_expired",
        "no_chinese_label",
    ]


@pytest.mark.parametrize("reason_code", RestrictionReason.values)
def test_each_qa_flag_makes_the_product_unsellable(users, reason_code):
    """PRD-1: banned by law, safety not met, false marks, counterfeit/used, performance not met (QA flags)."""
    product = ProductFactory()
    RestrictionFactory(product=product, reason_code=reason_code, reason="质量部抽检结论", set_by=users["qa_inspector"])
    today = timezone.localdate()
    reasons = product_sellability(product, today)
    assert [r.code for r in reasons] == [reason_code]
    assert "质量部抽检结论" in reasons[0].message
    assert_sql_agrees(product, today)


def test_qa_flag_counts_only_between_set_and_lift(users):
    """PRD-1: sellability on a past date — before the flag was set, and after it was lifted, is sellable."""
    tz = timezone.get_current_timezone()
    product = ProductFactory()
    RestrictionFactory(
        product=product,
        set_by=users["qa_inspector"],
        set_at=dt.datetime(2026, 5, 10, 15, 0, tzinfo=tz),
        lifted_by=users["qa_inspector"],
        lifted_at=dt.datetime(2026, 6, 1, 9, 0, tzinfo=tz),
        lift_reason="复检合格",
    )
    assert codes(product, dt.date(2026, 5, 9)) == []  # before it was set
    assert codes(product, dt.date(2026, 5, 10)) == ["safety_standard_not_met"]  # the day it was set
    assert codes(product, dt.date(2026, 5, 31)) == ["safety_standard_not_met"]
    assert codes(product, dt.date(2026, 6, 1)) == []  # lifted that day
    assert codes(product, dt.date(2026, 7, 1)) == []
    for day in (dt.date(2026, 5, 9), dt.date(2026, 5, 20), dt.date(2026, 6, 2)):
        assert_sql_agrees(product, day)


def test_prefetched_restrictions_need_no_query(users, django_assert_num_queries):
    """Cheap for callers: with `with_restrictions()` the check runs without a query."""
    product = ProductFactory()
    RestrictionFactory(product=product, set_by=users["qa_inspector"])
    loaded = with_restrictions(Product.objects.filter(pk=product.pk)).get()
    with django_assert_num_queries(0):
        assert not is_sellable(loaded, timezone.localdate())
    with django_assert_num_queries(1):
        assert not is_sellable(product, timezone.localdate())  # not prefetched: one query


def test_many_products_in_one_query(users, django_assert_num_queries):
    products = [ProductFactory() for _ in range(5)] + [ProductFactory(has_certificate_of_conformity=False)]
    RestrictionFactory(product=products[0], set_by=users["qa_inspector"])
    with django_assert_num_queries(1):
        verdicts = product_sellability_many(products, timezone.localdate())
    assert [bool(verdicts[p.pk]) for p in products] == [True, False, False, False, False, True]
