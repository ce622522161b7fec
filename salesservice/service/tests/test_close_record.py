"""SRV-8 (001 第十四条; issue 12 §13): a service request closes only with its responsible person and a
process record. A consultation answered by phone gets both from its resolution (who answered it, what
was done); a request that still lacks either is refused at close with the missing fields."""

import pytest

from salesservice.catalog.tests.factories import ProductFactory
from salesservice.core.exceptions import DomainError

from .. import services
from ..models import WorkRecord
from .factories import make_request, user

pytestmark = pytest.mark.django_db


def _answered_by_phone(actor):
    request = make_request(product=ProductFactory(), category="consultation")
    services.request_contact(actor=actor, request_id=request.pk)
    return services.request_resolve(actor=actor, request_id=request.pk, root_cause="使用不当", solution="电话指导复位")


def test_a_phone_answer_names_who_answered_and_records_the_process(demo):
    cs = user("xuhui_cs")
    request = _answered_by_phone(cs)
    assert request.assignee == cs
    record = WorkRecord.objects.get(request=request)
    assert record.measures == "电话指导复位" and record.recorded_by == cs
    services.request_confirm(actor=cs, request_id=request.pk, method="phone", rating=5)
    closed = services.request_close(actor=user("xuhui_manager"), request_id=request.pk)
    assert closed.status == "closed"


def test_close_is_refused_without_a_responsible_person_or_a_process_record(demo):
    cs = user("xuhui_cs")
    request = _answered_by_phone(cs)
    services.request_confirm(actor=cs, request_id=request.pk, method="phone", rating=5)
    WorkRecord.objects.filter(request=request).delete()
    type(request).objects.filter(pk=request.pk).update(assignee=None)
    with pytest.raises(DomainError) as refused:
        services.request_close(actor=user("xuhui_manager"), request_id=request.pk)
    assert refused.value.code == "close.incomplete"
    assert {"assignee", "work_records"} <= set(refused.value.fields)
    request.refresh_from_db()
    assert request.status == "resolved"
