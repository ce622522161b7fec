"""Test helpers of document control (DOC-1), importable from any app's tests (test modules are exempt from the
layer contract): an approved document version covering a clause, to cite when a test changes a policy value.

    from salesservice.documents.testing import approved_version
    policy_set(actor=admin, key="returns.no_reason_days", value=10, reason="…", document_version=approved_version("RET-1"))
"""

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name: str = "document.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def approved_version(*clauses: str, code: str | None = None, issue: bool = False):
    """A controlled document covering `clauses`, drafted by the QA inspector and approved by the general manager
    (issued too with `issue=True`); returns its `DocumentVersion`. Needs the demo org (`demo` fixture)."""
    from salesservice.core.models import OrgUnit, User

    from . import services
    from .choices import DocumentKind

    qa, gm = User.objects.get(username="qa_inspector"), User.objects.get(username="gm")
    code = code or f"T-{'-'.join(clauses) or 'X'}-{User.objects.count()}-{_counter()}"
    document = services.document_create(
        actor=qa,
        code=code,
        title=f"测试制度 {code}",
        kind=DocumentKind.POLICY,
        org_unit=OrgUnit.objects.get(code="dept-quality"),
        clauses=list(clauses),
        concerned_roles=["store_manager", "cs_rep"],
        change_summary="测试",
        file=pdf_file(),
    )
    version = document.versions.get()
    services.version_submit(actor=qa, version_id=version.pk)
    services.version_approve(actor=gm, version_id=version.pk)
    if issue:
        services.version_issue(actor=gm, version_id=version.pk)
    version.refresh_from_db()
    return version


_COUNT = [0]


def _counter() -> int:
    _COUNT[0] += 1
    return _COUNT[0]
