"""API: follow-ups (list/create/retrieve, attempt/complete/close), surveys (create, new-version),
survey responses (scoped, with answers), suggestions (triage), coverage and metrics — scoping and
query counts included."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.matrix import Matrix, check_api

from .. import survey_services as surveys
from ..models import FollowUp, SurveyTemplate
from ..scheduling import follow_up_schedule_for_closed_requests
from ..services import suggestion_submit
from .factories import answers_for, closed_request, follow_up, invitation, store

pytestmark = pytest.mark.django_db


def test_follow_up_happy_path(demo, api_for):
    request = closed_request()
    cs = api_for("xuhui_cs")
    created = cs.post(
        "/api/v1/follow-ups/",
        {
            "customer": request.customer_id,
            "kind": "after_service",
            "service_request": request.pk,
            "due_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="fu-1",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (
        body["number"].startswith("FU-") and body["status"] == "scheduled" and body["source_number"] == request.number
    )
    url = f"/api/v1/follow-ups/{body['id']}/"

    attempt = cs.post(url + "attempt/", {"channel": "phone", "reached": False, "note": "无人接听"}, format="json")
    assert attempt.status_code == 200 and attempt.json()["attempt_count"] == 1
    done = cs.post(
        url + "complete/", {"outcome": "已修好", "satisfaction": 5, "version": attempt.json()["version"]}, format="json"
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done" and len(done.json()["attempts"]) == 2
    again = cs.post(url + "complete/", {"outcome": "x", "satisfaction": 5}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "follow_up.not_open"
    closed = cs.post(url + "close/", {}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    duplicate = cs.post(
        "/api/v1/follow-ups/",
        {
            "customer": request.customer_id,
            "kind": "after_service",
            "service_request": request.pk,
            "due_at": timezone.now().isoformat(),
        },
        format="json",
    )
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "follow_up.duplicate"


def test_follow_up_bad_input_is_a_clear_400(demo, api_for):
    fu = follow_up()
    response = api_for("xuhui_cs").post(
        f"/api/v1/follow-ups/{fu.pk}/complete/", {"outcome": "", "satisfaction": 9}, format="json"
    )
    assert response.status_code == 400 and set(response.json()["fields"]) >= {"satisfaction"}
    fu.refresh_from_db()
    assert fu.status == "scheduled"


def test_follow_ups_are_scoped(demo, api_for):
    fu = follow_up("sh-xuhui")
    check_api(
        Matrix(
            url=f"/api/v1/follow-ups/{fu.pk}/",
            permitted="xuhui_cs",
            out_of_scope="tianhe_cs",
            no_permission="sales_rep",
        ),
        api_for,
    )
    assert api_for("tianhe_cs").get("/api/v1/follow-ups/").json()["results"] == []
    refused = api_for("tianhe_cs").post(
        f"/api/v1/follow-ups/{fu.pk}/attempt/", {"channel": "phone", "reached": True}, format="json"
    )
    assert refused.status_code == 404
    assert [row["id"] for row in api_for("auditor").get("/api/v1/follow-ups/").json()["results"]] == [fu.pk]


def test_follow_up_list_query_count_does_not_grow(demo, api_for):
    for _ in range(2):
        closed_request()
    follow_up_schedule_for_closed_requests()
    client = api_for("hq_service_manager")
    client.get("/api/v1/follow-ups/")  # warm caches (content types, permissions)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/follow-ups/?page_size=50").status_code == 200
        return len(captured)

    few = queries()
    for _ in range(6):
        closed_request()
    follow_up_schedule_for_closed_requests()
    assert FollowUp.objects.count() == 8
    assert queries() == few


def test_survey_templates_and_new_version(demo, api_for):
    manager = api_for("hq_service_manager")
    created = manager.post(
        "/api/v1/surveys/",
        {
            "key": "delivery",
            "name": "交付满意度",
            "questions": [
                {"kind": "rating_1_5", "text": "送货是否准时？"},
                {"kind": "single_choice", "text": "送货方式", "options": ["自提", "送货上门"], "required": False},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    template_id = created.json()["id"]
    assert [q["kind"] for q in created.json()["questions"]] == ["rating_1_5", "single_choice"]
    assert (
        api_for("xuhui_cs")
        .post("/api/v1/surveys/", {"key": "x", "name": "x", "questions": []}, format="json")
        .status_code
        == 403
    )
    assert api_for("xuhui_cs").get("/api/v1/surveys/").status_code == 200

    sent = surveys.survey_link_create(
        actor=None, customer=closed_request().customer, template=SurveyTemplate.objects.get(pk=template_id)
    )
    surveys.survey_submit(sent.token, {f"q{q.pk}": 5 for q in sent.link.template.questions.filter(kind="rating_1_5")})
    revised = manager.post(
        f"/api/v1/surveys/{template_id}/new-version/",
        {"questions": [{"kind": "nps_0_10", "text": "推荐度"}]},
        format="json",
    )
    assert revised.status_code == 200 and revised.json()["revision"] == 2 and revised.json()["id"] != template_id
    old = manager.get(f"/api/v1/surveys/{template_id}/").json()
    assert old["is_current"] is False and len(old["questions"]) == 2


def test_survey_responses_are_scoped_and_carry_answers(demo, api_for):
    xuhui = invitation("sh-xuhui")
    tianhe = invitation("gz-tianhe")
    for sent in (xuhui, tianhe):
        surveys.survey_submit(sent.token, answers_for(sent.link.template, rating=4, nps=8))
    rows = api_for("xuhui_cs").get("/api/v1/survey-responses/").json()["results"]
    assert [row["store"] for row in rows] == [store("sh-xuhui").pk]
    assert {a["kind"] for a in rows[0]["answers"]} == {"rating_1_5", "nps_0_10", "single_choice", "text"}
    tianhe_response = tianhe.link.response
    assert api_for("xuhui_cs").get(f"/api/v1/survey-responses/{tianhe_response.pk}/").status_code == 404
    assert len(api_for("hq_service_manager").get("/api/v1/survey-responses/").json()["results"]) == 2


def test_suggestions_list_and_triage(demo, api_for):
    entry = suggestion_submit(
        name="王女士", phone="13812345678", store=store("sh-xuhui"), kind="suggestion", text="希望周末延长营业时间"
    )
    cs = api_for("xuhui_cs")
    rows = cs.get("/api/v1/suggestions/").json()["results"]
    assert [row["number"] for row in rows] == [entry.number] and rows[0]["phone"] == "138****5678"
    assert api_for("tianhe_cs").get(f"/api/v1/suggestions/{entry.pk}/").status_code == 404
    triaged = cs.post(
        f"/api/v1/suggestions/{entry.pk}/triage/", {"decision": "suggestion", "note": "转门店讨论"}, format="json"
    )
    assert triaged.status_code == 200 and triaged.json()["status"] == "triaged_suggestion"
    closed = cs.post(f"/api/v1/suggestions/{entry.pk}/triage/", {"decision": "close"}, format="json")
    assert closed.json()["status"] == "closed"
    again = cs.post(f"/api/v1/suggestions/{entry.pk}/triage/", {"decision": "suggestion"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "status.invalid_transition"


def test_suggestion_converted_into_a_complaint(demo, api_for):
    from ..services import complaint_create_function

    if complaint_create_function() is None:
        pytest.skip("no complaints app")
    entry = suggestion_submit(
        name="李先生", phone="13900001111", store=store("sh-xuhui"), kind="complaint", text="店员态度恶劣"
    )
    response = api_for("xuhui_manager").post(
        f"/api/v1/suggestions/{entry.pk}/triage/", {"decision": "complaint"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "converted_to_complaint" and body["complaint_number"]


def test_coverage_report_numbers(demo, api_for):
    """FBK-2: 3 closed in 徐汇, 1 followed up → 33.3 % against 100 %; tianhe sees only its own store."""
    for _ in range(3):
        closed_request("sh-xuhui")
    closed_request("gz-tianhe")
    follow_up_schedule_for_closed_requests()
    from .. import services
    from .factories import user

    first = FollowUp.objects.filter(store__code="sh-xuhui").first()
    services.follow_up_complete(actor=user("xuhui_cs"), follow_up_id=first.pk, outcome="满意", satisfaction=5)

    report = api_for("hq_service_manager").get("/api/v1/feedback/coverage/").json()
    assert report["target"] == "100.0"
    assert report["total"] == {"closed": 4, "scheduled": 4, "done": 1, "coverage": "25.0", "meets_target": False}
    by_store = {row["store"]: row for row in report["stores"]}
    assert by_store["上海徐汇店"]["closed"] == 3 and by_store["上海徐汇店"]["done"] == 1
    assert by_store["上海徐汇店"]["coverage"] == "33.3"
    assert sum(row["closed"] for row in report["weeks"]) == 4 and report["weeks"][0]["week"].count("-W") == 1
    own = api_for("tianhe_cs").get("/api/v1/feedback/coverage/").json()
    assert [row["store"] for row in own["stores"]] == ["广州天河店"] and own["total"]["closed"] == 1
    bad = api_for("hq_service_manager").get("/api/v1/feedback/coverage/?start=2026-13-01")
    assert bad.status_code == 400


def test_metrics_api(demo, api_for):
    for rating, nps in ((5, 10), (4, 9), (2, 3)):
        sent = invitation()
        surveys.survey_submit(sent.token, answers_for(sent.link.template, rating=rating, nps=nps))
    body = api_for("xuhui_cs").get("/api/v1/feedback/metrics/").json()
    assert body["overall"]["csat"]["csat"] == "66.7" and body["overall"]["csat"]["average"] == "3.67"
    assert body["overall"]["nps"]["nps"] == "33.3"
    assert len(body["by_month"]) == 1 and body["by_store"][0]["label"] == "上海徐汇店"
    empty = api_for("tianhe_cs").get("/api/v1/feedback/metrics/").json()
    assert empty["overall"]["csat"]["csat"] is None and empty["overall"]["nps"]["nps"] is None
    assert api_for("sales_rep").get("/api/v1/feedback/metrics/").status_code == 403
