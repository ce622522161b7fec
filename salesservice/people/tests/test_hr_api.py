"""API of posts and candidates (PPL-1), training plans and sessions (PPL-2, PPL-3, PPL-5), exams (PPL-4):
out-of-scope ids, bad dates, huge strings, stale versions."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.catalog.tests.factories import CategoryFactory
from salesservice.core.models import OrgUnit, PersonalDataAccess, User

from .factories import CandidateFactory, CourseFactory, EngineerFactory, PostFactory, QuestionFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_post_create_update_and_stale_version(api_for, demo):
    """PPL-1: HR writes a post description; a huge string is 400; a stale version 409."""
    hr = api_for("hr_trainer")
    body = {"name": "客服专员", "code": "cs-rep", "duties": "受理来电", "criteria": "普通话标准"}
    created = hr.post("/api/v1/posts/", body, format="json")
    assert created.status_code == 201, created.json()
    post = created.json()
    assert hr.post("/api/v1/posts/", {**body, "name": "x" * 5000, "code": "a"}, format="json").status_code == 400
    duplicate = hr.post("/api/v1/posts/", body, format="json")
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "post.duplicate")
    url = f"/api/v1/posts/{post['id']}/"
    updated = hr.patch(url, {"version": post["version"], "education": "大专及以上"}, format="json")
    assert updated.status_code == 200 and updated.json()["education"] == "大专及以上"
    stale = hr.patch(url, {"version": post["version"], "education": "本科"}, format="json")
    assert (stale.status_code, stale.json()["code"]) == (409, "conflict.stale")
    assert api_for("xuhui_engineer").post("/api/v1/posts/", body, format="json").status_code == 403


def test_candidate_through_the_steps_to_hire_and_refused_without_them(api_for, demo):
    """PPL-1: hire refused (409 candidate.steps_incomplete) until interview, written test, background check pass."""
    hr = api_for("hr_trainer")
    post = PostFactory()
    xuhui = OrgUnit.objects.get(code="sh-xuhui")
    body = {"post": post.pk, "org_unit": xuhui.pk, "name": "李应聘", "phone": "13812345678", "applied_on": "2026-03-01"}
    created = hr.post("/api/v1/candidates/", body, format="json")
    assert created.status_code == 201, created.json()
    candidate = created.json()
    assert candidate["phone"] == "138****5678" and candidate["status"] == "applied"
    url = f"/api/v1/candidates/{candidate['id']}/"
    refused = hr.post(url + "hire/", {}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "candidate.steps_incomplete")
    bad_date = hr.post(url + "interview/", {"held_on": "2026-13-40", "passed": True}, format="json")
    assert bad_date.status_code == 400
    future = hr.post(url + "interview/", {"held_on": (TODAY + dt.timedelta(days=3)).isoformat(), "passed": True})
    assert (future.status_code, future.json()["code"]) == (400, "candidate.step_invalid")
    for step in ("interview", "written-test", "background-check"):
        response = hr.post(url + f"{step}/", {"held_on": "2026-03-02", "passed": True, "score": 88}, format="json")
        assert response.status_code == 200, response.json()
    hired = hr.post(url + "hire/", {}, format="json")
    assert hired.status_code == 200 and hired.json()["status"] == "hired"
    assert [s["step"] for s in hired.json()["steps"]] == ["interview", "written_test", "background_check"]


def test_candidate_reveal_is_logged_and_other_units_are_404(api_for, demo):
    """PPL-1: the full phone only through `reveal` (logged); a store sees only its own candidates."""
    mine = CandidateFactory()
    other = CandidateFactory(org_unit=OrgUnit.objects.get(code="gz-tianhe"))
    hr = api_for("hr_trainer")
    revealed = hr.post(f"/api/v1/candidates/{mine.pk}/reveal/", {"field": "phone"}, format="json")
    assert revealed.json() == {"field": "phone", "value": "13812345678"}
    assert PersonalDataAccess.objects.filter(field="phone", target_id=str(mine.pk)).count() == 1
    manager = api_for("xuhui_manager")
    assert manager.get(f"/api/v1/candidates/{other.pk}/").status_code == 404
    assert [row["id"] for row in manager.get("/api/v1/candidates/").json()["results"]] == [mine.pk]
    assert manager.post(f"/api/v1/candidates/{mine.pk}/reveal/", {"field": "phone"}).status_code == 403
    out = hr.post(
        "/api/v1/candidates/",
        {"post": mine.post_id, "org_unit": 999999, "name": "x", "applied_on": "2026-03-01"},
        format="json",
    )
    assert (out.status_code, out.json()["code"]) == (400, "candidate.unit_out_of_scope")


def test_reject_needs_a_reason_through_the_api(api_for, demo):
    """PPL-1: reject without a reason is 400."""
    candidate = CandidateFactory()
    hr = api_for("hr_trainer")
    assert hr.post(f"/api/v1/candidates/{candidate.pk}/reject/", {"reason": " "}, format="json").status_code == 400
    done = hr.post(f"/api/v1/candidates/{candidate.pk}/reject/", {"reason": "背景调查不符"}, format="json")
    assert done.json()["status"] == "rejected"


def test_training_plan_sessions_attendance_and_evaluation(api_for, users, demo):
    """PPL-3/PPL-2/PPL-5: plan, session with participants, approve, attendance (stale → 409), evaluation."""
    hr = api_for("hr_trainer")
    xuhui = OrgUnit.objects.get(code="sh-xuhui")
    plan = hr.post("/api/v1/training-plans/", {"year": 2026, "org_unit": xuhui.pk, "title": "徐汇店 2026"}).json()
    again = hr.post("/api/v1/training-plans/", {"year": 2026, "org_unit": xuhui.pk, "title": "重复"})
    assert (again.status_code, again.json()["code"]) == (409, "plan.duplicate")
    cs, engineer = users["xuhui_cs"], users["xuhui_engineer"]
    url = f"/api/v1/training-plans/{plan['id']}/"
    body = {"topic": "服务礼仪", "kind": "periodic", "planned_on": "2025-12-01", "trainer": users["hr_trainer"].pk}
    wrong_year = hr.post(url + "sessions/", body, format="json")
    assert (wrong_year.status_code, wrong_year.json()["code"]) == (400, "session.invalid")
    past = (TODAY - dt.timedelta(days=1)) if TODAY.year == 2026 and TODAY.month > 1 else dt.date(2026, 1, 1)
    body = {**body, "planned_on": past.isoformat(), "participants": [cs.pk, engineer.pk]}
    session = hr.post(url + "sessions/", body, format="json")
    assert session.status_code == 201, session.json()
    session = session.json()
    approved = hr.post(url + "approve/", {"version": plan["version"] + 1}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    s_url = f"/api/v1/training-sessions/{session['id']}/"
    recorded = hr.post(s_url + "record-attendance/", {"attendance": {str(cs.pk): "present"}}, format="json")
    if past > TODAY:
        assert recorded.status_code == 409
        return
    assert recorded.status_code == 200, recorded.json()
    assert {p["user"]: p["attendance"] for p in recorded.json()["participants"]} == {
        cs.pk: "present",
        engineer.pk: "absent",
    }
    stale = hr.post(s_url + "record-attendance/", {"attendance": {}, "version": session["version"]}, format="json")
    assert (stale.status_code, stale.json()["code"]) == (409, "conflict.stale")
    bad = hr.post(s_url + "record-attendance/", {"attendance": {"abc": "present"}}, format="json")
    assert bad.status_code == 400
    evaluated = hr.post(
        s_url + "evaluate/", {"reaction_score": "4.20", "behaviour_change": "礼貌用语规范", "need_gap": "投诉安抚"}
    )
    assert evaluated.status_code == 200 and evaluated.json()["evaluation"]["reaction_score"] == "4.20"
    figures = hr.get(url).json()["figures"]
    assert figures == {"completion": 50.0, "pass_rate": None, "reaction": 4.2}
    assert hr.get("/api/v1/training-needs/?source=evaluation").json()["results"][0]["gap"] == "投诉安抚"
    other = api_for("tianhe_cs")
    assert other.get(url).status_code in (403, 404)


def test_exams_list_and_attempts_per_contract(api_for, users, demo):
    """PPL-4 contract: /exams/ lists a course's exam; POST /exams/{id}/attempts/ starts one for oneself."""
    course = CourseFactory(title="热水器上岗")
    QuestionFactory(course=course)
    engineer = api_for("xuhui_engineer")
    [exam] = engineer.get("/api/v1/exams/").json()["results"]
    assert (exam["id"], exam["kind"], exam["pass_mark"], exam["question_count"]) == (
        course.pk,
        "written",
        80,
        1,
    )
    started = engineer.post(f"/api/v1/exams/{course.pk}/attempts/", {}, format="json")
    assert started.status_code == 201 and started.json()["status"] == "started"
    assert engineer.get(f"/api/v1/exam-attempts/{started.json()['id']}/").status_code == 200
    assert engineer.post("/api/v1/exams/999999/attempts/", {}, format="json").status_code == 404


def test_courses_writable_for_hr_only(api_for, demo):
    """PPL-2/PPL-4: HR creates a course, adds a question, edits with version; an engineer may not."""
    category = CategoryFactory()
    hr = api_for("hr_trainer")
    created = hr.post("/api/v1/courses/", {"title": "洗衣机上岗", "category": category.pk, "pass_mark": 70})
    assert created.status_code == 201, created.json()
    course = created.json()
    url = f"/api/v1/courses/{course['id']}/"
    question = {"text": "题", "option_a": "a", "option_b": "b", "option_c": "c", "option_d": "d", "answer": "C"}
    assert hr.post(url + "questions/", question, format="json").status_code == 201
    assert hr.get(url).json()["question_count"] == 1
    assert hr.patch(url, {"version": course["version"], "pass_mark": 101}, format="json").status_code == 400
    assert hr.patch(url, {"version": course["version"], "pass_mark": 75}, format="json").json()["pass_mark"] == 75
    stale = hr.patch(url, {"version": course["version"], "pass_mark": 60}, format="json")
    assert stale.status_code == 409
    engineer = api_for("xuhui_engineer")
    assert engineer.post("/api/v1/courses/", {"title": "x", "category": category.pk}).status_code == 403
    assert engineer.post(url + "questions/", question, format="json").status_code == 403
    EngineerFactory()
    assert User.objects.filter(username="hr_trainer").exists()


def test_list_endpoints_take_the_same_queries_for_one_or_many_rows(api_for, users, demo):
    """No N+1: candidates with their step records, plans with sessions, participants and figures."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from salesservice.people import training

    from .factories import TrainingPlanFactory

    hr = api_for("hr_trainer")
    hr_user = users["hr_trainer"]

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert hr.get(url).status_code == 200
        return len(queries)

    def add_rows(n, year):
        for _ in range(n):
            candidate = CandidateFactory()
            recruitment_step(candidate)
        plan = TrainingPlanFactory(
            year=year, org_unit=OrgUnit.objects.get(code="gz-tianhe" if year % 2 else "sh-xuhui")
        )
        training.session_add(
            actor=hr_user, plan_id=plan.pk, topic="t", kind="skills", planned_on=dt.date(year, 3, 1), trainer=hr_user,
            participants=[users["xuhui_cs"]],
        )  # fmt: skip

    def recruitment_step(candidate):
        from salesservice.people import recruitment

        recruitment.candidate_interview(
            actor=hr_user, candidate_id=candidate.pk, held_on=dt.date(2026, 3, 2), passed=True
        )

    add_rows(1, 2024)
    few = (count("/api/v1/candidates/"), count("/api/v1/training-plans/"), count("/api/v1/training-sessions/"))
    add_rows(5, 2025)
    many = (count("/api/v1/candidates/"), count("/api/v1/training-plans/"), count("/api/v1/training-sessions/"))
    assert many == few


def test_session_without_topic_or_course_is_400_not_500(api_for, users, demo):
    """Found by the fuzzer: a session body without a topic (and no course) is refused with `session.invalid`."""
    from .factories import TrainingPlanFactory

    plan = TrainingPlanFactory(year=2026)
    body = {"kind": "skills", "planned_on": "2000-01-01", "trainer": users["hr_trainer"].pk}
    response = api_for("hr_trainer").post(f"/api/v1/training-plans/{plan.pk}/sessions/", body, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "session.invalid")
    assert set(response.json()["fields"]) >= {"topic", "planned_on"}
