"""DOC-1: a policy parameter changes only on an approved (or issued) document version covering its clause —
refused otherwise with `policy.document_required` (400) in the service, the page and the API, nothing changed;
an accepted change records the version that set it."""

from decimal import Decimal

import pytest

from salesservice.core.exceptions import DomainError
from salesservice.core.models import PolicyParameter, PolicyValue
from salesservice.core.policy import policy_set, policy_value

from .. import services
from ..testing import approved_version
from .factories import draft, user

KEY = "returns.no_reason_days"  # RET-1


def _refusal(**kwargs) -> str:
    before = PolicyValue.objects.filter(parameter__key=KEY).count()
    version = PolicyParameter.objects.get(key=KEY).version
    with pytest.raises(DomainError) as refused:
        policy_set(actor=user("admin"), key=KEY, value=10, reason="延长", **kwargs)
    assert PolicyValue.objects.filter(parameter__key=KEY).count() == before
    assert PolicyParameter.objects.get(key=KEY).version == version
    assert policy_value(KEY) == Decimal("7")
    assert refused.value.status_code == 400
    return refused.value.code


def test_a_change_without_an_approved_document_version_is_refused():
    assert _refusal() == "policy.document_required"
    unapproved = draft(clauses=("RET-1",))
    assert _refusal(document_version=unapproved) == "policy.document_required"
    services.version_submit(actor=user("qa_inspector"), version_id=unapproved.pk)
    assert _refusal(document_version=unapproved.pk) == "policy.document_required"
    other_clause = approved_version("SRV-2")
    assert _refusal(document_version=other_clause) == "policy.document_required"
    assert _refusal(document_version=999999) == "policy.document_required"


def test_a_superseded_version_no_longer_authorises_a_change():
    version = approved_version("RET-1", issue=True)
    services.version_supersede(actor=user("gm"), version_id=version.pk, reason="废止")
    assert _refusal(document_version=version) == "policy.document_required"


def test_an_approved_version_covering_the_clause_sets_the_value_and_is_recorded():
    version = approved_version("RET-1")
    record = policy_set(actor=user("admin"), key=KEY, value=10, reason="延长", document_version=version)
    assert policy_value(KEY) == Decimal("10")
    assert record.document_ref == version.pk
    assert record.document_label == f"{version.document.code} {version.document.title} V1"


def test_the_policy_page_refuses_without_a_document_and_shows_the_one_that_set_the_value(web_for):
    client = web_for("admin")
    refused = client.post(f"/policies/{KEY}/", {"version": 1, "value": "10", "reason": "活动"})
    assert refused.status_code == 200
    assert "须依据已批准的受控文件版本" in refused.content.decode()
    assert policy_value(KEY) == Decimal("7")
    version = approved_version("RET-1", issue=True)
    accepted = client.post(
        f"/policies/{KEY}/", {"version": 1, "value": "10", "reason": "活动", "document_version": version.pk}
    )
    assert accepted.status_code == 302
    page = client.get(f"/policies/{KEY}/").content.decode()
    assert f'href="/documents/versions/{version.pk}/"' in page and version.document.code in page


def test_the_policy_api_refuses_without_a_document_and_links_the_version(api_for):
    client = api_for("admin")
    url = f"/api/v1/policies/{KEY}/"
    version = client.get(url).json()["version"]
    refused = client.patch(url, {"version": version, "value": 10, "reason": "活动"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "policy.document_required"
    doc = approved_version("RET-1")
    accepted = client.patch(
        url, {"version": version, "value": 10, "reason": "活动", "document_version": doc.pk}, format="json"
    )
    assert accepted.status_code == 200, accepted.content
    current = accepted.json()["current"]
    assert (
        current["value"] == "10" and current["document_version"] == doc.pk and doc.document.code in current["document"]
    )
