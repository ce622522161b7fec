"""Certification writes (PPL-4): permissions, validation, stale versions, revocation, events."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from salesservice.catalog.tests.factories import CategoryFactory
from salesservice.core.events import events_for
from salesservice.core.exceptions import ConflictError, DomainError, PermissionDeniedError
from salesservice.people import services
from salesservice.people.models import Certification

from .factories import CertificationFactory

pytestmark = pytest.mark.django_db


def add(users, actor="hr_trainer", **kwargs):
    defaults = {
        "user": users["xuhui_engineer"],
        "category": CategoryFactory(),
        "certificate_no": "SG-0001",
        "issued_at": timezone.localdate(),
    }
    return services.certification_add(actor=users[actor], **{**defaults, **kwargs})


def test_hr_adds_a_certification_with_evidence_and_an_event(users):
    evidence = SimpleUploadedFile("cert.pdf", b"%PDF-1.4", content_type="application/pdf")
    certification = add(users, evidence=evidence, issued_by=" 培训中心 ")
    assert certification.evidence.original_name == "cert.pdf"
    assert certification.issued_by == "培训中心"
    [event] = events_for(certification)
    assert event.event_type == "people.certification_added" and event.actor == users["hr_trainer"]


@pytest.mark.parametrize("username", ["xuhui_cs", "xuhui_engineer", "xuhui_manager", "sales_rep"])
def test_roles_without_the_permission_cannot_add(users, username):
    with pytest.raises(PermissionDeniedError):
        add(users, actor=username)
    assert not Certification.objects.exists()


def test_validity_cannot_end_before_issue_and_number_is_required(users):
    with pytest.raises(DomainError) as error:
        add(users, valid_until=timezone.localdate() - dt.timedelta(days=1))
    assert error.value.code == "certification.invalid_period"
    with pytest.raises(DomainError) as error:
        add(users, certificate_no="  ")
    assert error.value.code == "certification.number_required"
    assert not Certification.objects.exists()


def test_same_number_twice_for_one_engineer_is_a_conflict(users):
    add(users)
    with pytest.raises(ConflictError):
        add(users)


def test_update_with_stale_version_is_refused_and_changes_nothing(users):
    certification = CertificationFactory(user=users["xuhui_engineer"])
    services.certification_update(
        actor=users["hr_trainer"], certification_id=certification.pk, expected_version=1, notes="复核"
    )
    with pytest.raises(ConflictError) as error:
        services.certification_update(
            actor=users["hr_trainer"], certification_id=certification.pk, expected_version=1, notes="旧"
        )
    assert error.value.code == "conflict.stale"
    certification.refresh_from_db()
    assert certification.notes == "复核" and certification.version == 2
    assert [e.event_type for e in events_for(certification)] == ["people.certification_updated"]


def test_revoke_needs_a_reason_keeps_the_record_and_cannot_repeat(users):
    certification = CertificationFactory(user=users["xuhui_engineer"])
    with pytest.raises(DomainError):
        services.certification_revoke(actor=users["hr_trainer"], certification_id=certification.pk, reason=" ")
    services.certification_revoke(actor=users["hr_trainer"], certification_id=certification.pk, reason="离职")
    certification.refresh_from_db()
    assert certification.revoked_by == users["hr_trainer"] and certification.revoked_reason == "离职"
    assert certification.state == "revoked"
    with pytest.raises(ConflictError):
        services.certification_revoke(actor=users["hr_trainer"], certification_id=certification.pk, reason="再次")
    with pytest.raises(ConflictError):
        services.certification_update(
            actor=users["hr_trainer"], certification_id=certification.pk, expected_version=2, notes="x"
        )
    assert events_for(certification)[0].event_type == "people.certification_revoked"


def test_visible_to_follows_the_engineers_unit(users, demo):
    from .factories import EngineerFactory

    xuhui = CertificationFactory(user=users["xuhui_engineer"])
    tianhe = CertificationFactory(user=EngineerFactory(unit=demo["gz-tianhe"]))
    assert set(Certification.objects.visible_to(users["xuhui_cs"])) == {xuhui}
    assert set(Certification.objects.visible_to(users["tianhe_cs"])) == {tianhe}
    assert set(Certification.objects.visible_to(users["east_manager"])) == {xuhui}
    assert set(Certification.objects.visible_to(users["hr_trainer"])) == {xuhui, tianhe}
    assert not Certification.objects.visible_to(users["provider_dispatcher"]).exists()
