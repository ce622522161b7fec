"""Builders for service tests. Requests are made through the service (their clocks are behaviour);
customers, products, engineers and providers come from the other apps' factories."""

import base64
import datetime as dt

from django.utils import timezone

from salesservice.catalog.tests.factories import ProductFactory  # noqa: F401 — re-exported for tests
from salesservice.core.models import OrgUnit, User
from salesservice.customers.tests.factories import CustomerFactory
from salesservice.network.tests.factories import ProviderFactory  # noqa: F401 — re-exported for tests
from salesservice.people.tests.factories import CertificationFactory, EngineerFactory  # noqa: F401

from ..choices import Channel, DispatchMode, ServiceCategory
from ..services import request_contact, request_dispatch, service_request_create

# A 1×1 PNG, as a signature pad would send it.
PNG_BYTES = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG_BYTES).decode()


def user(username: str) -> User:
    return User.objects.get(username=username)


def store(code: str = "sh-xuhui") -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def make_request(
    *,
    actor="xuhui_cs",
    store_code="sh-xuhui",
    received_at=None,
    category=ServiceCategory.REPAIR,
    product=None,
    description="空调不制冷，外机不转",
    **extra,
):
    customer = CustomerFactory(store=store(store_code))
    return service_request_create(
        actor=user(actor) if isinstance(actor, str) else actor,
        customer=customer,
        channel=Channel.HOTLINE,
        category=category,
        description=description,
        product=product,
        received_at=received_at,
        **extra,
    )


def certified_engineer(product, username=None):
    """A certification for the product's category: for `username` (a demo user) or a new engineer."""
    if username:
        return CertificationFactory(user=user(username), category=product.category).user
    return CertificationFactory(category=product.category).user


def dispatched_request(*, product=None, engineer=None, actor="xuhui_cs", **kwargs):
    product = product or ProductFactory()
    engineer = engineer or certified_engineer(product)
    request = make_request(product=product, actor=actor, **kwargs)
    request_contact(actor=user(actor), request_id=request.pk)
    return request_dispatch(
        actor=user(actor),
        request_id=request.pk,
        mode=DispatchMode.ONSITE,
        engineer=engineer,
        appointment_at=timezone.now() + dt.timedelta(hours=3),
    )
