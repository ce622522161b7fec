"""One FilterSet per model (CONVENTIONS, NetBox): the request list and the knowledge base share theirs with
the API, so a filter value narrows the page and `/api/v1/…` alike, within the user's scope."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.tests.filter_helpers import api_ids, page_ids

from ..api.views import KnowledgeArticleViewSet, ServiceRequestViewSet
from ..desk_views import KnowledgeListView, RequestListView
from ..filtersets import KnowledgeArticleFilterSet, ServiceRequestFilterSet
from ..services import knowledge_article_create, knowledge_article_publish, request_contact
from .factories import make_request, store, user

pytestmark = pytest.mark.django_db
PAGE, API, DETAIL = "/service/requests/", "/api/v1/service-requests/", "service:request-detail"


def test_the_pages_and_the_api_share_one_filterset_per_model():
    assert RequestListView.filterset_class is ServiceRequestViewSet.filterset_class is ServiceRequestFilterSet
    assert KnowledgeListView.filterset_class is KnowledgeArticleViewSet.filterset_class is KnowledgeArticleFilterSet


def test_status_narrows_the_page_and_the_api_alike(demo, web_for, api_for):
    received = make_request()
    contacted = make_request()
    request_contact(actor=user("xuhui_cs"), request_id=contacted.pk)
    web, api = web_for("xuhui_manager"), api_for("xuhui_manager")
    for status, expected in [("received", {received.pk}), (["received", "contacted"], {received.pk, contacted.pk})]:
        params = {"status": status}
        assert page_ids(web, PAGE, params, DETAIL) == api_ids(api, API, params) == expected


def test_a_date_takes_the_whole_local_day_and_a_datetime_is_taken_as_given(demo, web_for, api_for):
    noon = timezone.make_aware(dt.datetime(2025, 6, 2, 12, 0))
    morning = make_request(received_at=noon - dt.timedelta(hours=3))
    evening = make_request(received_at=noon + dt.timedelta(hours=8))
    web, api = web_for("xuhui_manager"), api_for("xuhui_manager")
    cases = [
        ({"received_after": "2025-06-02", "received_before": "2025-06-02"}, {morning.pk, evening.pk}),
        ({"received_before": "2025-06-01"}, set()),
        ({"received_after": "2025-06-03"}, set()),
        ({"received_before": noon.isoformat()}, {morning.pk}),
        ({"received_after": noon.isoformat()}, {evening.pk}),
    ]
    for params, expected in cases:
        assert page_ids(web, PAGE, params, DETAIL) == api_ids(api, API, params) == expected, params
    assert api.get(API, {"received_after": "2025-13-01"}).status_code == 400


def test_the_store_choices_are_the_users_and_another_store_finds_nothing(demo, web_for, api_for):
    mine = make_request()
    elsewhere = store("sz-nanshan")
    page = web_for("xuhui_manager").get(PAGE)
    choices = set(page.context["filterset"].form.fields["store"].queryset)
    assert store("sh-xuhui") in choices and elsewhere not in choices
    params = {"store": elsewhere.pk}
    assert page_ids(web_for("xuhui_manager"), PAGE, params, DETAIL) == set()
    assert api_ids(api_for("xuhui_manager"), API, params) == set()
    assert api_ids(api_for("xuhui_manager"), API, {"store": mine.store_id}) == {mine.pk}


def test_an_id_only_filter_is_left_off_the_side_form_until_a_link_sets_it(demo, web_for):
    web = web_for("xuhui_manager")
    assert "provider" not in [field.name for field in web.get(PAGE).context["filterset"].form]
    assert "provider" in [field.name for field in web.get(PAGE, {"provider": 7}).context["filterset"].form]


def test_knowledge_status_and_category_narrow_the_page_and_the_api_alike(demo, web_for, api_for):
    manager = user("xuhui_manager")
    draft = knowledge_article_create(actor=manager, title="空调草稿", body="外机不转", service_category="repair")
    published = knowledge_article_create(actor=manager, title="冰箱异响", body="压缩机异响", service_category="other")
    knowledge_article_publish(actor=manager, article_id=published.pk)
    web, api = web_for("xuhui_manager"), api_for("xuhui_manager")
    page, detail = "/service/knowledge/", "service:knowledge-detail"
    for params, expected in [
        ({"status": "draft"}, {draft.pk}),
        ({"status": "published"}, {published.pk}),
        ({"category": "repair"}, {draft.pk}),
        ({"q": "压缩机 异响"}, {published.pk}),
    ]:
        assert page_ids(web, page, params, detail) == api_ids(api, "/api/v1/knowledge-articles/", params) == expected
