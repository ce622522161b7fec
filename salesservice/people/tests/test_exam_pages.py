"""Training and exam pages (PPL-4): HR manages courses and question banks, the engineer takes the exam on a
page scored by the system, HR reads attempts with filters; workbench panels."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.catalog.tests.factories import CategoryFactory
from salesservice.people import services
from salesservice.people.models import Certification, Course, ExamAttempt

from .factories import CertificationFactory, CourseFactory, EngineerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(demo):
    course = CourseFactory(title="空调上岗培训")
    for _ in range(3):
        QuestionFactory(course=course, answer="B")
    return course


def test_hr_creates_a_course_and_adds_questions(web_for, demo):
    """PPL-2/PPL-4: the course form and the question form on the course page."""
    category = CategoryFactory(name="空调")
    client = web_for("hr_trainer")
    response = client.post(
        "/people/courses/new/",
        {"title": "空调上岗", "category": category.pk, "kind": "written", "validity_months": 24, "pass_mark": 80},
    )
    course = Course.objects.get(title="空调上岗")
    assert response.status_code == 302 and response["Location"] == f"/people/courses/{course.pk}/"
    question = {"text": "先断电？", "option_a": "是", "option_b": "否", "option_c": "看情况", "option_d": "不知道"}
    assert client.post(f"/people/courses/{course.pk}/questions/", {**question, "answer": "A"}).status_code == 302
    refused = client.post(f"/people/courses/{course.pk}/questions/", {**question, "option_d": ""})
    assert refused.status_code == 400
    page = client.get(f"/people/courses/{course.pk}/").content.decode()
    assert "先断电？" in page and 'id="question-form"' in page and "答案 A" in page
    assert web_for("xuhui_engineer").post("/people/courses/new/", {"title": "x"}).status_code == 403


def test_engineer_takes_the_exam_on_a_page_and_a_posted_score_is_ignored(web_for, users, course):
    """PPL-4: the sheet shows no answers; the system scores the chosen options; a pass certifies."""
    client = web_for("xuhui_engineer")
    page = client.get(f"/people/courses/{course.pk}/").content.decode()
    assert 'id="start-exam"' in page and 'id="question-form"' not in page and "答案 B" not in page
    response = client.post(f"/people/courses/{course.pk}/start/")
    attempt = ExamAttempt.objects.get(user=users["xuhui_engineer"])
    assert response["Location"] == f"/people/attempts/{attempt.pk}/"
    sheet = client.get(response["Location"]).content.decode()
    assert 'id="exam-form"' in sheet and "正确答案" not in sheet
    answers = {f"q_{pk}": "B" for pk in attempt.question_ids[:2]}
    client.post(f"/people/attempts/{attempt.pk}/submit/", {**answers, "score": "100"})
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (67, False)
    result = client.get(f"/people/attempts/{attempt.pk}/").content.decode()
    assert 'data-score="67"' in result and "不合格" in result and 'id="exam-form"' not in result

    second = client.post(f"/people/courses/{course.pk}/start/")["Location"]
    pk = int(second.rstrip("/").split("/")[-1])
    ids = ExamAttempt.objects.get(pk=pk).question_ids
    client.post(f"/people/attempts/{pk}/submit/", {f"q_{q}": "B" for q in ids})
    result = client.get(f"/people/attempts/{pk}/").content.decode()
    certification = Certification.objects.get(user=users["xuhui_engineer"], exam_attempt_id=pk)
    assert 'id="certificate-issued"' in result and certification.certificate_no in result


def test_an_engineer_cannot_open_another_engineers_attempt(web_for, course):
    """PPL-4 / INF-1: another's attempt page (and its answers) is 404."""
    other = EngineerFactory()
    attempt = services.exam_attempt_start(actor=other, course_id=course.pk)
    client = web_for("xuhui_engineer")
    assert client.get(f"/people/attempts/{attempt.pk}/").status_code == 404
    assert client.post(f"/people/attempts/{attempt.pk}/submit/", {}).status_code == 404
    assert web_for("hr_trainer").get(f"/people/attempts/{attempt.pk}/").status_code == 200


def table(response) -> str:
    return response.content.decode().split('data-testid="list-table"', 1)[1].split("</table>", 1)[0]


def test_attempt_list_filters_for_hr_and_own_rows_for_the_engineer(web_for, users, course):
    """PPL-4: HR filters attempts by result; an engineer's list holds only his own."""
    other = EngineerFactory(display_name="周见习")
    mine = services.exam_attempt_start(actor=users["xuhui_engineer"], course_id=course.pk)
    services.exam_attempt_submit(actor=users["xuhui_engineer"], attempt_id=mine.pk, answers={})
    services.exam_attempt_start(actor=other, course_id=course.pk)
    hr = table(web_for("hr_trainer").get("/people/attempts/?passed=false"))
    assert "赵工" in hr and "周见习" not in hr
    assert "周见习" in table(web_for("hr_trainer").get("/people/attempts/?status=started"))
    own = table(web_for("xuhui_engineer").get("/people/attempts/"))
    assert "赵工" in own and "周见习" not in own
    assert web_for("sales_rep").get("/people/attempts/").status_code == 403


def test_practical_assessment_pages(web_for, users, demo):
    """PPL-4: HR starts a practical assessment from the course page and records the score on the attempt."""
    course = CourseFactory(kind="practical", pass_mark=60)
    client = web_for("hr_trainer")
    response = client.post(f"/people/courses/{course.pk}/start/", {"user": users["xuhui_engineer"].pk})
    attempt = ExamAttempt.objects.get(course=course)
    assert response["Location"] == f"/people/attempts/{attempt.pk}/"
    assert 'id="grade-form"' in client.get(response["Location"]).content.decode()
    workbench = client.get("/").content.decode()
    assert "panel-attempts-to-grade" in workbench
    client.post(f"/people/attempts/{attempt.pk}/grade/", {"score": "90", "note": "拆装规范"})
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed, attempt.note) == (90, True, "拆装规范")


def test_workbench_panels(web_for, users, course):
    """PPL-4: HR sees certificates ending within 30 days; an engineer the exams he may take."""
    CertificationFactory(
        user=users["xuhui_engineer"],
        certificate_no="SG-ENDING",
        valid_until=timezone.localdate() + dt.timedelta(days=9),
    )
    hr = web_for("hr_trainer").get("/").content.decode()
    assert "panel-certificates-expiring" in hr and "SG-ENDING" in hr
    engineer = web_for("xuhui_engineer").get("/").content.decode()
    assert "panel-exams-available" in engineer and "空调上岗培训" in engineer
