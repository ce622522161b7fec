"""The demo loader builds ~50 customers across the four stores and can run twice."""

import pytest

from salesservice.core.demo_records import load_demo_records

from ..models import Customer, PropertyIncident, Qualification

pytestmark = pytest.mark.django_db


def test_demo_customers_load_idempotently(demo):
    load_demo_records()
    count = Customer.objects.count()
    assert 45 <= count <= 60
    assert set(Customer.objects.values_list("store__code", flat=True)) == {
        "sh-xuhui",
        "hz-xihu",
        "gz-tianhe",
        "sz-nanshan",
    }
    assert Customer.objects.filter(customer_type="hospital").count() >= 6
    from django.utils import timezone

    today = timezone.localdate()
    assert Qualification.objects.filter(kind="device_operating_licence", valid_until__lt=today).exists()
    assert Qualification.objects.filter(kind="device_operating_licence", valid_until__gt=today).exists()
    assert PropertyIncident.objects.count() == 1
    assert Customer.objects.get(name="上海瑞金医院").pinyin_initials == "shrjyy"
    load_demo_records()
    assert Customer.objects.count() == count and PropertyIncident.objects.count() == 1
