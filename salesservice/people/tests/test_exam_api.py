"""Exams API (PPL-4): courses without answers, attempts scoped to their engineer, scoring by the system."""

import pytest

from salesservice.people.models import Certification, ExamAttempt

from .factories import CourseFactory, EngineerFactory, QuestionFactory

pytestmark = pytest.mark.django_db
ATTEMPTS = "/api/v1/exam-attempts/"


@pytest.fixture
def course(demo):
    course = CourseFactory(title="空调上岗")
    for _ in range(3):
        QuestionFactory(course=course, answer="B")
    return course


def start(api_for, username, course):
    response = api_for(username).post(ATTEMPTS, {"course": course.pk}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_course_and_its_questions_never_show_the_answers(api_for, course):
    """PPL-4: an engineer reads the course and its questions, never the correct answers."""
    client = api_for("xuhui_engineer")
    [row] = client.get("/api/v1/courses/").json()["results"]
    assert row["title"] == "空调上岗" and row["question_count"] == 3 and row["pass_mark"] == 80
    questions = client.get(f"/api/v1/courses/{course.pk}/questions/").json()
    assert len(questions) == 3 and all("answer" not in q for q in questions)
    assert api_for("sales_rep").get("/api/v1/courses/").status_code == 403


def test_submit_returns_score_and_passed_and_a_sent_score_is_ignored(api_for, users, course):
    """PPL-4: the system scores the answers; a `score` in the body changes nothing."""
    attempt = start(api_for, "xuhui_engineer", course)
    assert attempt["status"] == "started" and attempt["score"] is None
    assert [q for q in attempt["questions"] if "answer" in q] == []
    answers = {str(q["id"]): "C" for q in attempt["questions"]}
    response = api_for("xuhui_engineer").post(
        f"{ATTEMPTS}{attempt['id']}/submit/", {"answers": answers, "score": 100, "passed": True}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["score"], body["passed"], body["failure_streak"], body["certification"]) == (0, False, 1, None)

    second = start(api_for, "xuhui_engineer", course)
    answers = {str(q["id"]): "B" for q in second["questions"]}
    body = api_for("xuhui_engineer").post(f"{ATTEMPTS}{second['id']}/submit/", {"answers": answers}, format="json")
    assert (body.json()["score"], body.json()["passed"]) == (100, True)
    certification = Certification.objects.get(pk=body.json()["certification"])
    assert certification.user == users["xuhui_engineer"] and certification.exam_attempt_id == second["id"]


def test_refusals_are_4xx_with_codes(api_for, course):
    """PPL-4: double submit 409, grading a written exam 403/409, bad answers 400, unknown course 404."""
    attempt = start(api_for, "xuhui_engineer", course)
    url = f"{ATTEMPTS}{attempt['id']}/"
    client = api_for("xuhui_engineer")
    bad = client.post(f"{url}submit/", {"answers": {"1": "E"}}, format="json")
    assert bad.status_code == 400
    wrong_question = client.post(f"{url}submit/", {"answers": {"99999999": "A"}}, format="json")
    assert (wrong_question.status_code, wrong_question.json()["code"]) == (400, "exam.answers_invalid")
    assert client.post(f"{url}grade/", {"score": 100}, format="json").status_code == 403
    graded = api_for("hr_trainer").post(f"{url}grade/", {"score": 100}, format="json")
    assert (graded.status_code, graded.json()["code"]) == (409, "exam.not_practical")
    assert client.post(f"{url}submit/", {"answers": {}}, format="json").status_code == 200
    again = client.post(f"{url}submit/", {"answers": {}}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "exam.already_scored")
    missing = client.post(ATTEMPTS, {"course": 99999999}, format="json")
    assert (missing.status_code, missing.json()["code"]) == (404, "course.not_found")
    empty = CourseFactory()
    no_questions = client.post(ATTEMPTS, {"course": empty.pk}, format="json")
    assert (no_questions.status_code, no_questions.json()["code"]) == (409, "course.no_questions")


def test_an_engineer_sees_only_his_own_attempts(api_for, users, course):
    """PPL-4 / INF-1: another engineer's attempt is 404 and absent from the list; HR sees both."""
    mine = start(api_for, "xuhui_engineer", course)
    other = EngineerFactory(username="xuhui_other")
    from salesservice.people import services

    theirs = services.exam_attempt_start(actor=other, course_id=course.pk)
    client = api_for("xuhui_engineer")
    assert [row["id"] for row in client.get(ATTEMPTS).json()["results"]] == [mine["id"]]
    assert client.get(f"{ATTEMPTS}{theirs.pk}/").status_code == 404
    answers = {str(pk): "B" for pk in theirs.question_ids}
    assert client.post(f"{ATTEMPTS}{theirs.pk}/submit/", {"answers": answers}, format="json").status_code == 404
    assert ExamAttempt.objects.get(pk=theirs.pk).status == "started"
    hr_ids = {row["id"] for row in api_for("hr_trainer").get(ATTEMPTS).json()["results"]}
    assert hr_ids == {mine["id"], theirs.pk}
    assert api_for("tianhe_cs").get(ATTEMPTS).json()["results"] == []
    assert api_for("tianhe_cs").get(f"{ATTEMPTS}{mine['id']}/").status_code == 404


def test_practical_assessment_through_the_api(api_for, users, demo):
    """PPL-4: HR starts a practical assessment for an engineer and records the score; a pass certifies."""
    course = CourseFactory(kind="practical", pass_mark=60)
    hr = api_for("hr_trainer")
    response = hr.post(ATTEMPTS, {"course": course.pk, "user": users["xuhui_engineer"].pk}, format="json")
    assert response.status_code == 201
    attempt = response.json()
    graded = hr.post(f"{ATTEMPTS}{attempt['id']}/grade/", {"score": 70, "note": "合格"}, format="json")
    assert graded.status_code == 200 and graded.json()["passed"] is True and graded.json()["certification"]
    assert hr.post(ATTEMPTS, {"course": course.pk}, format="json").json()["code"] == "exam.engineer_required"
