"""Supervision services: the check → finding → rectify → verify → close loop (SUV-1, SUV-2, SUV-3), the
refusals, the reminders (SUV-2) and the COM-1 escalation."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.exceptions import DomainError, InvalidTransition, NotFoundError, PermissionDeniedError
from salesservice.core.models import Event, Notification

from .. import services
from ..choices import CheckMethod, CheckStatus, EventType, FindingStatus, IssueStatus
from ..errors import SupervisionErrorCode as E
from .factories import completed_check_with_failure, planned_check, store_manager_of, unit, user


def _events(obj):
    from django.contrib.contenttypes.models import ContentType

    return Event.objects.filter(target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk)


def test_loop_failed_item_finding_rectify_verify_close(django_capture_on_commit_callbacks):
    """SUV-1 / SUV-2: a failed checklist item raises a finding owned by the store manager; the owner rectifies,
    the auditor verifies and closes."""
    with django_capture_on_commit_callbacks(execute=True):
        check, finding = completed_check_with_failure()
    assert check.status == CheckStatus.COMPLETED
    assert finding.status == FindingStatus.OPEN and finding.owner == user("xuhui_manager")
    assert "未说明保修期起算日" in finding.description
    assert Notification.objects.filter(recipient=user("xuhui_manager"), url__contains=str(finding.pk)).exists()

    services.finding_rectify(actor=user("xuhui_manager"), finding_id=finding.pk, rectification="已组织全员培训")
    services.finding_verify(actor=user("auditor"), finding_id=finding.pk, passed=True, note="复查合格")
    services.finding_close(actor=user("auditor"), finding_id=finding.pk)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED and finding.verified_by == user("auditor")
    kinds = set(_events(finding).values_list("event_type", flat=True))
    assert {EventType.FINDING_RAISED, EventType.FINDING_RECTIFIED, EventType.FINDING_VERIFIED} <= kinds


def test_close_before_verification_is_refused():
    """SUV-2: a finding cannot close without verification."""
    _check, finding = completed_check_with_failure()
    with pytest.raises(InvalidTransition) as caught:
        services.finding_close(actor=user("auditor"), finding_id=finding.pk)
    assert caught.value.code == "status.invalid_transition"
    services.finding_rectify(actor=user("xuhui_manager"), finding_id=finding.pk, rectification="已整改")
    with pytest.raises(InvalidTransition):
        services.finding_close(actor=user("auditor"), finding_id=finding.pk)


def test_owner_cannot_verify_own_rectification():
    """SUV-2: the owner (here the region manager, who may verify) cannot verify what they rectified."""
    _check, finding = completed_check_with_failure(owner=user("east_manager"))
    services.finding_rectify(actor=user("east_manager"), finding_id=finding.pk, rectification="已整改")
    with pytest.raises(PermissionDeniedError) as caught:
        services.finding_verify(actor=user("east_manager"), finding_id=finding.pk, passed=True)
    assert caught.value.code == E.SELF_VERIFICATION


def test_only_the_owner_rectifies():
    """SUV-2: the owner records the rectification."""
    _check, finding = completed_check_with_failure(owner=user("east_manager"))
    with pytest.raises(PermissionDeniedError) as caught:
        services.finding_rectify(actor=user("xuhui_manager"), finding_id=finding.pk, rectification="x")
    assert caught.value.code == E.NOT_OWNER


def test_failed_verification_reopens_with_a_note():
    """SUV-2: a verification that fails sends the finding back to open, with the reason."""
    _check, finding = completed_check_with_failure()
    services.finding_rectify(actor=user("xuhui_manager"), finding_id=finding.pk, rectification="已整改")
    with pytest.raises(DomainError) as caught:
        services.finding_verify(actor=user("auditor"), finding_id=finding.pk, passed=False, note="")
    assert caught.value.code == E.VERIFICATION_NOTE_REQUIRED
    services.finding_verify(actor=user("auditor"), finding_id=finding.pk, passed=False, note="复查仍不合格")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN and finding.verification_note == "复查仍不合格"


def test_complete_requires_every_item_and_a_note_on_failures():
    """SUV-2: every item answered; a failed item needs a note."""
    auditor = user("auditor")
    check = planned_check()
    services.check_start(actor=auditor, check_id=check.pk)
    first, second = check.items.order_by("position")
    with pytest.raises(DomainError) as caught:
        services.check_complete(actor=auditor, check_id=check.pk, results=[{"item": first.pk, "result": "pass"}])
    assert caught.value.code == E.CHECKLIST_INCOMPLETE
    with pytest.raises(DomainError) as caught:
        services.check_complete(
            actor=auditor,
            check_id=check.pk,
            results=[{"item": first.pk, "result": "pass"}, {"item": second.pk, "result": "fail"}],
        )
    assert caught.value.code == E.FAIL_NOTE_REQUIRED


def test_store_manager_spot_checks_only_in_its_store():
    """SUV-3: the store manager performs spot checks in its store; no other method, no other store."""
    manager = user("xuhui_manager")
    check = planned_check(actor=manager, method=CheckMethod.SPOT_CHECK)
    services.check_start(actor=manager, check_id=check.pk)
    with pytest.raises(PermissionDeniedError) as caught:
        planned_check(actor=manager, method=CheckMethod.MYSTERY_SHOPPING)
    assert caught.value.code == E.METHOD_NOT_ALLOWED
    with pytest.raises(DomainError) as caught:
        planned_check(actor=manager, store="gz-tianhe", method=CheckMethod.SPOT_CHECK)
    assert caught.value.code == E.UNIT_OUT_OF_SCOPE


def test_finding_of_another_store_is_not_found_for_a_store_manager():
    """SUV-2 / INF-1 scoping: a finding of 上海徐汇店 is invisible to another store's manager."""

    _check, finding = completed_check_with_failure()
    other = store_manager_of("gz-tianhe")
    with pytest.raises(NotFoundError):
        services.finding_rectify(actor=other, finding_id=finding.pk, rectification="x")


def test_reminders_are_sent_once_a_day():
    """SUV-2: owners of findings due within 2 days or overdue are reminded once a day each."""
    today = timezone.localdate()
    _c, due_soon = completed_check_with_failure(deadline=today + dt.timedelta(days=2))
    _c, later = completed_check_with_failure(deadline=today + dt.timedelta(days=10))
    owner = user("xuhui_manager")
    before = Notification.objects.filter(recipient=owner).count()
    assert services.findings_remind(today=today) == 1
    assert services.findings_remind(today=today) == 0
    assert Notification.objects.filter(recipient=owner).count() == before + 1
    # three days later the first is overdue: reminded again that day, once
    assert services.findings_remind(today=today + dt.timedelta(days=3)) == 1
    assert services.findings_remind(today=today + dt.timedelta(days=3)) == 0
    assert _events(due_soon).filter(event_type=EventType.FINDING_REMINDED).count() == 2
    assert not _events(later).filter(event_type=EventType.FINDING_REMINDED).exists()


def test_overdue_issue_is_escalated_once_to_the_heads_involved():
    """COM-1: an open issue past its deadline is escalated once to the managers of the departments involved."""
    today = timezone.localdate()
    service_dept, purchasing = unit("dept-service"), unit("dept-purchasing")
    issue = services.issue_open(
        actor=user("auditor"),
        title="备件采购周期过长",
        description="维修备件采购平均 10 天",
        responsible_department=service_dept,
        responsible_person=user("hq_service_manager"),
        departments=[purchasing],
        deadline=today + dt.timedelta(days=3),
    )
    assert services.issues_escalate(today=today) == 0
    later = today + dt.timedelta(days=4)
    assert services.issues_escalate(today=later) == 1
    assert services.issues_escalate(today=later) == 0
    issue.refresh_from_db()
    assert issue.escalated_at is not None and issue.status == IssueStatus.OPEN
    for head in ("hq_service_manager", "purchasing_manager"):
        assert Notification.objects.filter(recipient=user(head), title__contains=issue.number).exists()
    assert _events(issue).filter(event_type=EventType.ISSUE_ESCALATED).count() == 1
    services.issue_resolve(actor=user("hq_service_manager"), issue_id=issue.pk, resolution="改为月度备货")
    services.issue_close(actor=user("auditor"), issue_id=issue.pk)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED
