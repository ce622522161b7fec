"""factory_boy factories of the people app: a certified engineer by default."""

import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from salesservice.catalog.tests.factories import CategoryFactory
from salesservice.core.models import Membership, OrgUnit, User
from salesservice.people.models import Certification


class EngineerFactory(factory.django.DjangoModelFactory):
    """A user holding the engineer role in `unit` (default: 上海徐汇店)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"engineer{n}")
    display_name = factory.Sequence(lambda n: f"工程师{n}")

    @factory.post_generation
    def unit(obj, create, extracted, **kwargs):
        if not create:
            return
        unit = extracted or OrgUnit.objects.get(code="sh-xuhui")
        Membership.objects.create(user=obj, org_unit=unit, role=Group.objects.get(name="engineer"))


class CertificationFactory(factory.django.DjangoModelFactory):
    """Valid from a year ago for two more years."""

    class Meta:
        model = Certification

    user = factory.SubFactory(EngineerFactory)
    category = factory.SubFactory(CategoryFactory)
    certificate_no = factory.Sequence(lambda n: f"SG-{n:05d}")
    issued_by = "售后培训中心"
    issued_at = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=730))
