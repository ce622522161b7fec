"""One FilterSet per model (CONVENTIONS, NetBox): the complaint and recovery lists share theirs with the API, so
a filter value narrows the page, the analytics page and `/api/v1/complaints/` alike."""

import pytest

from salesservice.core.tests.filter_helpers import api_ids, page_ids

from ..api.views import ComplaintViewSet, RecoveryViewSet
from ..filtersets import ComplaintFilterSet, RecoveryFilterSet
from ..views import ComplaintListView, RecoveryListView
from .factories import advance, make_complaint, store

pytestmark = pytest.mark.django_db
PAGE, API, DETAIL = "/complaints/", "/api/v1/complaints/", "complaints:complaint-detail"


def test_the_pages_and_the_api_share_one_filterset_per_model():
    assert ComplaintListView.filterset_class is ComplaintViewSet.filterset_class is ComplaintFilterSet
    assert RecoveryListView.filterset_class is RecoveryViewSet.filterset_class is RecoveryFilterSet


def test_status_narrows_the_page_and_the_api_alike(demo, web_for, api_for):
    received = make_complaint()
    verifying = advance(make_complaint(), "verifying")
    web, api = web_for("xuhui_manager"), api_for("xuhui_manager")
    for status, expected in [("verifying", {verifying.pk}), (["received", "verifying"], {received.pk, verifying.pk})]:
        params = {"status": status}
        assert page_ids(web, PAGE, params, DETAIL) == api_ids(api, API, params) == expected
    analytics = web.get("/complaints/analytics/", {"status": "verifying", "group": "store"})
    assert analytics.status_code == 200 and list(analytics.context["filterset"].qs) == [verifying]


def test_the_store_choices_are_the_users_and_another_store_finds_nothing(demo, web_for, api_for):
    make_complaint()
    elsewhere = store("sz-nanshan")
    web, api = web_for("xuhui_manager"), api_for("xuhui_manager")
    assert elsewhere not in set(web.get(PAGE).context["filterset"].form.fields["store"].queryset)
    assert page_ids(web, PAGE, {"store": elsewhere.pk}, DETAIL) == api_ids(api, API, {"store": elsewhere.pk}) == set()
