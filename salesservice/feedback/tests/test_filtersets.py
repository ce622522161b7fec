"""One FilterSet per model (CONVENTIONS, NetBox): the follow-up list and the suggestion box share theirs with
the API, so a filter value narrows the page and `/api/v1/…` alike, within the user's scope."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.tests.filter_helpers import api_ids, page_ids

from ..api.views import FollowUpViewSet, SuggestionViewSet
from ..filtersets import FollowUpFilterSet, SuggestionFilterSet
from ..services import follow_up_close, suggestion_submit
from ..views import FollowUpListView, SuggestionListView
from .factories import follow_up, store, user

pytestmark = pytest.mark.django_db
PAGE, API, DETAIL = "/feedback/follow-ups/", "/api/v1/follow-ups/", "feedback:follow-up-detail"
BOX, BOX_API, BOX_DETAIL = "/feedback/suggestions/", "/api/v1/suggestions/", "feedback:suggestion-detail"


def test_the_pages_and_the_api_share_one_filterset_per_model():
    assert FollowUpListView.filterset_class is FollowUpViewSet.filterset_class is FollowUpFilterSet
    assert SuggestionListView.filterset_class is SuggestionViewSet.filterset_class is SuggestionFilterSet


def test_status_open_overdue_and_search_narrow_the_page_and_the_api_alike(demo, web_for, api_for):
    late = follow_up(due_at=timezone.now() - dt.timedelta(hours=2))
    due = follow_up()
    closed = follow_up_close(actor=user("xuhui_manager"), follow_up_id=follow_up().pk, reason="客户不需要回访")
    web, api = web_for("xuhui_cs"), api_for("xuhui_cs")
    for params, expected in [
        ({"status": "closed"}, {closed.pk}),
        ({"status": ["scheduled", "closed"]}, {late.pk, due.pk, closed.pk}),
        ({"open": "true"}, {late.pk, due.pk}),
        ({"open": "false"}, {closed.pk}),
        ({"overdue": "true"}, {late.pk}),
        ({"overdue": "false"}, {due.pk, closed.pk}),
        ({"q": late.number}, {late.pk}),
        ({"q": due.customer.name}, {due.pk}),
    ]:
        assert page_ids(web, PAGE, params, DETAIL) == api_ids(api, API, params) == expected, params


def test_a_due_date_takes_the_whole_local_day_and_a_datetime_is_taken_as_given(demo, web_for, api_for):
    noon = timezone.make_aware(dt.datetime(2030, 6, 2, 12, 0))
    morning = follow_up(due_at=noon - dt.timedelta(hours=3))
    evening = follow_up(due_at=noon + dt.timedelta(hours=8))
    web, api = web_for("xuhui_cs"), api_for("xuhui_cs")
    for params, expected in [
        ({"due_after": "2030-06-02", "due_before": "2030-06-02"}, {morning.pk, evening.pk}),
        ({"due_before": "2030-06-01"}, set()),
        ({"due_after": "2030-06-03"}, set()),
        ({"due_before": noon.isoformat()}, {morning.pk}),
        ({"due_after": noon.isoformat()}, {evening.pk}),
    ]:
        assert page_ids(web, PAGE, params, DETAIL) == api_ids(api, API, params) == expected, params
    assert api.get(API, {"due_after": "2030-13-01"}).status_code == 400


def test_the_store_and_assignee_choices_are_the_users_and_another_store_finds_nothing(demo, web_for, api_for):
    mine = follow_up(assignee=user("xuhui_cs"))
    other = follow_up(assignee=user("xuhui_manager"))
    form = web_for("xuhui_cs").get(PAGE).context["filterset"].form
    stores, assignees = set(form.fields["store"].queryset), set(form.fields["assignee"].queryset)
    assert store("sh-xuhui") in stores and store("gz-tianhe") not in stores
    assert user("xuhui_cs") in assignees and user("tianhe_cs") not in assignees
    web, api = web_for("xuhui_cs"), api_for("xuhui_cs")
    for params, expected in [
        ({"store": store("gz-tianhe").pk}, set()),
        ({"store": store().pk}, {mine.pk, other.pk}),
        ({"assignee": user("xuhui_cs").pk}, {mine.pk}),
        ({"customer": other.customer_id}, {other.pk}),
        ({"service_request": mine.service_request_id}, {mine.pk}),
    ]:
        assert page_ids(web, PAGE, params, DETAIL) == api_ids(api, API, params) == expected, params


def test_the_workbench_link_to_my_open_follow_ups_narrows_to_mine(demo, web_for):
    mine = follow_up(assignee=user("xuhui_cs"))
    follow_up(assignee=user("xuhui_manager"))
    params = {"assignee": user("xuhui_cs").pk, "open": "true"}
    assert page_ids(web_for("xuhui_cs"), PAGE, params, DETAIL) == {mine.pk}


def test_id_only_filters_are_left_off_the_side_form_until_a_link_sets_them(demo, web_for):
    web = web_for("xuhui_cs")
    assert {"customer", "service_request"}.isdisjoint(field.name for field in web.get(PAGE).context["filterset"].form)
    assert "customer" in [field.name for field in web.get(PAGE, {"customer": 7}).context["filterset"].form]


def _suggestion(kind, text, store_code="sh-xuhui"):
    return suggestion_submit(name="王女士", store=store(store_code), kind=kind, text=text)


def test_suggestion_status_kind_and_search_narrow_the_page_and_the_api_alike(demo, web_for, api_for):
    praise = _suggestion("praise", "店员服务很周到")
    idea = _suggestion("suggestion", "希望周末延长营业时间")
    _suggestion("complaint", "排队太久", store_code="gz-tianhe")  # out of scope for xuhui_cs
    web, api = web_for("xuhui_cs"), api_for("xuhui_cs")
    api.post(f"{BOX_API}{idea.pk}/triage/", {"decision": "close"}, format="json")
    for params, expected in [
        ({}, {praise.pk, idea.pk}),
        ({"status": "new"}, {praise.pk}),
        ({"status": ["new", "closed"]}, {praise.pk, idea.pk}),
        ({"kind": "praise"}, {praise.pk}),
        ({"q": "营业时间"}, {idea.pk}),
        ({"store": store("gz-tianhe").pk}, set()),
    ]:
        assert page_ids(web, BOX, params, BOX_DETAIL) == api_ids(api, BOX_API, params) == expected, params
    stores = set(web.get(BOX).context["filterset"].form.fields["store"].queryset)
    assert store("sh-xuhui") in stores and store("gz-tianhe") not in stores
