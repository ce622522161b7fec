"""`unit=<id>` on the lists (core.filtersets.SubtreeFilter): a unit's records and those of every unit below it — the
management dashboards' drill-down (issue 16 §1, docs/dashboards.md). An id outside the reader's scope finds
nothing, never a wider list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from salesservice.core.evidence import Period
from salesservice.core.models import OrgUnit

pytestmark = pytest.mark.django_db

API = "/api/v1/service-requests/"
STORES = {"sh-xuhui": 2, "hz-xihu": 1, "gz-tianhe": 2, "sz-nanshan": 1}  # east: 3, south: 3


def unit(code):
    return OrgUnit.objects.get(code=code)


@pytest.fixture
def requests_by_store(demo):
    from salesservice.service.tests.factories import make_request

    received = timezone.now() - dt.timedelta(days=2)
    made: dict[str, set[int]] = {}
    for code, count in STORES.items():
        made[code] = {make_request(actor=None, store_code=code, received_at=received).pk for _ in range(count)}
    return made


def listed_on_page(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, url
    return {row.pk for row in response.context["page"].paginator.object_list}


def listed_by_api(client, params) -> set[int]:
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_region_lists_exactly_its_stores_requests_on_the_page_and_in_the_api(requests_by_store, web_for, api_for):
    east = requests_by_store["sh-xuhui"] | requests_by_store["hz-xihu"]
    south = requests_by_store["gz-tianhe"] | requests_by_store["sz-nanshan"]
    page = reverse("service:requests")
    for username in ("gm", "hq_service_manager"):
        client, api = web_for(username), api_for(username)
        for code, expected in (("east", east), ("south", south), ("hz-xihu", requests_by_store["hz-xihu"])):
            assert listed_on_page(client, f"{page}?unit={unit(code).pk}") == expected, (username, code)
            assert listed_by_api(api, {"unit": unit(code).pk}) == expected, (username, code)
        assert len(listed_on_page(client, f"{page}?unit={unit('hq').pk}")) == 6
        assert len(listed_by_api(api, {})) == 6

    region_manager = web_for("east_manager")
    assert len(listed_on_page(region_manager, f"{page}?unit={unit('east').pk}")) == 3
    assert listed_on_page(region_manager, f"{page}?unit={unit('sh-xuhui').pk}") == requests_by_store["sh-xuhui"]


def test_a_unit_outside_the_scope_widens_nothing(requests_by_store, web_for, api_for):
    page = reverse("service:requests")
    own = requests_by_store["sh-xuhui"]
    client, api = web_for("xuhui_manager"), api_for("xuhui_manager")
    assert listed_on_page(client, page) == own
    assert listed_on_page(client, f"{page}?unit={unit('sh-xuhui').pk}") == own
    for code in ("south", "gz-tianhe", "east", "hq", "hz-xihu"):
        assert listed_on_page(client, f"{page}?unit={unit(code).pk}") == set(), code
        assert listed_by_api(api, {"unit": unit(code).pk}) == set(), code
    assert listed_by_api(api, {"unit": 999_999}) == set()
    east_api = api_for("east_manager")
    assert listed_by_api(east_api, {"unit": unit("south").pk}) == set()
    assert listed_by_api(east_api, {"unit": unit("gz-tianhe").pk}) == set()


def test_a_region_dashboard_kpi_opens_a_list_of_exactly_its_figure(requests_by_store, web_for):
    from salesservice.dashboards.areas import area_data

    today = timezone.localdate()
    data = area_data("service", Period(today - dt.timedelta(days=20), today, unit("east")))
    figures = {item["key"]: item for item in data["kpis"]}
    assert figures["received"]["value"] == 3 and f"unit={unit('east').pk}" in figures["received"]["url"]
    for username in ("east_manager", "gm"):
        client = web_for(username)
        for key in ("received", "backlog"):
            response = client.get(figures[key]["url"])
            assert response.status_code == 200, (username, key)
            assert response.context["page"].paginator.count == figures[key]["value"], (username, key)


def test_the_general_manager_opens_the_lists_behind_the_dashboards(demo, web_for):
    client = web_for("gm")
    assert client.get(reverse("service:requests")).status_code == 200
    assert client.get(reverse("service:requests"), {"unit": unit("east").pk}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "salesservice.service.filtersets.ServiceRequestFilterSet",
        "salesservice.complaints.filtersets.ComplaintFilterSet",
        "salesservice.returns.filtersets.ReturnRequestFilterSet",
        "salesservice.sales.filtersets.SalesOrderFilterSet",
        "salesservice.sales.filtersets.ReceivableFilterSet",
        "salesservice.delivery.filtersets.DeliveryFilterSet",
        "salesservice.purchasing.filtersets.ReceiptFilterSet",
        "salesservice.inspection.filtersets.NonconformanceFilterSet",
        "salesservice.inventory.filtersets.StockMoveFilterSet",
        "salesservice.inventory.filtersets.StorageReadingFilterSet",
    ],
)
def test_every_drill_down_list_takes_the_subtree_filter(path, users):
    from django.utils.module_loading import import_string

    filterset_class = import_string(path)
    model = filterset_class._meta.model
    assert "unit" in filterset_class.link_only
    request = RequestFactory().get("/")
    request.user = users["gm"]
    east = unit("east")
    filterset = filterset_class(data={"unit": east.pk}, queryset=model.objects.all(), request=request)
    assert filterset.is_valid(), filterset.errors
    assert str(filterset.qs.query) == str(model.objects.in_unit(east).query)
    assert list(filterset.qs) == list(model.objects.in_unit(east))
    outside = filterset_class(data={"unit": 999_999}, queryset=model.objects.all(), request=request)
    assert not outside.qs.exists()
