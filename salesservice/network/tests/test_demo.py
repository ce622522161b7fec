"""The demo loader of the network app: one active and one stopped provider (NET-3); idempotent."""

import pytest

from salesservice.catalog.demo import load_demo as load_catalog
from salesservice.core.events import Event
from salesservice.network.demo import load_demo
from salesservice.network.models import ProviderViolation, ServiceProvider
from salesservice.network.selectors import dispatchable_providers, provider_ids_for_dispatcher
from salesservice.network.services import provider_dispatch_check

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_without_changes(demo, users):
    load_catalog()
    load_demo()
    counts = (ServiceProvider.objects.count(), ProviderViolation.objects.count(), Event.objects.count())
    load_demo()
    assert (ServiceProvider.objects.count(), ProviderViolation.objects.count(), Event.objects.count()) == counts
    shanghai = ServiceProvider.objects.get(name="上海家电维修服务中心")
    guangzhou = ServiceProvider.objects.get(name="广州快修外协网点")
    assert provider_ids_for_dispatcher(users["provider_dispatcher"]) == [shanghai.pk]
    assert provider_dispatch_check(shanghai) == []
    assert [r.code for r in provider_dispatch_check(guangzhou)] == ["dispatch.provider_stopped"]
    assert guangzhou.status_reason and guangzhou.violations.count() == 3
    assert list(dispatchable_providers(unit_ids=[demo["gz-tianhe"].pk])) == []
