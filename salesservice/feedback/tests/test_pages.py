"""Staff pages (scoped, actions, query counts) and the workbench panel."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.matrix import Matrix, check_page

from .. import survey_services as surveys
from ..choices import FollowUpStatus
from ..models import FollowUp, SurveyTemplate
from ..scheduling import follow_up_schedule_for_closed_requests
from ..services import suggestion_submit
from .factories import answers_for, closed_request, follow_up, invitation, store

pytestmark = pytest.mark.django_db


def test_follow_up_pages_are_scoped(demo, client, users):
    fu = follow_up("sh-xuhui")
    check_page(
        Matrix(
            url=reverse("feedback:follow-up-detail", args=[fu.pk]),
            permitted="xuhui_cs",
            out_of_scope="tianhe_cs",
            no_permission="sales_rep",
        ),
        client,
        users,
    )
    client.force_login(users["tianhe_cs"])
    listing = client.get(reverse("feedback:follow-ups"))
    assert listing.status_code == 200 and fu.number not in listing.content.decode()
    client.force_login(users["xuhui_cs"])
    assert fu.number in client.get(reverse("feedback:follow-ups")).content.decode()


def test_follow_up_list_marks_overdue_and_exports(demo, web_for):
    late = follow_up(due_at=timezone.now() - dt.timedelta(hours=3))
    web = web_for("xuhui_cs")
    page = web.get(reverse("feedback:follow-ups") + "?overdue=true").content.decode()
    assert late.number in page and "follow-up-overdue" in page
    export = web.get(reverse("feedback:follow-ups") + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_follow_up_list_query_count_does_not_grow(demo, web_for):
    for _ in range(2):
        closed_request()
    follow_up_schedule_for_closed_requests()
    web = web_for("xuhui_cs")
    web.get(reverse("feedback:follow-ups"))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert web.get(reverse("feedback:follow-ups")).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(5):
        closed_request()
    follow_up_schedule_for_closed_requests()
    assert queries() == few


def test_attempt_and_complete_forms(demo, web_for):
    fu = follow_up()
    web = web_for("xuhui_cs")
    page = web.get(reverse("feedback:follow-up-detail", args=[fu.pk])).content.decode()
    assert 'id="attempt-form"' in page and 'id="complete-form"' in page
    web.post(reverse("feedback:follow-up-action", args=[fu.pk, "attempt"]), {"channel": "phone", "note": "无人接听"})
    fu.refresh_from_db()
    assert fu.attempt_count == 1
    refused = web.post(
        reverse("feedback:follow-up-action", args=[fu.pk, "complete"]),
        {"channel": "phone", "outcome": "", "satisfaction": "5", "version": fu.version},
        follow=True,
    )
    assert "请填写回访结果" in refused.content.decode()
    assert FollowUp.objects.get(pk=fu.pk).status == FollowUpStatus.SCHEDULED
    done = web.post(
        reverse("feedback:follow-up-action", args=[fu.pk, "complete"]),
        {
            "channel": "phone",
            "outcome": "客户满意",
            "satisfaction": "4",
            "issues_raised": "希望上门前电话",
            "version": fu.version,
        },
        follow=True,
    )
    assert "已完成回访" in done.content.decode()
    assert FollowUp.objects.get(pk=fu.pk).status == FollowUpStatus.DONE
    opened = web.post(
        reverse("feedback:follow-up-action", args=[fu.pk, "open-request"]),
        {"description": "希望上门前电话"},
        follow=True,
    )
    assert "已转为服务单" in opened.content.decode()


def test_out_of_scope_action_is_404(demo, web_for):
    fu = follow_up()
    response = web_for("tianhe_cs").post(
        reverse("feedback:follow-up-action", args=[fu.pk, "attempt"]), {"channel": "phone"}
    )
    assert response.status_code == 404


def test_coverage_page(demo, web_for):
    closed_request()
    follow_up_schedule_for_closed_requests()
    page = web_for("xuhui_manager").get(reverse("feedback:coverage")).content.decode()
    assert 'id="coverage-chart"' in page and 'id="coverage-data"' in page and "上海徐汇店" in page
    assert 'id="total-coverage">0.0%' in page


def test_dashboard_shows_answers_in_scope(demo, web_for):
    sent = invitation("sh-xuhui")
    surveys.survey_submit(sent.token, answers_for(sent.link.template, rating=5, nps=10, text="工程师非常专业"))
    other = invitation("gz-tianhe")
    surveys.survey_submit(other.token, answers_for(other.link.template, rating=1, nps=0, text="天河的意见"))
    page = web_for("xuhui_cs").get(reverse("feedback:dashboard")).content.decode()
    for element in ('id="csat-chart"', 'id="nps-chart"', 'id="latest-responses"', 'id="dashboard-data"'):
        assert element in page
    assert "工程师非常专业" in page and "天河的意见" not in page
    assert 'id="overall-csat">100.0%' in page and 'id="overall-nps">100.0' in page
    assert web_for("sales_rep").get(reverse("feedback:dashboard")).status_code == 403


def test_dashboard_query_count_does_not_grow(demo, web_for):
    web = web_for("hq_service_manager")
    for _ in range(2):
        sent = invitation()
        surveys.survey_submit(sent.token, answers_for(sent.link.template))
    web.get(reverse("feedback:dashboard"))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert web.get(reverse("feedback:dashboard")).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(5):
        sent = invitation()
        surveys.survey_submit(sent.token, answers_for(sent.link.template))
    assert queries() == few


def test_template_pages_and_revision_from_the_form(demo, web_for):
    sent = invitation()
    surveys.survey_submit(sent.token, answers_for(sent.link.template))
    template = sent.link.template
    web = web_for("hq_service_manager")
    assert template.name in web.get(reverse("feedback:templates")).content.decode()
    page = web.get(reverse("feedback:template-detail", args=[template.pk])).content.decode()
    assert 'id="template-form"' in page
    response = web.post(
        reverse("feedback:template-detail", args=[template.pk]),
        {
            "version": template.version,
            "name": template.name,
            "q-0-kind": "rating_1_5",
            "q-0-text": "总体满意度",
            "q-0-required": "on",
            "q-1-kind": "",
            "q-1-text": "",
        },
        follow=True,
    )
    assert "已生成新版本" in response.content.decode()
    assert SurveyTemplate.objects.filter(key=template.key).count() == 2
    assert web_for("xuhui_cs").post(reverse("feedback:template-detail", args=[template.pk]), {}).status_code == 403


def test_suggestion_list_and_triage_page(demo, web_for, client, users):
    entry = suggestion_submit(name="王女士", store=store("sh-xuhui"), kind="praise", text="店员服务很周到", rating=5)
    check_page(
        Matrix(
            url=reverse("feedback:suggestion-detail", args=[entry.pk]),
            permitted="xuhui_cs",
            out_of_scope="tianhe_cs",
            no_permission="sales_rep",
        ),
        client,
        users,
    )
    web = web_for("xuhui_cs")
    assert entry.number in web.get(reverse("feedback:suggestions")).content.decode()
    web.post(
        reverse("feedback:suggestion-detail", args=[entry.pk]),
        {"decision": "suggestion", "note": "表扬转门店", "version": entry.version},
    )
    entry.refresh_from_db()
    assert entry.status == "triaged_suggestion"


def test_workbench_shows_my_due_follow_ups(demo, web_for):
    request = closed_request(closed_at=timezone.now() - dt.timedelta(days=3))
    follow_up_schedule_for_closed_requests()
    fu = FollowUp.objects.get(service_request=request)
    page = web_for("xuhui_cs").get(reverse("core:workbench")).content.decode()
    assert 'id="panel-my-follow-ups"' in page and fu.number in page
