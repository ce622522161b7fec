"""Public pages without login (FBK-3): the phone-sized survey and the rate-limited suggestion box."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ..models import Suggestion, SurveyResponse
from ..public import RATE_LIMIT
from .factories import answers_for, invitation, store

pytestmark = pytest.mark.django_db


def test_survey_page_works_without_login_and_answers_once(demo, client):
    sent = invitation()
    url = reverse("feedback:survey", args=[sent.token])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="survey-form"' in html and 'id="submit-survey"' in html
    for question in sent.link.template.questions.all():
        assert f'name="q{question.pk}"' in html
    assert "<script>" not in html  # CSP: no inline scripts
    done = client.post(url, answers_for(sent.link.template, rating=4, nps=9))
    assert done.status_code == 200 and 'id="survey-done"' in done.content.decode()
    again = client.post(url, answers_for(sent.link.template))
    assert again.status_code == 409 and "只能提交一次" in again.content.decode()
    assert client.get(url).status_code == 409
    assert SurveyResponse.objects.count() == 1


def test_survey_page_refuses_missing_answers_and_keeps_choices(demo, client):
    sent = invitation()
    url = reverse("feedback:survey", args=[sent.token])
    rating = sent.link.template.questions.get(kind="rating_1_5")
    response = client.post(url, {f"q{rating.pk}": "4"})
    html = response.content.decode()
    assert response.status_code == 400 and "请回答" in html and 'id="survey-form-error"' in html
    assert f'id="q{rating.pk}-4" value="4" checked' in html
    assert not SurveyResponse.objects.exists()


def test_expired_and_unknown_survey_links_show_a_chinese_page(demo, client):
    sent = invitation(sent_at=timezone.now() - dt.timedelta(days=30))
    expired = client.get(reverse("feedback:survey", args=[sent.token]))
    assert expired.status_code == 410 and "已过期" in expired.content.decode()
    unknown = client.get(reverse("feedback:survey", args=["nope"]))
    assert unknown.status_code == 404 and "链接无效" in unknown.content.decode()


def test_suggestion_box_without_login(demo, client):
    url = reverse("feedback:suggest")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "赵先生",
            "phone": "138 1234 5678",
            "store": store("gz-tianhe").pk,
            "kind": "suggestion",
            "text": "停车位太少",
        },
    )
    assert response.status_code == 201 and 'id="suggestion-done"' in response.content.decode()
    entry = Suggestion.objects.get()
    assert entry.phone == "13812345678" and entry.store.code == "gz-tianhe" and entry.number.startswith("SG-")
    bad = client.post(url, {"name": "", "store": store("gz-tianhe").pk, "kind": "suggestion", "text": ""})
    assert bad.status_code == 400 and Suggestion.objects.count() == 1


def test_suggestion_box_is_rate_limited(demo, client):
    url = reverse("feedback:suggest")
    data = {"name": "张三", "store": store("sh-xuhui").pk, "kind": "praise", "text": "很好"}
    for _ in range(RATE_LIMIT):
        assert client.post(url, data).status_code == 201
    limited = client.post(url, data)
    assert limited.status_code == 429 and 'id="rate-limited"' in limited.content.decode()
    assert Suggestion.objects.count() == RATE_LIMIT
