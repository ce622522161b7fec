"""An id in a request body read in the actor's scope by a statement compiled once (issue 17 §2; INF-1 scope)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesservice.core import config_cache
from salesservice.core.lookups import get_in_scope
from salesservice.core.models import Membership, OrgUnit
from salesservice.customers.models import Contact, Customer
from salesservice.customers.services import customer_create

pytestmark = pytest.mark.django_db

FIELDS = [f.attname for f in Customer._meta.concrete_fields]


@pytest.fixture
def customers(demo, users):
    xuhui = customer_create(
        actor=users["admin"], name="徐汇客户", customer_type="individual", store=demo["sh-xuhui"], phone="13800001111"
    )
    tianhe = customer_create(
        actor=users["admin"], name="天河客户", customer_type="individual", store=demo["gz-tianhe"], phone="13800002222"
    )
    return xuhui, tianhe


def _values(obj):
    return {name: getattr(obj, name) for name in FIELDS}


def test_same_row_and_store_as_the_orm_and_compiled_once(customers, users):
    xuhui, tianhe = customers
    base = Customer.objects.select_related("store")
    expected = base.visible_to(users["xuhui_cs"]).get(pk=xuhui.pk)
    first = get_in_scope(base, xuhui.pk, users["xuhui_cs"])
    with config_cache.unit_of_work():  # as in a request: the stamp read once
        get_in_scope(base, xuhui.pk, users["xuhui_cs"])
        with CaptureQueriesContext(connection) as queries:
            again = get_in_scope(base, str(xuhui.pk), users["xuhui_cs"])
            assert again.store.name == expected.store.name  # loaded with the row
    assert len(queries) == 1 and "JOIN" in queries[0]["sql"].upper()
    assert _values(first) == _values(expected) == _values(again)
    assert not again._state.adding and again._state.db == "default"
    with pytest.raises(Customer.DoesNotExist):
        get_in_scope(base, tianhe.pk, users["xuhui_cs"])  # another store's customer: as an unknown id
    with pytest.raises(Customer.DoesNotExist):
        get_in_scope(base, 987654321, users["xuhui_cs"])
    with pytest.raises(ValueError):
        get_in_scope(base, "abc", users["xuhui_cs"])
    assert get_in_scope(base, tianhe.pk, users["admin"]).pk == tianhe.pk  # HQ sees both


def test_a_membership_moved_is_in_force_for_the_next_lookup(customers, users, demo):
    xuhui, tianhe = customers
    base = Customer.objects.all()
    user = users["xuhui_cs"]
    assert get_in_scope(base, xuhui.pk, user).pk == xuhui.pk
    Membership.objects.filter(user=user).update(org_unit=OrgUnit.objects.get(code="gz-tianhe"))
    config_cache.bump()  # `update()` sends no signals: what a bulk writer does
    user = type(user).objects.get(pk=user.pk)
    with pytest.raises(Customer.DoesNotExist):
        get_in_scope(base, xuhui.pk, user)
    assert get_in_scope(base, tianhe.pk, user).pk == tianhe.pk


def test_a_scope_through_a_relation_and_a_filtered_queryset(customers, users):
    xuhui, tianhe = customers
    mine = Contact.objects.create(customer=xuhui, name="王经理")
    theirs = Contact.objects.create(customer=tianhe, name="李经理")
    assert get_in_scope(Contact.objects.all(), mine.pk, users["xuhui_cs"]).name == "王经理"
    with pytest.raises(Contact.DoesNotExist):
        get_in_scope(Contact.objects.all(), theirs.pk, users["xuhui_cs"])
    # not a plain queryset: Django's own get (the filter is kept)
    with pytest.raises(Customer.DoesNotExist):
        get_in_scope(Customer.objects.filter(is_active=False), xuhui.pk, users["admin"])


def test_api_ids_in_scope_through_the_compiled_lookup(customers, api_for):
    xuhui, tianhe = customers
    client = api_for("xuhui_cs")
    body = {"category": "repair", "description": "空调不制冷", "channel": "hotline"}
    assert client.post("/api/v1/service-requests/", {**body, "customer": xuhui.pk}, format="json").status_code == 201
    refused = client.post("/api/v1/service-requests/", {**body, "customer": tianhe.pk}, format="json")
    assert refused.status_code == 400 and "customer" in refused.json()["fields"]
    assert "天河客户" not in refused.content.decode()
    wrong = client.post("/api/v1/service-requests/", {**body, "customer": "abc"}, format="json")
    assert wrong.status_code == 400 and "customer" in wrong.json()["fields"]
    huge = client.post("/api/v1/service-requests/", {**body, "customer": 10**30}, format="json")
    assert huge.status_code == 400 and "customer" in huge.json()["fields"]


def test_a_lazily_scoped_queryset_applies_its_scope_on_any_use(customers, users):
    """`visible_to(user, lazy=True)` (what an API field's id lookup uses) builds no filter up front, yet every use
    of the queryset other than the compiled `get` still sees only the user's rows (INF-1)."""
    xuhui, tianhe = customers
    user = users["xuhui_cs"]
    lazy = Customer.objects.visible_to(user, lazy=True)
    assert lazy._deferred_filter is not None  # nothing built yet
    assert set(lazy.values_list("pk", flat=True)) == set(Customer.objects.visible_to(user).values_list("pk", flat=True))
    assert xuhui.pk in set(lazy.values_list("pk", flat=True)) and tianhe.pk not in set(
        lazy.values_list("pk", flat=True)
    )
    assert not Customer.objects.visible_to(user, lazy=True).filter(pk=tianhe.pk).exists()
    assert Customer.objects.visible_to(user, lazy=True).count() == Customer.objects.visible_to(user).count()
    fresh = Customer.objects.visible_to(user, lazy=True)
    with pytest.raises(Customer.DoesNotExist):
        _django_get(fresh, tianhe.pk)  # Django's own get on it: the scope applies
    assert _django_get(Customer.objects.visible_to(user, lazy=True), xuhui.pk).pk == xuhui.pk


def _django_get(queryset, pk):
    """Django's `QuerySet.get`, not the scoped shortcut to the compiled statement."""
    from django.db.models.query import QuerySet

    return QuerySet.get(queryset, pk=pk)
