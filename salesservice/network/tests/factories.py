"""factory_boy factories of the network app: an active provider of 上海徐汇店 by default."""

import datetime as dt

import factory
from django.utils import timezone

from salesservice.core.models import OrgUnit, User
from salesservice.network.models import ProviderTechnician, ProviderViolation, ServiceProvider


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceProvider

    code = factory.Sequence(lambda n: f"WX-T{n:04d}")
    name = factory.Sequence(lambda n: f"测试外协网点{n}")
    org_unit = factory.LazyFunction(lambda: OrgUnit.objects.get(code="sh-xuhui"))
    contact_name = "测试联系人"
    phone = "021-60000000"


class ViolationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderViolation

    provider = factory.SubFactory(ProviderFactory)
    occurred_on = factory.LazyFunction(timezone.localdate)
    description = "上门迟到"
    recorded_by = factory.LazyFunction(lambda: User.objects.get(username="hq_service_manager"))


class TechnicianFactory(factory.django.DjangoModelFactory):
    """A technician of a provider (NET-4), on the roll since 2025."""

    class Meta:
        model = ProviderTechnician

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"技师{n}")
    phone = "13700001234"
    added_at = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2025, 1, 2, 9)))
