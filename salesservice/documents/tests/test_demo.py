"""The demo story of document control (DOC-1): the five seed documents issued and read, a procedure whose V1 is
superseded by a V2 some store staff have not read — reminded; every seeded policy parameter can be changed on a
seed document."""

from salesservice.core.models import Notification, PolicyParameter

from ..choices import VersionStatus as S
from ..demo import _load
from ..models import Acknowledgement, ControlledDocument, DocumentClause


def test_the_demo_story():
    _load()
    _load()  # idempotent
    codes = list(ControlledDocument.objects.values_list("code", flat=True))
    assert codes == ["SS-QP-004", "SS-QP-010", "SS-ZD-000", "SS-ZD-001", "SS-ZD-002", "SS-ZD-003"]
    for code in ("SS-ZD-000", "SS-QP-004"):
        document = ControlledDocument.objects.get(code=code)
        assert document.current_version().label == "V1"
        assert not Acknowledgement.objects.filter(version__document=document, acknowledged_at=None).exists()
    procedure = ControlledDocument.objects.get(code="SS-QP-010")
    first, second = procedure.versions.order_by("revision")
    assert first.status == S.SUPERSEDED and first.superseded_by == second
    assert procedure.current_version() == second
    unread = set(
        Acknowledgement.objects.filter(version=second, acknowledged_at=None).values_list("user__username", flat=True)
    )
    assert unread == {"xuhui_cs", "xuhui_engineer", "tianhe_cs"}
    reminded = set(
        Notification.objects.filter(kind="documents.ack_reminder").values_list("recipient__username", flat=True)
    )
    assert reminded == unread
    covered = set(DocumentClause.objects.values_list("clause", flat=True))
    clauses = set(PolicyParameter.objects.exclude(source_clause="").values_list("source_clause", flat=True))
    assert clauses <= covered
