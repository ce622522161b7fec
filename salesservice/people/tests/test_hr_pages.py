"""Pages of posts and recruitment (PPL-1), training plans, sessions and effect (PPL-2, PPL-3, PPL-5), the career
path (PPL-6) and the HR workbench panels: 200s, forms with Chinese errors, scope."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.models import OrgUnit, User
from salesservice.people import training
from salesservice.people.models import Candidate, CareerStep, Post, SessionParticipant

from .factories import CandidateFactory, PostFactory, TrainingPlanFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_lists_and_pages_answer_for_hr(web_for, demo):
    """Every new page renders for HR; the lists export to Excel."""
    client = web_for("hr_trainer")
    candidate = CandidateFactory()
    plan = TrainingPlanFactory(year=TODAY.year)
    for url in (
        "/people/posts/",
        f"/people/posts/{candidate.post_id}/",
        "/people/posts/new/",
        "/people/candidates/",
        "/people/candidates/?status=applied",
        f"/people/candidates/{candidate.pk}/",
        "/people/candidates/new/",
        "/people/plans/",
        f"/people/plans/{plan.pk}/",
        "/people/plans/new/",
        "/people/needs/",
        "/people/needs/new/",
        "/people/career/",
        "/people/career/talks/new/",
        "/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/people/candidates/?export=xlsx").status_code == 200


def test_post_form_shows_chinese_errors(web_for, demo):
    """PPL-1: a post without duties and with a bad code is refused with Chinese messages; a good one is saved."""
    client = web_for("hr_trainer")
    response = client.post("/people/posts/new/", {"name": "客服专员", "code": "客服", "duties": "", "level": "store"})
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    response = client.post(
        "/people/posts/new/",
        {"name": "客服专员", "code": "cs", "duties": "受理来电", "level": "store", "is_active": "on"},
    )
    assert response.status_code == 302 and Post.objects.filter(code="cs").exists()


def test_candidate_moves_through_the_step_forms_to_hire(web_for, users, demo):
    """PPL-1: the page's step forms record each step; hire without them is refused in Chinese; masked phone."""
    client = web_for("hr_trainer")
    candidate = CandidateFactory()
    page = client.get(f"/people/candidates/{candidate.pk}/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    refused = client.post(f"/people/candidates/{candidate.pk}/hire/", follow=True)
    assert "不能录用" in refused.content.decode() or "尚未通过" in refused.content.decode()
    for step in ("interview", "written-test", "background-check"):
        response = client.post(
            f"/people/candidates/{candidate.pk}/{step}/",
            {"held_on": "2026-03-02", "score": "80", "passed": "on", "version": Candidate.objects.get().version},
        )
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    client.post(f"/people/candidates/{candidate.pk}/hire/", {"version": Candidate.objects.get().version})
    assert Candidate.objects.get().status == "hired"


def test_candidate_of_another_store_is_404_for_a_store_manager(web_for, demo):
    other = CandidateFactory(org_unit=OrgUnit.objects.get(code="gz-tianhe"))
    assert web_for("xuhui_manager").get(f"/people/candidates/{other.pk}/").status_code == 404


def test_session_attendance_and_effect_forms(web_for, users, demo):
    """PPL-2 / PPL-5: attendance radio buttons on the session page, then the effect evaluation form."""
    hr = users["hr_trainer"]
    plan = TrainingPlanFactory(year=TODAY.year)
    day = max(TODAY - dt.timedelta(days=1), dt.date(TODAY.year, 1, 1))
    session = training.session_add(
        actor=hr, plan_id=plan.pk, topic="礼仪", kind="periodic", planned_on=day, trainer=hr,
        participants=[users["xuhui_cs"], users["xuhui_engineer"]],
    )  # fmt: skip
    client = web_for("hr_trainer")
    url = f"/people/sessions/{session.pk}/"
    assert client.get(url).status_code == 200
    cs = users["xuhui_cs"]
    response = client.post(url, {"form": "attendance", "version": session.version, f"att_{cs.pk}": "present"})
    assert response.status_code == 302
    assert SessionParticipant.objects.get(session=session, user=cs).attendance == "present"
    bad = client.post(url, {"form": "effect", "effect-reaction_score": "7", "effect-behaviour_change": ""})
    assert bad.status_code == 400
    good = client.post(
        url,
        {
            "form": "effect",
            "effect-reaction_score": "4.5",
            "effect-behaviour_change": "更规范",
            "effect-evaluated_on": TODAY.isoformat(),
        },
    )
    assert good.status_code == 302
    assert "4.50" in client.get(url).content.decode()


def test_plan_page_adds_a_session_and_refuses_a_wrong_year(web_for, users, demo):
    """PPL-3: the session form on a draft plan; a date outside the plan's year is refused in Chinese."""
    plan = TrainingPlanFactory(year=2026)
    client = web_for("hr_trainer")
    data = {
        "session-topic": "产品知识",
        "session-kind": "product",
        "session-planned_on": "2027-01-05",
        "session-trainer": users["hr_trainer"].pk,
        "session-method": "lecture",
        "session-participants": [users["xuhui_cs"].pk],
    }
    response = client.post(f"/people/plans/{plan.pk}/", data)
    assert response.status_code == 400 and "须在计划年度 2026 内" in response.content.decode()
    response = client.post(f"/people/plans/{plan.pk}/", {**data, "session-planned_on": "2026-06-05"})
    assert response.status_code == 302 and plan.sessions.count() == 1


def test_career_page_checks_eligibility(web_for, users, demo, monkeypatch):
    """PPL-6: the eligibility check lists each criterion with its state; the grade criterion is skipped."""
    from salesservice.people import career

    monkeypatch.setattr(career, "_appraisal_grades", lambda user, since: None)
    specialist, supervisor = PostFactory(name="客服专员"), PostFactory(name="客服主管")
    CareerStep.objects.create(from_post=specialist, to_post=supervisor, months_in_post=12, min_grade="B")
    page = web_for("hr_trainer").get(f"/people/career/?user={users['xuhui_cs'].pk}").content.decode()
    assert "客服专员 → 客服主管" in page and "此项跳过" in page and "暂不符合" in page


def test_engineer_cannot_open_hr_pages(web_for, demo):
    client = web_for("xuhui_engineer")
    assert client.get("/people/candidates/").status_code == 403
    assert client.get("/people/posts/new/").status_code == 403
    assert User.objects.filter(username="xuhui_engineer").exists()
