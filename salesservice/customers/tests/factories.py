"""factory_boy factories for the customers app (services are bypassed: these build fixtures, not behaviour)."""

import datetime as dt
from types import SimpleNamespace

import factory
from django.utils import timezone

from salesservice.core.models import OrgUnit

from ..choices import CustomerType, PropertyKind, QualificationKind
from ..models import Contact, Customer, CustomerProperty, Qualification
from ..pinyin import pinyin_keys


def store(code: str = "sh-xuhui") -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def product(device_class: str = "none", pk: int = 1):
    """Anything with a `device_class` is a product to the buyer check."""
    return SimpleNamespace(pk=pk, device_class=device_class)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    code = factory.Sequence(lambda n: f"CU-T-{n:05d}")
    customer_type = CustomerType.INDIVIDUAL
    name = factory.Sequence(lambda n: f"测试客户{n}")
    store = factory.LazyFunction(store)
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    email = factory.Sequence(lambda n: f"c{n}@example.com")
    address = "上海市徐汇区漕溪北路1号"
    id_number = "310104199001011234"
    pinyin_full = factory.LazyAttribute(lambda o: pinyin_keys(o.name)[0])
    pinyin_initials = factory.LazyAttribute(lambda o: pinyin_keys(o.name)[1])


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = "王主任"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    email = "contact@example.com"


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    customer = factory.SubFactory(CustomerFactory, customer_type=CustomerType.HOSPITAL)
    kind = QualificationKind.DEVICE_OPERATING_LICENCE
    number = factory.Sequence(lambda n: f"沪食药监械经营许{n:06d}号")
    scope_classes = "II,III"
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))


class PropertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerProperty

    customer = factory.SubFactory(CustomerFactory)
    kind = PropertyKind.DEVICE
    description = "空气净化器（送修）"
    identifier = factory.Sequence(lambda n: f"SN-{n:06d}")
    received_at = factory.LazyFunction(timezone.now)
    location = "维修间"
