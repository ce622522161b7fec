"""Issue 17 §1: permissions, scopes, policy values, calendars and number series are cached per process under the
configuration stamp, and a change made by *another* worker is in force for this worker's next request.

"Another worker" is simulated faithfully: the change is written through the ORM (its signals bump the stamp
in the database, in the same transaction), then this process's cache is put back exactly as it was — as a
process that never saw those signals would hold it. Only the stamp in the database can tell it to re-read.
"""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from salesservice.core import config_cache
from salesservice.core.models import ConfigStamp, Membership, OrgUnit
from salesservice.core.policy import policy_set, policy_value
from salesservice.customers.services import customer_create

pytestmark = pytest.mark.django_db

LIST = "/api/v1/service-requests/"


@contextmanager
def another_worker():
    """Run the block as another process would: this process's cached values survive it untouched."""
    kept = config_cache._store
    yield
    config_cache._store = kept


def stamp() -> str:
    return ConfigStamp.objects.get(name=config_cache.NAME).stamp


@pytest.fixture
def customers(demo, users):
    """A customer of 徐汇店 and one of 天河店."""
    return {
        store: customer_create(
            actor=users[actor], name=name, customer_type="individual", store=demo[store], phone=phone
        )
        for store, actor, name, phone in (
            ("sh-xuhui", "xuhui_cs", "张伟", "13812345678"),
            ("gz-tianhe", "tianhe_cs", "黄天", "13900000002"),
        )
    }


def create_body(customer):
    return {"customer": customer.pk, "channel": "hotline", "category": "repair", "description": "血压计无法开机"}


def test_permission_revoked_by_another_worker_is_refused_on_the_next_request(api_for, users):
    client = api_for("xuhui_cs")
    assert client.get(LIST).status_code == 200
    assert ("perms", "group", users["xuhui_cs"].pk, False) in config_cache._store[1]  # cached here
    role = Membership.objects.filter(user=users["xuhui_cs"]).select_related("role").get().role
    with another_worker():
        role.permissions.remove(Permission.objects.get(codename="view_servicerequest"))
    response = client.get(LIST)
    assert response.status_code == 403
    with another_worker():
        role.permissions.add(Permission.objects.get(codename="view_servicerequest"))
    assert client.get(LIST).status_code == 200


def test_membership_moved_by_another_worker_changes_scope_on_the_next_request(api_for, users, customers):
    client = api_for("xuhui_cs")
    xuhui, tianhe = customers["sh-xuhui"], customers["gz-tianhe"]
    assert client.post(LIST, create_body(xuhui), format="json").status_code == 201
    assert client.post(LIST, create_body(tianhe), format="json").status_code == 400  # out of scope
    membership = Membership.objects.get(user=users["xuhui_cs"])
    with another_worker():
        membership.org_unit = OrgUnit.objects.get(code="gz-tianhe")
        membership.save()
    assert client.post(LIST, create_body(tianhe), format="json").status_code == 201
    refused = client.post(LIST, create_body(xuhui), format="json")
    assert refused.status_code == 400
    assert "customer" in refused.json()["fields"]  # resolved in the actor's scope: not found


def test_policy_changed_by_another_worker_is_in_force_on_the_next_request(api_for, users, customers):
    from salesservice.documents.testing import approved_version

    client = api_for("xuhui_cs")
    customer = customers["sh-xuhui"]
    first = client.post(LIST, create_body(customer), format="json").json()
    hours = policy_value("service.first_contact_hours")
    assert dt.datetime.fromisoformat(first["first_contact_due_at"]) > dt.datetime.fromisoformat(first["received_at"])
    version = approved_version("SRV-2")
    with another_worker():
        policy_set(
            actor=users["admin"],
            key="service.first_contact_hours",
            value=int(hours) + 500,
            reason="测试：另一进程修改",
            document_version=version,
        )
    second = client.post(LIST, create_body(customer), format="json").json()
    first_span = dt.datetime.fromisoformat(first["first_contact_due_at"]) - dt.datetime.fromisoformat(
        first["received_at"]
    )
    second_span = dt.datetime.fromisoformat(second["first_contact_due_at"]) - dt.datetime.fromisoformat(
        second["received_at"]
    )
    assert second_span > first_span + dt.timedelta(days=7)  # 500 more business hours


def test_a_request_reads_the_stamp_with_its_token_and_nothing_else_of_the_configuration(api_for):
    client = api_for("xuhui_cs")
    client.get(LIST)  # fills this process's cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LIST).status_code == 200
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "core_configstamp" in captured.captured_queries[0]["sql"]  # with the token
    assert sql.count("core_configstamp") == 1
    for reading in ('FROM "auth_permission"', 'FROM "core_membership"', '"core_orgunit"."path"::text LIKE'):
        assert reading not in sql  # permissions, memberships, the org subtree: from this process's cache


def test_the_stamp_changes_in_the_same_transaction_as_the_change(users, demo):
    before = stamp()
    with pytest.raises(RuntimeError), transaction.atomic():
        Group.objects.get(name="cs_rep").permissions.clear()
        assert stamp() != before  # written with the change …
        raise RuntimeError("roll back")
    assert stamp() == before  # … and gone with it
    Membership.objects.filter(user=users["xuhui_cs"]).first().save()
    assert stamp() != before


def test_bulk_writers_that_send_no_signal_bump_by_hand(demo):
    from salesservice.core.calendar_seed import sync_statutory_days
    from salesservice.core.models import StatutoryDay

    StatutoryDay.objects.filter(date__year=2026).delete()
    before = stamp()
    assert sync_statutory_days([2026]) > 0
    assert stamp() != before


def test_outside_a_request_every_read_checks_the_stamp(users):
    from salesservice.core.scoping import visible_unit_ids

    user = users["xuhui_cs"]
    units = visible_unit_ids(user)
    assert OrgUnit.objects.get(code="sh-xuhui").pk in units
    with another_worker():
        Membership.objects.filter(user=user).update(org_unit=OrgUnit.objects.get(code="gz-tianhe"))  # no signal
        config_cache.bump()
    fresh = type(user).objects.get(pk=user.pk)
    assert OrgUnit.objects.get(code="gz-tianhe").pk in visible_unit_ids(fresh)


def test_an_apps_watched_relation_is_in_force_on_the_next_request(users, demo):
    """The network app watches who dispatches for a provider (`config_cache.watch`): a dispatcher removed by
    another worker no longer widens this worker's scope."""
    from salesservice.network.tests.factories import ProviderFactory
    from salesservice.service.models import dispatcher_provider_ids

    provider = ProviderFactory(org_unit=demo["sh-xuhui"])
    provider.dispatchers.add(users["tianhe_cs"])
    assert dispatcher_provider_ids(type(users["tianhe_cs"]).objects.get(pk=users["tianhe_cs"].pk)) == [provider.pk]
    with another_worker():
        provider.dispatchers.remove(users["tianhe_cs"])
    assert dispatcher_provider_ids(type(users["tianhe_cs"]).objects.get(pk=users["tianhe_cs"].pk)) == []
