"""Issue 12 §16: a record's survey link is shown on its page with a copy button and a QR code, at the
address customers reach; the link is issued anew (only its hash is kept), the old one stops working, and
it is refused once answered or expired, or outside the user's scope."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.feedback import survey_services
from salesservice.feedback.models import SurveyLink

from .factories import closed_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(demo, settings):
    settings.PUBLIC_BASE_URL = "https://fw.example.cn"
    request = closed_request("sh-xuhui")
    invitation = survey_services.survey_send_for_request(request)
    return request, invitation


def test_the_request_page_offers_the_link_and_shows_it_with_a_qr_code(sent, web_for):
    request, invitation = sent
    client = web_for("xuhui_manager")
    page = client.get(f"/service/requests/{request.pk}/").content.decode()
    assert 'id="survey-panel"' in page and 'id="survey-link-show"' in page
    shown = client.post(f"/feedback/survey-links/{invitation.link.pk}/show/").content.decode()
    assert "<svg" in shown and "复制链接" in shown
    url = shown.split('id="survey-share-url" value="')[1].split('"')[0]
    assert url.startswith("https://fw.example.cn/feedback/s/")
    new_token = url.rstrip("/").rsplit("/", 1)[1]
    assert survey_services.survey_link_lookup(new_token).pk == invitation.link.pk
    with pytest.raises(survey_services.SurveyLinkError):
        survey_services.survey_link_lookup(invitation.token)  # the old link stopped working


def test_answered_expired_or_out_of_scope_links_are_not_shown(sent, web_for):
    _request, invitation = sent
    link = invitation.link
    assert web_for("tianhe_cs").post(f"/feedback/survey-links/{link.pk}/show/").status_code in (302, 404)
    SurveyLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = web_for("xuhui_manager").post(f"/feedback/survey-links/{link.pk}/show/", follow=True)
    assert "问卷链接已过期" in response.content.decode()
    assert SurveyLink.objects.get(pk=link.pk).token_hash == link.token_hash
