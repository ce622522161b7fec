"""The dispatch gate of PPL-4 (seed 001 第十九条; 004 §4.1.4): only certified engineers are dispatched."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.catalog.tests.factories import CategoryFactory, ProductFactory
from salesservice.people.selectors import certified_engineers
from salesservice.people.services import certification_check

from .factories import CertificationFactory, EngineerFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def aircon(demo):
    appliance = CategoryFactory(name="家用电器")
    return CategoryFactory(name="空调", parent=appliance)


def codes(reasons):
    return [reason.code for reason in reasons]


def test_valid_certification_for_the_category_allows_dispatch(aircon):
    certification = CertificationFactory(category=aircon)
    assert certification_check(certification.user, ProductFactory(category=aircon)) == []


def test_certification_of_an_ancestor_category_covers_subcategories(aircon):
    certification = CertificationFactory(category=aircon.parent)
    assert certification_check(certification.user, ProductFactory(category=aircon)) == []


def test_certification_of_a_subcategory_does_not_cover_the_parent_or_a_sibling(aircon):
    fridge = CategoryFactory(name="冰箱", parent=aircon.parent)
    certification = CertificationFactory(category=aircon)
    assert codes(certification_check(certification.user, ProductFactory(category=aircon.parent))) == [
        "dispatch.uncertified"
    ]
    assert codes(certification_check(certification.user, ProductFactory(category=fridge))) == ["dispatch.uncertified"]


def test_other_category_refused_with_a_message_naming_engineer_and_category(aircon):
    certification = CertificationFactory(category=aircon, user__display_name="赵工")
    medical = CategoryFactory(name="医疗器械")
    [reason] = certification_check(certification.user, ProductFactory(category=medical))
    assert reason.code == "dispatch.uncertified"
    assert "赵工" in reason.message and "“医疗器械”" in reason.message and "不能派工" in reason.message


def test_expired_certification_refused(aircon):
    certification = CertificationFactory(
        category=aircon,
        issued_at=TODAY() - dt.timedelta(days=800),
        valid_until=TODAY() - dt.timedelta(days=1),
    )
    assert codes(certification_check(certification.user, ProductFactory(category=aircon))) == ["dispatch.uncertified"]
    # ... but it was valid on a day before it expired.
    earlier = TODAY() - dt.timedelta(days=10)
    assert certification_check(certification.user, ProductFactory(category=aircon), at=earlier) == []


def test_certification_valid_through_its_last_day_and_long_term_without_end(aircon):
    last_day = CertificationFactory(category=aircon, valid_until=TODAY())
    long_term = CertificationFactory(category=aircon, valid_until=None)
    product = ProductFactory(category=aircon)
    assert certification_check(last_day.user, product) == []
    assert certification_check(long_term.user, product, at=TODAY() + dt.timedelta(days=3650)) == []


def test_not_yet_issued_certification_refused(aircon):
    certification = CertificationFactory(category=aircon, issued_at=TODAY() + dt.timedelta(days=1))
    assert codes(certification_check(certification.user, ProductFactory(category=aircon))) == ["dispatch.uncertified"]


def test_revoked_certification_refused_from_the_moment_of_revocation(aircon, users):
    from salesservice.people.services import certification_revoke

    certification = CertificationFactory(category=aircon)
    product = ProductFactory(category=aircon)
    before = timezone.now()
    certification_revoke(actor=users["hr_trainer"], certification_id=certification.pk, reason="考核作弊")
    assert codes(certification_check(certification.user, product)) == ["dispatch.uncertified"]
    assert codes(certification_check(certification.user, product, at=TODAY())) == ["dispatch.uncertified"]
    assert certification_check(certification.user, product, at=before) == []  # an aware datetime
    assert certification_check(certification.user, product, at=TODAY() - dt.timedelta(days=1)) == []


def test_without_a_product_any_valid_certification_suffices(aircon):
    certification = CertificationFactory(category=aircon)
    assert certification_check(certification.user) == []
    [reason] = certification_check(EngineerFactory(display_name="新人"))
    assert reason.code == "dispatch.uncertified" and "新人" in reason.message


def test_inactive_engineer_refused(aircon):
    certification = CertificationFactory(category=aircon)
    certification.user.is_active = False
    certification.user.save()
    assert codes(certification_check(certification.user, ProductFactory(category=aircon))) == [
        "dispatch.engineer_inactive"
    ]


def test_certified_engineers_filters_by_role_unit_validity_category_and_activity(aircon, demo):
    product = ProductFactory(category=aircon)
    xuhui, tianhe = demo["sh-xuhui"], demo["gz-tianhe"]
    good = CertificationFactory(category=aircon.parent, user__display_name="工程师A").user
    CertificationFactory(category=aircon, user=good)  # two certifications: still one row
    in_tianhe = CertificationFactory(category=aircon, user__unit=tianhe, user__display_name="工程师B").user
    expired = CertificationFactory(category=aircon, valid_until=TODAY() - dt.timedelta(days=1)).user
    other_category = CertificationFactory(category=CategoryFactory()).user
    inactive = CertificationFactory(category=aircon).user
    inactive.is_active = False
    inactive.save()
    from salesservice.core.models import User

    not_engineer = User.objects.get(username="xuhui_cs")
    CertificationFactory(category=aircon, user=not_engineer)

    assert list(certified_engineers(product)) == [good, in_tianhe]
    assert list(certified_engineers(product, unit_ids=[xuhui.pk])) == [good]
    assert list(certified_engineers(product, unit_ids=[])) == []
    assert set(certified_engineers()) == {good, in_tianhe, other_category}
    assert expired in certified_engineers(product, at=TODAY() - dt.timedelta(days=30))


def test_certified_engineers_is_one_query(aircon, demo, django_assert_num_queries):
    product = ProductFactory(category=aircon)
    for _ in range(5):
        CertificationFactory(category=aircon)
    with django_assert_num_queries(1):
        assert len(list(certified_engineers(product, unit_ids=[demo["sh-xuhui"].pk]))) == 5
