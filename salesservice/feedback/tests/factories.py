"""Builders for feedback tests: closed service requests are made through the service desk's services
(their close is behaviour the scheduler reads); surveys through ours."""

import datetime as dt

from django.utils import timezone

from salesservice.catalog.tests.factories import ProductFactory  # noqa: F401 — re-exported for tests
from salesservice.core.models import OrgUnit, User
from salesservice.customers.tests.factories import CustomerFactory  # noqa: F401 — re-exported for tests
from salesservice.service import services as desk
from salesservice.service.tests.factories import make_request

from .. import survey_services
from ..choices import FollowUpKind


def user(username: str) -> User:
    return User.objects.get(username=username)


def store(code: str = "sh-xuhui") -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def closed_request(store_code: str = "sh-xuhui", *, closed_at: dt.datetime | None = None, product=None, rating=5):
    """A consultation answered by phone, accepted and closed (by the system) at `closed_at` (default: now)."""
    closed_at = closed_at or timezone.now()
    received = closed_at - dt.timedelta(hours=4)
    request = make_request(
        actor=None, store_code=store_code, received_at=received, category="consultation", product=product
    )
    desk.request_contact(actor=None, request_id=request.pk, at=received + dt.timedelta(hours=1))
    _handled_by_store_staff(request)
    desk.request_resolve(
        actor=None,
        request_id=request.pk,
        root_cause="使用方法不当",
        solution="电话指导",
        at=received + dt.timedelta(hours=2),
    )
    desk.request_confirm(
        actor=None, request_id=request.pk, method="phone", rating=rating, at=received + dt.timedelta(hours=3)
    )
    return desk.request_close(actor=None, request_id=request.pk, at=closed_at)


def follow_up(store_code: str = "sh-xuhui", *, actor="xuhui_cs", due_at=None, **extra):
    from ..services import follow_up_create

    request = closed_request(store_code)
    return follow_up_create(
        actor=user(actor) if isinstance(actor, str) else actor,
        customer=request.customer,
        kind=FollowUpKind.AFTER_SERVICE,
        service_request=request,
        due_at=due_at or timezone.now() + dt.timedelta(days=1),
        **extra,
    )


def template():
    return survey_services.ensure_default_template()


def invitation(store_code: str = "sh-xuhui", *, sent_at=None, **extra):
    request = closed_request(store_code)
    return survey_services.survey_link_create(
        actor=None, customer=request.customer, service_request=request, sent_at=sent_at, **extra
    )


def answers_for(link_template, *, rating=5, nps=9, channel="门店", text="很好"):
    """An answers dict for the default template: {"q<id>": value}."""
    values = {"rating_1_5": rating, "nps_0_10": nps, "single_choice": channel, "text": text}
    return {f"q{q.pk}": values[q.kind] for q in link_template.questions.all()}


def _handled_by_store_staff(request):
    """SRV-8: the request's responsible person — a member of its store (HQ's admin where none)."""
    from salesservice.core.models import User

    request.assignee = User.objects.filter(memberships__org_unit=request.store, is_active=True).order_by(
        "pk"
    ).first() or User.objects.get(username="admin")
    request.save(update_fields=["assignee"])
