"""Issue 12 §8 (INF-1) — every user, org unit or provider named in a request body is within the actor's scope.

Before: a 天河 CS rep could make a 徐汇 employee, the HQ admin or the provider's dispatcher the owner of
an improvement action, and set another store's user as a customer's sales rep — and each answer
leaked the user's name. `core/api/fields.install_scoped_relations` resolves every id in a body among
the rows the actor may see, for every serializer at once; out of scope reads exactly like an unknown id.
"""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.complaints.tests.factories import make_complaint
from salesservice.customers.models import Customer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("other", ["xuhui_cs", "admin", "provider_dispatcher"])
def test_an_improvement_owner_from_outside_the_scope_is_refused_without_a_name(api_for, demo, users, other):
    complaint = make_complaint(actor="tianhe_cs", store_code="gz-tianhe")
    client = api_for("tianhe_cs")
    url = f"/api/v1/complaints/{complaint.pk}/improvement-actions/"
    due = timezone.localdate() + dt.timedelta(days=30)  # a due date may not be in the past
    body = {"description": "加强安装培训", "due_date": due.isoformat()}
    refused = client.post(url, {**body, "owner": users[other].pk}, format="json")
    assert refused.status_code == 400, refused.content[:300]
    assert "owner" in refused.json()["fields"]
    assert users[other].name not in refused.content.decode()
    unknown = client.post(url, {**body, "owner": 987654}, format="json")
    assert unknown.json()["fields"]["owner"] == [
        msg.replace(str(users[other].pk), "987654") for msg in refused.json()["fields"]["owner"]
    ]
    mine = client.post(url, {**body, "owner": users["tianhe_cs"].pk}, format="json")
    assert mine.status_code in (200, 201), mine.content[:300]


def test_a_sales_rep_from_another_store_is_refused(api_for, demo, users):
    client = api_for("tianhe_cs")
    body = {"customer_type": "individual", "name": "林先生", "store": demo["gz-tianhe"].pk}
    refused = client.post("/api/v1/customers/", {**body, "sales_rep": users["xuhui_manager"].pk}, format="json")
    assert refused.status_code == 400 and "sales_rep" in refused.json()["fields"]
    assert users["xuhui_manager"].name not in refused.content.decode()
    other_store = client.post("/api/v1/customers/", {**body, "store": demo["sh-xuhui"].pk}, format="json")
    assert other_store.status_code == 400 and "store" in other_store.json()["fields"]
    assert not Customer.objects.filter(name="林先生").exists()
    ok = client.post("/api/v1/customers/", {**body, "sales_rep": users["tianhe_cs"].pk}, format="json")
    assert ok.status_code == 201, ok.content[:300]


def test_hq_still_reaches_every_unit(api_for, demo, users):
    body = {"customer_type": "individual", "name": "周女士", "store": demo["gz-tianhe"].pk}
    response = api_for("admin").post("/api/v1/customers/", {**body, "sales_rep": users["tianhe_cs"].pk}, format="json")
    assert response.status_code == 201
