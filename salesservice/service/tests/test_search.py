"""SRV-9: the `?q=` search of the request list (API and page) — number prefix, description, customer name,
serial number — within the user's scope."""

import pytest

from .. import selectors
from ..models import ServiceRequest
from .factories import make_request, user


@pytest.fixture
def requests(demo):
    first = make_request(description="雾化器无法启动", serial_number="SN-778899")
    first.customer.name = "曹梅红"
    first.customer.save()
    second = make_request(description="血压计读数偏高")
    other_store = make_request(actor="tianhe_cs", store_code="gz-tianhe", description="雾化器漏水")
    return first, second, other_store


def search(text, queryset=None):
    queryset = ServiceRequest.objects.all() if queryset is None else queryset
    return set(selectors.service_request_search(queryset, text).values_list("pk", flat=True))


def test_each_branch_of_the_search(requests):
    first, second, other_store = requests
    assert search("雾化器") == {first.pk, other_store.pk}
    assert search("梅红") == {first.pk}
    assert search("SN-778899") == {first.pk}
    assert search(second.number[:-1].lower()) >= {second.pk}  # a prefix, any case
    assert search("  ") == {first.pk, second.pk, other_store.pk}
    assert search("没有这个词") == set()


def test_many_matching_customers_still_find_every_request(requests, monkeypatch):
    """Past the limit of customers looked up first, the database joins instead — nothing is missed."""
    first, *_ = requests
    monkeypatch.setattr(selectors, "SEARCH_CUSTOMER_LIMIT", 0)
    assert search("曹梅红") == {first.pk}


def test_search_stays_in_scope_in_api_and_page(requests, api_for, client):
    first, _second, other_store = requests
    found = api_for("xuhui_cs").get("/api/v1/service-requests/", {"q": "雾化器"}).json()["results"]
    assert {row["id"] for row in found} == {first.pk}
    client.force_login(user("xuhui_cs"))
    page = client.get("/service/requests/", {"q": "雾化器"}).content.decode()
    assert first.number in page and other_store.number not in page
