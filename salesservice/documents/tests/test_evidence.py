"""DOC-1 evidence for the compliance report: policy changes backed by approved document versions (none
violating), issued versions acknowledged (rate), documents issued (count) — met, short, or no_data."""

import datetime as dt

from django.utils import timezone

from salesservice.core.evidence import MET, NO_DATA, SHORT, Period
from salesservice.core.models import PolicyParameter, PolicyValue
from salesservice.core.policy import policy_set

from .. import services
from ..evidence import documents_issued, issued_versions_acknowledged, policy_changes_backed_by_documents
from ..testing import approved_version
from .factories import issued, user


def _period(days_after: int = 0) -> Period:
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=30), today + dt.timedelta(days=days_after))


def _figures(evidence) -> dict:
    return {figure.label: figure.value for figure in evidence.figures}


def test_no_records_is_no_data_never_met():
    period = _period()
    assert policy_changes_backed_by_documents(period).status == NO_DATA
    assert issued_versions_acknowledged(period).status == NO_DATA
    assert documents_issued(period).status == NO_DATA


def test_policy_changes_met_when_each_cites_an_approved_version_short_otherwise():
    policy_set(
        actor=user("admin"),
        key="returns.no_reason_days",
        value=10,
        reason="延长",
        document_version=approved_version("RET-1"),
    )
    evidence = policy_changes_backed_by_documents(_period())
    assert evidence.status == MET and _figures(evidence)["检查记录数"] == 1
    # a value written around the rule (an import, an admin edit) is found
    parameter = PolicyParameter.objects.get(key="returns.handling_hours")
    PolicyValue.objects.create(parameter=parameter, number=2, value="24", effective_from=timezone.now(), reason="绕过")
    evidence = policy_changes_backed_by_documents(_period())
    assert evidence.status == SHORT and evidence.shortfall_count == 1
    assert _figures(evidence) == {"检查记录数": 2, "违反": 1}
    assert evidence.shortfalls[0].label.startswith(parameter.name)


def test_acknowledgement_rate_counts_those_past_the_reminder_period():
    version = issued()  # three concerned users
    assert issued_versions_acknowledged(_period()).status == NO_DATA  # not yet due: issued today
    services.version_acknowledge(actor=user("xuhui_cs"), version_id=version.pk)
    services.version_acknowledge(actor=user("tianhe_cs"), version_id=version.pk)
    from ..models import DocumentVersion

    DocumentVersion.objects.filter(pk=version.pk).update(issued_at=timezone.now() - dt.timedelta(days=5))
    evidence = issued_versions_acknowledged(_period())
    assert evidence.status == SHORT
    assert _figures(evidence)["记录数"] == 3 and _figures(evidence)["已确认阅读"] == 2
    assert "张徐汇" in evidence.shortfalls[0].label
    services.version_acknowledge(actor=user("xuhui_manager"), version_id=version.pk)
    assert issued_versions_acknowledged(_period()).status == MET


def test_documents_issued_in_the_period_are_counted():
    issued()
    issued(code="SS-QP-102")
    evidence = documents_issued(_period())
    assert evidence.status == MET and _figures(evidence)["记录数"] == 2
    old = Period(dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert documents_issued(old).status == NO_DATA
