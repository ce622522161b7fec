"""FBK-3/FBK-4: tokenised survey links — one answer per link, expiry, validation; versioned templates;
sending on close (idempotent)."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.exceptions import ConflictError, DomainError

from .. import survey_services as surveys
from ..choices import QuestionKind
from ..models import SurveyAnswer, SurveyLink, SurveyResponse, SurveyTemplate
from ..scheduling import surveys_send_for_closed_requests
from .factories import answers_for, closed_request, invitation, template, user

pytestmark = pytest.mark.django_db


def test_only_the_token_hash_is_stored_and_the_texts_carry_the_url(demo):
    sent = invitation()
    assert sent.link.token_hash == surveys.token_hash(sent.token) and sent.token not in sent.link.token_hash
    assert sent.path == f"/feedback/s/{sent.token}/"
    assert sent.url in sent.sms_text and sent.url in sent.email_text
    assert sent.link.store.name in sent.sms_text


def test_one_answer_per_link(demo):
    sent = invitation()
    response = surveys.survey_submit(sent.token, answers_for(sent.link.template, rating=4, nps=10))
    assert response.answers.count() == 4 and response.store_id == sent.link.store_id
    assert response.service_request_id == sent.link.service_request_id
    with pytest.raises(surveys.SurveyLinkError) as refused:
        surveys.survey_submit(sent.token, answers_for(sent.link.template))
    assert refused.value.code == "survey.link_answered"
    assert SurveyResponse.objects.count() == 1 and SurveyAnswer.objects.count() == 4


def test_expired_and_unknown_links_are_refused(demo):
    sent = invitation(sent_at=timezone.now() - dt.timedelta(days=20))
    with pytest.raises(surveys.SurveyLinkError) as expired:
        surveys.survey_submit(sent.token, answers_for(sent.link.template))
    assert expired.value.code == "survey.link_expired" and expired.value.status_code == 410
    with pytest.raises(surveys.SurveyLinkError) as unknown:
        surveys.survey_submit("not-a-token", {})
    assert unknown.value.status_code == 404
    assert not SurveyResponse.objects.exists()


def test_bad_answers_change_nothing(demo):
    sent = invitation()
    questions = {q.kind: q for q in sent.link.template.questions.all()}
    bad = answers_for(sent.link.template)
    bad[f"q{questions[QuestionKind.RATING].pk}"] = 6
    with pytest.raises(DomainError) as refused:
        surveys.survey_submit(sent.token, bad)
    assert refused.value.code == "survey.answer_invalid"
    missing = answers_for(sent.link.template)
    del missing[f"q{questions[QuestionKind.NPS].pk}"]
    with pytest.raises(DomainError) as required:
        surveys.survey_submit(sent.token, missing)
    assert required.value.code == "survey.answer_required"
    wrong_choice = answers_for(sent.link.template, channel="火星")
    with pytest.raises(DomainError):
        surveys.survey_submit(sent.token, wrong_choice)
    assert not SurveyResponse.objects.exists()
    assert SurveyLink.objects.get(pk=sent.link.pk).answered_at is None


def test_revising_an_answered_template_creates_a_new_version(demo):
    """FBK-4: old answers keep pointing at the questions they answered."""
    sent = invitation()
    old = sent.link.template
    surveys.survey_submit(sent.token, answers_for(old))
    old_questions = list(old.questions.values_list("pk", "text"))
    revised = surveys.survey_template_revise(
        actor=user("hq_service_manager"),
        template_id=old.pk,
        questions=[
            {"kind": "rating_1_5", "text": "您对工程师的服务满意吗？"},
            {
                "kind": "multiple_choice",
                "text": "哪些方面做得好？",
                "options": ["准时", "专业", "整洁"],
                "required": False,
            },
        ],
    )
    assert revised.pk != old.pk and revised.revision == old.revision + 1 and revised.is_current
    old.refresh_from_db()
    assert not old.is_current and list(old.questions.values_list("pk", "text")) == old_questions
    assert {a.question.template_id for a in SurveyAnswer.objects.select_related("question")} == {old.pk}
    assert surveys.current_template() == revised
    # a revision of the old version is refused; new links use the new version
    with pytest.raises(ConflictError):
        surveys.survey_template_revise(actor=user("hq_service_manager"), template_id=old.pk, name="x")
    assert invitation().link.template == revised


def test_unanswered_template_is_edited_in_place(demo):
    created = surveys.survey_template_create(
        actor=user("hq_service_manager"),
        key="delivery",
        name="交付满意度",
        questions=[{"kind": "rating_1_5", "text": "送货及时吗？"}],
    )
    same = surveys.survey_template_revise(
        actor=user("hq_service_manager"),
        template_id=created.pk,
        questions=[{"kind": "nps_0_10", "text": "推荐度"}, {"kind": "text", "text": "建议", "required": False}],
    )
    assert same.pk == created.pk and same.revision == 1 and same.questions.count() == 2


def test_template_validation_and_permission(demo):
    from salesservice.core.exceptions import PermissionDeniedError

    with pytest.raises(DomainError) as refused:
        surveys.survey_template_create(
            actor=user("hq_service_manager"),
            key="x",
            name="x",
            questions=[{"kind": "single_choice", "text": "选一个", "options": ["只有一个"]}],
        )
    assert refused.value.code == "survey.question_invalid"
    with pytest.raises(PermissionDeniedError):
        surveys.survey_template_create(
            actor=user("xuhui_cs"), key="y", name="y", questions=[{"kind": "text", "text": "?"}]
        )
    assert not SurveyTemplate.objects.filter(key__in=["x", "y"]).exists()


def test_surveys_are_sent_for_closed_requests_once(demo, mailoutbox, django_capture_on_commit_callbacks):
    template()
    first, second = closed_request(), closed_request("gz-tianhe")
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys_send_for_closed_requests() == 2
    assert surveys_send_for_closed_requests() == 0
    assert surveys.survey_send_for_request(first) is None
    links = SurveyLink.objects.order_by("pk")
    assert [link.service_request_id for link in links] == [first.pk, second.pk]
    assert links[0].sent_via == "sms,email" and len(mailoutbox) == 2
    assert "满意度" in mailoutbox[0].subject


def test_a_request_not_closed_gets_no_survey(demo):
    from .factories import make_request

    with pytest.raises(ConflictError):
        surveys.survey_send_for_request(make_request())
