"""Compliance evidence of returns (issue 16 §4): RET-1 — every return request answered by the published return policy,
with the rule cited to the customer; the windows in force are shown with it."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.evidence import MET, NO_DATA, SHORT, Period
from salesservice.dashboards.compliance import compliance_report

from .. import evidence
from ..models import ReturnRequest
from .factories import make_return

pytestmark = pytest.mark.django_db


def _period(unit=None) -> Period:
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=1), today, unit)


def test_ret1_requests_answered_by_the_published_policy(demo):
    """RET-1: a request answered by the rules (rule cited) is met, with the 7-day window in force shown; one without
    the rule's answer is short and listed; none → no_data (a policy alone is not evidence it was applied)."""
    assert evidence.answered_by_published_policy(_period()).status == NO_DATA
    make_return()
    item = evidence.answered_by_published_policy(_period())
    figures = {figure.label: figure.value for figure in item.figures}
    assert item.status == MET and figures["无理由退货期（远程销售）"] == 7
    assert "requested_after=" in item.records_url

    uncited = make_return()
    ReturnRequest.objects.filter(pk=uncited.pk).update(rule_cited="")
    item = evidence.answered_by_published_policy(_period())
    assert item.status == SHORT and [link.label for link in item.shortfalls] == [uncited.number]
    assert compliance_report(_period(), only={"RET-1"}).results[0].status == SHORT
    assert evidence.answered_by_published_policy(_period(demo["gz-tianhe"])).status == NO_DATA
    store = demo["sh-xuhui"]
    assert f"store={store.pk}" in evidence.answered_by_published_policy(_period(store)).records_url
