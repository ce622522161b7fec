"""Compliance evidence of follow-ups and satisfaction (issue 16 §4): FBK-1 (follow-ups record satisfaction and
opinions; due ones reminded; completed against the coverage target), FBK-3 (evaluations received by channel),
FBK-4 (satisfaction by channel) — met with records, short with the offending follow-up listed, no_data without."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.evidence import MET, NO_DATA, SHORT, Period
from salesservice.dashboards.compliance import compliance_report

from .. import evidence, services, survey_services
from ..models import FollowUp
from ..scheduling import follow_up_send_reminders
from .factories import answers_for, follow_up, invitation, store, user

pytestmark = pytest.mark.django_db


def _period(unit=None) -> Period:
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=3), today, unit)


def _figures(item) -> dict:
    return {figure.label: figure.value for figure in item.figures}


def _complete(item, *, satisfaction=5, channel="phone"):
    return services.follow_up_complete(
        actor=user("xuhui_cs"), follow_up_id=item.pk, outcome="客户满意", satisfaction=satisfaction, channel=channel
    )


def test_fbk1_completed_follow_ups_record_satisfaction_and_opinions(demo):
    """FBK-1 record: a completed follow-up with outcome and satisfaction is met; one whose outcome is missing → short."""
    assert evidence.follow_ups_record_satisfaction_and_opinions(_period()).status == NO_DATA
    _complete(follow_up())
    assert evidence.follow_ups_record_satisfaction_and_opinions(_period()).status == MET
    blank = _complete(follow_up())
    FollowUp.objects.filter(pk=blank.pk).update(outcome="")
    item = evidence.follow_ups_record_satisfaction_and_opinions(_period())
    assert item.status == SHORT and [link.label for link in item.shortfalls] == [blank.number]


def test_fbk1_due_follow_ups_are_reminded(demo):
    """FBK-1 remind: a follow-up due 5 h ago and not yet made, never reminded → short, listed; the reminder job
    runs → met. One completed before it fell due needs no reminder (no_data alone)."""
    assert evidence.due_follow_ups_reminded(_period()).status == NO_DATA
    early = follow_up(assignee=user("xuhui_cs"), due_at=timezone.now() - dt.timedelta(hours=5))
    FollowUp.objects.filter(pk=early.pk).update(completed_at=timezone.now() - dt.timedelta(hours=6), status="done")
    assert evidence.due_follow_ups_reminded(_period()).status == NO_DATA

    late = follow_up(assignee=user("xuhui_cs"), due_at=timezone.now() - dt.timedelta(hours=5))
    item = evidence.due_follow_ups_reminded(_period())
    assert item.status == SHORT and [link.label for link in item.shortfalls] == [late.number]
    assert follow_up_send_reminders() == 1
    assert evidence.due_follow_ups_reminded(_period()).status == MET


def test_fbk1_due_follow_ups_completed_against_the_coverage_target(demo):
    """FBK-1 measure: of the follow-ups due, the share completed against `feedback.follow_up_coverage_target`
    (100 %): one due and not made → short 0 %; made → met 100 %. Not yet due → not counted. Through the report."""
    follow_up(due_at=timezone.now() + dt.timedelta(days=1))
    assert evidence.due_follow_ups_completed(_period()).status == NO_DATA
    due = follow_up(assignee=user("xuhui_cs"), due_at=timezone.now() - dt.timedelta(hours=1))
    item = evidence.due_follow_ups_completed(_period())
    assert item.status == SHORT and _figures(item)["目标"] == 100 and item.shortfalls[0].label == due.number
    assert compliance_report(_period(), only={"FBK-1"}).results[0].status == SHORT
    _complete(due)
    item = evidence.due_follow_ups_completed(_period())
    assert item.status == MET and _figures(item)["比例"] == 100


def test_fbk3_evaluations_received_by_channel(demo):
    """FBK-3: no evaluation → no_data; an answered questionnaire, a suggestion-box entry and a follow-up call → met,
    each channel counted."""
    assert evidence.evaluations_by_channel(_period()).status == NO_DATA
    sent = invitation()
    survey_services.survey_submit(sent.token, answers_for(sent.link.template))
    services.suggestion_submit(name="王先生", store=store(), kind="praise", text="师傅很专业", rating=5)
    _complete(follow_up())
    item = evidence.evaluations_by_channel(_period())
    figures = _figures(item)
    assert item.status == MET and figures["记录数"] == 3
    assert (figures["满意度问卷答复（在线）"], figures["回访（电话等）"], figures["意见箱·表扬"]) == (1, 1, 1)
    assert compliance_report(_period(), only={"FBK-3"}).results[0].status == MET
    assert evidence.evaluations_by_channel(_period(demo["gz-tianhe"])).status == NO_DATA


def test_fbk4_satisfaction_by_channel(demo):
    """FBK-4: satisfaction per channel — questionnaire 5 (100 %), phone follow-up 2 (0 %), suggestion box 4 (100 %);
    no target parameter, so the figures are the evidence; none → no_data."""
    assert evidence.satisfaction_by_channel(_period()).status == NO_DATA
    sent = invitation()
    survey_services.survey_submit(sent.token, answers_for(sent.link.template, rating=5, nps=10))
    _complete(follow_up(), satisfaction=2)
    services.suggestion_submit(name="李女士", store=store(), kind="suggestion", text="希望延长营业时间", rating=4)
    item = evidence.satisfaction_by_channel(_period())
    figures = _figures(item)
    assert item.status == MET and figures["记录数"] == 3
    assert figures["问卷：满意率"] == 100 and figures["回访·电话：满意率"] == 0
    assert figures["意见箱/在线评价：满意率"] == 100 and figures["问卷 NPS"] == 100
    assert compliance_report(_period(), only={"FBK-4"}).results[0].status == MET
