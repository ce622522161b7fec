"""Builders of the document-control tests (DOC-1)."""

from salesservice.core.models import OrgUnit, User

from .. import services
from ..testing import pdf_file


def user(username: str) -> User:
    return User.objects.get(username=username)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def draft(
    *,
    code="SS-QP-101",
    author="qa_inspector",
    unit_code="dept-quality",
    clauses=("SRV-2",),
    roles=("cs_rep", "store_manager"),
    file=True,
):
    """A document with its V1 draft; returns the version."""
    document = services.document_create(
        actor=user(author),
        code=code,
        title="售后服务受理程序",
        kind="procedure",
        org_unit=unit(unit_code),
        clauses=list(clauses),
        concerned_roles=list(roles),
        change_summary="首次发布",
        file=pdf_file() if file else None,
    )
    return document.versions.get()


def issued(*, approver="gm", **kwargs):
    version = draft(**kwargs)
    services.version_submit(actor=version.author, version_id=version.pk)
    services.version_approve(actor=user(approver), version_id=version.pk)
    services.version_issue(actor=user(approver), version_id=version.pk)
    version.refresh_from_db()
    return version
