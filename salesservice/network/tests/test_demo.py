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


def test_demo_training_evaluations_and_second_warning(demo, users):
    """Issue 15 demo: a provider at its second warning (rectifying, NET-3); Shanghai below 80 % last quarter and a
    technician stopped after three failed quarters (NET-4); one evaluation approved, one submitted (NET-5)."""
    from salesservice.network.models import ProviderEvaluation, ProviderTechnician, TrainingQuarter

    load_catalog()
    load_demo()
    counts = (ProviderTechnician.objects.count(), TrainingQuarter.objects.count(), ProviderEvaluation.objects.count())
    load_demo()
    assert (
        ProviderTechnician.objects.count(),
        TrainingQuarter.objects.count(),
        ProviderEvaluation.objects.count(),
    ) == counts
    assert ServiceProvider.objects.get(code="WX-HZ-003").status == "rectifying"
    shanghai = ServiceProvider.objects.get(code="WX-SH-001")
    closed = TrainingQuarter.objects.get(provider=shanghai)
    assert closed.flagged and closed.pass_rate < 80
    assert list(shanghai.technicians.filter(status="stopped").values_list("name", flat=True)) == ["钱师傅"]
    assert sorted(ProviderEvaluation.objects.values_list("status", flat=True)) == ["approved", "submitted"]
