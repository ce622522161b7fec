"""DOC-1: a controlled document's approval and supersession are enforced — maker-checker, issue only after
approval, one current version with the superseded ones kept, acknowledgements only by the roles concerned."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.exceptions import DomainError
from salesservice.core.models import Event, Notification

from .. import services
from ..choices import VersionStatus as S
from ..models import Acknowledgement, ControlledDocument, DocumentVersion
from ..testing import pdf_file
from .factories import draft, issued, unit, user


def _code(raised) -> str:
    return raised.value.code


def test_the_author_may_not_approve_their_own_version():
    """DOC-1 maker-checker: the general manager drafts and submits; approving it himself is 403 and changes nothing."""
    version = draft(author="gm")
    services.version_submit(actor=user("gm"), version_id=version.pk)
    with pytest.raises(DomainError) as refused:
        services.version_approve(actor=user("gm"), version_id=version.pk)
    assert _code(refused) == "documents.self_approval" and refused.value.status_code == 403
    version.refresh_from_db()
    assert version.status == S.SUBMITTED and version.approver is None
    services.version_approve(actor=user("hq_service_manager"), version_id=version.pk)
    version.refresh_from_db()
    assert version.status == S.APPROVED and version.approver.username == "hq_service_manager"


def test_issue_before_approval_is_refused():
    version = draft()
    with pytest.raises(DomainError) as refused:
        services.version_issue(actor=user("gm"), version_id=version.pk)
    assert _code(refused) == "status.invalid_transition" and refused.value.status_code == 409
    services.version_submit(actor=user("qa_inspector"), version_id=version.pk)
    with pytest.raises(DomainError) as refused:
        services.version_issue(actor=user("gm"), version_id=version.pk)
    assert _code(refused) == "status.invalid_transition"
    version.refresh_from_db()
    assert version.status == S.SUBMITTED and version.issue_date is None


def test_submit_needs_the_file_and_only_pdf_or_word_is_taken():
    version = draft(file=False)
    with pytest.raises(DomainError) as refused:
        services.version_submit(actor=user("qa_inspector"), version_id=version.pk)
    assert _code(refused) == "documents.file_required"
    with pytest.raises(DomainError) as refused:
        services.version_edit(
            actor=user("qa_inspector"), version_id=version.pk, change_summary="x", file=pdf_file("scan.png")
        )
    assert _code(refused) == "documents.file_type"
    services.version_edit(
        actor=user("qa_inspector"), version_id=version.pk, change_summary="定稿", file=pdf_file("v1.docx")
    )
    services.version_submit(actor=user("qa_inspector"), version_id=version.pk)
    version.refresh_from_db()
    assert version.status == S.SUBMITTED and version.change_summary == "定稿"
    with pytest.raises(DomainError) as refused:  # what was submitted stays as submitted
        services.version_edit(actor=user("qa_inspector"), version_id=version.pk, change_summary="偷改")
    assert _code(refused) == "documents.not_editable"
    with pytest.raises(DomainError) as refused:
        services.version_reject(actor=user("gm"), version_id=version.pk, reason="")
    assert _code(refused) == "documents.reject_note_required"
    services.version_reject(actor=user("gm"), version_id=version.pk, reason="请补充适用范围")
    version.refresh_from_db()
    assert version.status == S.DRAFT and version.approval_note == "请补充适用范围"
    assert Notification.objects.filter(recipient=user("qa_inspector"), kind="documents.rejected").count() == 1


def test_a_new_version_in_force_supersedes_the_current_one_which_stays_readable():
    """DOC-1: one current version per document; the superseded V1 is kept, marked and linked to V2."""
    first = issued()
    document = first.document
    assert document.current_version() == first
    second = services.version_draft(
        actor=user("qa_inspector"), document_id=document.pk, change_summary="时限改为 2 小时", file=pdf_file()
    )
    with pytest.raises(DomainError) as refused:  # one open revision at a time
        services.version_draft(actor=user("qa_inspector"), document_id=document.pk, change_summary="又一版")
    assert _code(refused) == "documents.revision_open"
    services.version_submit(actor=user("qa_inspector"), version_id=second.pk)
    services.version_approve(actor=user("gm"), version_id=second.pk)
    assert document.current_version() == first  # approved is not yet current
    services.version_issue(actor=user("gm"), version_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.SUPERSEDED and first.superseded_by == second and first.retired_at is not None
    assert second.status == S.ISSUED and second.issue_date == timezone.localdate()
    assert ControlledDocument.objects.get(pk=document.pk).current_version() == second
    assert DocumentVersion.objects.filter(document=document, status=S.ISSUED).count() == 1
    assert Event.objects.filter(event_type="documents.version_superseded", target_id=str(first.pk)).exists()


def test_a_version_issued_for_a_later_date_takes_over_on_that_day():
    first = issued()
    second = services.version_draft(
        actor=user("qa_inspector"), document_id=first.document_id, change_summary="下月生效", file=pdf_file()
    )
    services.version_submit(actor=user("qa_inspector"), version_id=second.pk)
    services.version_approve(actor=user("gm"), version_id=second.pk)
    later = timezone.localdate() + dt.timedelta(days=10)
    with pytest.raises(DomainError) as refused:
        services.version_issue(
            actor=user("gm"), version_id=second.pk, effective_date=timezone.localdate() - dt.timedelta(days=1)
        )
    assert _code(refused) == "documents.effective_date_invalid"
    services.version_issue(actor=user("gm"), version_id=second.pk, effective_date=later)
    document = ControlledDocument.objects.get(pk=first.document_id)
    assert document.current_version() == first  # V2 待生效
    assert services.versions_apply_effective(today=timezone.localdate()) == 0
    assert document.current_version(later) == DocumentVersion.objects.get(pk=second.pk)
    assert services.versions_apply_effective(today=later) == 1
    first.refresh_from_db()
    assert first.status == S.SUPERSEDED and first.superseded_by_id == second.pk
    assert services.versions_apply_effective(today=later) == 0  # idempotent


def test_supersede_retires_an_issued_version_with_a_reason():
    version = issued()
    with pytest.raises(DomainError) as refused:
        services.version_supersede(actor=user("gm"), version_id=version.pk, reason=" ")
    assert _code(refused) == "documents.reason_required"
    services.version_supersede(actor=user("gm"), version_id=version.pk, reason="业务停止，程序废止")
    version.refresh_from_db()
    assert version.status == S.SUPERSEDED and version.retire_reason == "业务停止，程序废止"
    assert version.document.current_version() is None
    with pytest.raises(DomainError) as refused:
        services.version_acknowledge(actor=user("xuhui_cs"), version_id=version.pk)
    assert _code(refused) == "status.invalid_transition"


def test_issue_notifies_the_concerned_users_in_the_documents_scope():
    """On issue every active holder of a concerned role where the document applies is told to read it."""
    version = issued(unit_code="sh-xuhui", author="xuhui_manager", approver="gm", code="XH-QP-001")
    told = set(Notification.objects.filter(kind="documents.issued").values_list("recipient__username", flat=True))
    assert told == {"xuhui_cs", "xuhui_manager"}  # not tianhe_cs: another store
    rows = set(Acknowledgement.objects.filter(version=version).values_list("user__username", flat=True))
    assert rows == told


def test_acknowledge_only_by_concerned_users_and_only_once():
    version = issued()
    with pytest.raises(DomainError) as refused:
        services.version_acknowledge(actor=user("warehouse_clerk"), version_id=version.pk)
    assert _code(refused) == "documents.not_concerned" and refused.value.status_code == 403
    row = services.version_acknowledge(actor=user("xuhui_cs"), version_id=version.pk)
    assert row.acknowledged_at is not None
    first_at = row.acknowledged_at
    with pytest.raises(DomainError) as refused:
        services.version_acknowledge(actor=user("xuhui_cs"), version_id=version.pk)
    assert _code(refused) == "documents.already_acknowledged" and refused.value.status_code == 409
    row.refresh_from_db()
    assert row.acknowledged_at == first_at
    assert Event.objects.filter(event_type="documents.version_acknowledged", target_id=str(version.pk)).count() == 1


def test_a_draft_version_cannot_be_acknowledged():
    version = draft()
    with pytest.raises(DomainError) as refused:
        services.version_acknowledge(actor=user("xuhui_cs"), version_id=version.pk)
    assert _code(refused) == "status.invalid_transition"


def test_document_create_checks_code_clauses_roles_and_unit_scope():
    def attempt(**changes):
        values = dict(
            actor=user("xuhui_manager"),
            code="XH-QP-009",
            title="门店交接班程序",
            kind="procedure",
            org_unit=unit("sh-xuhui"),
            clauses=["SRV-2"],
            concerned_roles=["cs_rep"],
        )
        values.update(changes)
        with pytest.raises(DomainError) as refused:
            services.document_create(**values)
        return _code(refused)

    assert attempt(code="坏编号") == "documents.code_invalid"
    assert attempt(clauses=["SRV-2", "XYZ-99"]) == "documents.clause_unknown"
    assert attempt(concerned_roles=["ceo"]) == "documents.role_unknown"
    assert attempt(org_unit=unit("gz-tianhe")) == "documents.unit_out_of_scope"
    assert not ControlledDocument.objects.exists()
    issued(code="XH-QP-009", unit_code="sh-xuhui", author="xuhui_manager")
    assert attempt() == "documents.code_taken"


def test_withdraw_a_draft_then_revise_again():
    first = issued()
    second = services.version_draft(actor=user("qa_inspector"), document_id=first.document_id, change_summary="试改")
    services.version_withdraw(actor=user("qa_inspector"), version_id=second.pk, reason="不再修订")
    second.refresh_from_db()
    assert second.status == S.WITHDRAWN
    third = services.version_draft(actor=user("qa_inspector"), document_id=first.document_id, change_summary="重新修订")
    assert third.revision == 3
