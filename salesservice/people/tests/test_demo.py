"""The demo loader of the people app: certified and uncertified engineers (PPL-4); idempotent."""

import pytest
from django.utils import timezone

from salesservice.catalog.demo import load_demo as load_catalog
from salesservice.catalog.models import Product
from salesservice.core.events import Event
from salesservice.core.models import User
from salesservice.people.demo import load_demo
from salesservice.people.models import Certification
from salesservice.people.selectors import certified_engineers
from salesservice.people.services import certification_check

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_without_changes(demo):
    load_catalog()
    load_demo()
    counts = (User.objects.count(), Certification.objects.count(), Event.objects.count())
    load_demo()
    assert (User.objects.count(), Certification.objects.count(), Event.objects.count()) == counts
    users = {u.username: u for u in User.objects.filter(username__contains="_")}
    appliance = Product.objects.filter(category__code__startswith="appliance").first()
    assert certification_check(users["xuhui_engineer"], appliance) == []
    assert certification_check(users["tianhe_engineer"], appliance) == []
    assert [r.code for r in certification_check(users["xihu_engineer"], appliance)] == ["dispatch.uncertified"]
    assert [r.code for r in certification_check(users["xuhui_trainee"])] == ["dispatch.uncertified"]
    assert users["xuhui_trainee"].check_password("demo-pass-2026")
    assert list(certified_engineers(appliance, unit_ids=[demo["sh-xuhui"].pk])) == [users["xuhui_engineer"]]
    assert Certification.objects.filter(valid_until__lt=timezone.localdate()).count() == 1
