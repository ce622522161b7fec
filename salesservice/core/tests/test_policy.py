"""DESIGN §5: typed, versioned policy parameters; one function reads the value in force.

DOC-1: every change cites an approved controlled document version covering the parameter's clause
(`salesservice.documents.testing.approved_version`; the refusals are in documents/tests/test_policy_link.py)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from salesservice.core.choices import EventType
from salesservice.core.exceptions import ConflictError, DomainError
from salesservice.core.models import Event, PolicyParameter
from salesservice.core.policy import policy_set, policy_value
from salesservice.core.policy_defaults import all_defaults
from salesservice.documents.testing import approved_version

pytestmark = pytest.mark.django_db


def test_every_default_of_design_section_5_is_seeded_with_its_clause(db):
    keys = set(PolicyParameter.objects.values_list("key", flat=True))
    assert {row[0] for row in all_defaults()} <= keys
    first_contact = PolicyParameter.objects.get(key="service.first_contact_hours")
    assert first_contact.source_clause == "SRV-2" and first_contact.unit == "小时"
    assert policy_value("service.first_contact_hours") == Decimal("2")
    assert policy_value("service.escalation_hours") == Decimal("24")
    assert policy_value("feedback.follow_up_coverage_target") == Decimal("100")
    assert policy_value("network.failed_quarters_to_stop") == 3
    assert policy_value("returns.no_reason_days") == Decimal("7")
    assert policy_value("service.sla_calendar") == "24x7"


def test_new_value_applies_from_its_effective_time_and_old_value_stays_readable(users):
    before = timezone.now()
    later = before + timedelta(days=3)
    policy_set(
        actor=users["admin"],
        key="service.first_contact_hours",
        value="1.5",
        effective_from=later,
        reason="客服中心承诺提速",
        document_version=approved_version("SRV-2"),
    )
    assert policy_value("service.first_contact_hours", at=before) == Decimal("2")
    assert policy_value("service.first_contact_hours", at=later + timedelta(seconds=1)) == Decimal("1.5")
    assert policy_value("service.first_contact_hours") == Decimal("2")  # not yet in force


def test_change_is_audited_with_event_and_field_history(users):
    version = approved_version("RET-1")
    record = policy_set(
        actor=users["admin"], key="returns.no_reason_days", value=10, reason="促销季延长", document_version=version
    )
    assert record.document_ref == version.pk and version.document.code in record.document_label
    parameter = PolicyParameter.objects.get(key="returns.no_reason_days")
    event = Event.objects.get(event_type=EventType.POLICY_CHANGED, target_id=str(parameter.pk))
    assert event.actor == users["admin"]
    assert event.old["value"] == "7" and event.new["value"] == "10"
    assert event.new["document_version"] == version.pk
    assert LogEntry.objects.filter(content_type__model="policyvalue", actor=users["admin"]).exists()


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("service.first_contact_hours", "abc", "policy.invalid_value"),
        ("service.first_contact_hours", "-1", "policy.out_of_range"),
        ("feedback.follow_up_coverage_target", "120", "policy.out_of_range"),
        ("network.failed_quarters_to_stop", "2.5", "policy.invalid_value"),
        ("network.violation_ladder", "not json", "policy.invalid_value"),
    ],
)
def test_bad_values_are_refused_and_nothing_changes(users, key, value, code):
    parameter = PolicyParameter.objects.get(key=key)
    versions_before = parameter.values.count()
    with pytest.raises(DomainError) as error:
        policy_set(actor=users["admin"], key=key, value=value, reason="测试")
    assert error.value.code == code
    assert parameter.values.count() == versions_before


def test_backdating_is_refused(users):
    with pytest.raises(DomainError) as error:
        policy_set(
            actor=users["admin"],
            key="returns.no_reason_days",
            value=8,
            effective_from=timezone.now() - timedelta(days=1),
            reason="补录",
        )
    assert error.value.code == "policy.backdated"


def test_reason_is_required(users):
    with pytest.raises(DomainError) as error:
        policy_set(actor=users["admin"], key="returns.no_reason_days", value=8, reason=" ")
    assert error.value.code == "policy.reason_required"


def test_stale_version_is_refused(users):
    parameter = PolicyParameter.objects.get(key="returns.no_reason_days")
    doc = approved_version("RET-1")
    policy_set(
        actor=users["admin"],
        key=parameter.key,
        value=8,
        reason="一",
        expected_version=parameter.version,
        document_version=doc,
    )
    with pytest.raises(ConflictError):
        policy_set(
            actor=users["admin"],
            key=parameter.key,
            value=9,
            reason="二",
            expected_version=parameter.version,
            document_version=doc,
        )
    assert policy_value(parameter.key) == Decimal("8")


def test_api_change_is_audited_and_old_value_readable_for_earlier_times(users, api_for):
    client = api_for("admin")
    before = timezone.now()
    current = client.get("/api/v1/policies/service.escalation_hours/").json()
    assert current["current"]["value"] == "24"
    response = client.patch(
        "/api/v1/policies/service.escalation_hours/",
        {
            "version": current["version"],
            "value": 12,
            "reason": "总部要求加快升级",
            "document_version": approved_version("SRV-2").pk,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["current"]["value"] == "12"
    old = client.get("/api/v1/policies/service.escalation_hours/value-at/", {"at": before.isoformat()}).json()
    assert old["value"] == "24" and old["number"] == 1
    versions = client.get("/api/v1/policies/service.escalation_hours/versions/").json()
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["document_version"] is not None and versions[1]["document_version"] is None
    assert versions[0]["created_by"] == str(users["admin"])
    entry = LogEntry.objects.filter(content_type__model="policyvalue").latest("timestamp")
    assert entry.actor == users["admin"] and entry.additional_data["via"].startswith("api:token#")
    assert policy_value("service.escalation_hours", at=before) == Decimal("24")


def test_api_stale_policy_update_is_409(users, api_for):
    client = api_for("admin")
    version = client.get("/api/v1/policies/returns.no_reason_days/").json()["version"]
    doc = approved_version("RET-1").pk
    url = "/api/v1/policies/returns.no_reason_days/"
    first = client.patch(url, {"version": version, "value": 8, "reason": "一", "document_version": doc})
    second = client.patch(url, {"version": version, "value": 9, "reason": "二", "document_version": doc})
    assert first.status_code == 200
    assert second.status_code == 409 and second.json()["code"] == "conflict.stale"
    assert policy_value("returns.no_reason_days") == Decimal("8")


def test_only_admins_may_change_policies(api_for):
    response = api_for("hq_service_manager").patch(
        "/api/v1/policies/returns.no_reason_days/", {"version": 1, "value": 8, "reason": "x"}
    )
    assert response.status_code == 403
    assert api_for("hq_service_manager").get("/api/v1/policies/").status_code == 200
    assert api_for("xuhui_cs").get("/api/v1/policies/").status_code == 403


def test_policy_page_edit_creates_a_version(users, web_for):
    client = web_for("admin")
    page = client.get("/policies/returns.no_reason_days/")
    assert page.status_code == 200 and "无理由退货期" in page.content.decode()
    doc = approved_version("RET-1")
    page = client.get("/policies/returns.no_reason_days/")
    assert f'<option value="{doc.pk}"' in page.content.decode()  # the approved version covering RET-1 is offered
    response = client.post(
        "/policies/returns.no_reason_days/",
        {"version": 1, "value": "10", "reason": "活动", "effective_from": "", "document_version": doc.pk},
    )
    assert response.status_code == 302
    assert policy_value("returns.no_reason_days") == Decimal("10")
    assert doc.document.code in client.get("/policies/returns.no_reason_days/").content.decode()
    bad = client.post(
        "/policies/returns.no_reason_days/",
        {"version": 1, "value": "11", "reason": "旧版本", "document_version": doc.pk},
    )
    assert bad.status_code == 200 and "已被他人修改" in bad.content.decode()
    assert policy_value("returns.no_reason_days") == Decimal("10")
