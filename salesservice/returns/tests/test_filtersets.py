"""One FilterSet per model (CONVENTIONS, NetBox): the return list shares its FilterSet with the API, so a filter
value narrows the page and `/api/v1/returns/` alike, within the user's scope."""

import pytest

from salesservice.core.tests.filter_helpers import api_ids, page_ids

from ..api.views import ReturnRequestViewSet
from ..filtersets import ReturnRequestFilterSet
from ..views import ReturnListView
from .factories import advance, make_return, store

pytestmark = pytest.mark.django_db
PAGE, API, DETAIL = "/returns/", "/api/v1/returns/", "returns:return-detail"


def test_the_page_and_the_api_share_one_filterset():
    assert ReturnListView.filterset_class is ReturnRequestViewSet.filterset_class is ReturnRequestFilterSet


def test_status_narrows_the_page_and_the_api_alike(demo, web_for, api_for):
    requested = make_return()
    rejected = advance(make_return(), "rejected")
    web, api = web_for("xuhui_manager"), api_for("xuhui_manager")
    for status, expected in [("rejected", {rejected.pk}), (["requested", "rejected"], {requested.pk, rejected.pk})]:
        params = {"status": status}
        assert page_ids(web, PAGE, params, DETAIL) == api_ids(api, API, params) == expected


def test_the_customer_link_and_the_store_choices(demo, web_for, api_for):
    first, second = make_return(), make_return()
    web, api = web_for("xuhui_manager"), api_for("xuhui_manager")
    params = {"customer": first.customer_id}
    assert page_ids(web, PAGE, params, DETAIL) == api_ids(api, API, params) == {first.pk}
    assert second.pk in api_ids(api, API, {"store": store().pk})
    assert store("sz-nanshan") not in set(web.get(PAGE).context["filterset"].form.fields["store"].queryset)
