"""The dossier, the qualified list's workflow (SUP-2) and the expiry reminders (SUP-3)."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.catalog.tests.factories import ProductFactory
from salesservice.core.exceptions import ConflictError, DomainError, InvalidTransition, PermissionDeniedError
from salesservice.core.models import Event, Notification
from salesservice.suppliers import services
from salesservice.suppliers.choices import DocumentKind, EventType, QualifiedListStatus, Standing
from salesservice.suppliers.models import QualifiedList, Supplier, SupplierDocument
from salesservice.suppliers.tests.factories import delist, qualified_supplier, unlisted_supplier


@pytest.fixture
def purchaser(users):
    return users["purchaser"]


@pytest.fixture
def manager(users):
    return users["purchasing_manager"]


# --- dossier ----------------------------------------------------------------------------------


def test_purchaser_registers_a_supplier_in_its_department(demo, purchaser):
    supplier = services.supplier_create(
        actor=purchaser, name="上海康健医疗器械有限公司", credit_code="91310000mA1K2B3C4d", phone="13912345678"
    )
    assert supplier.number.startswith("SUP-")
    assert supplier.org_unit.code == "dept-purchasing"
    assert supplier.credit_code == "91310000MA1K2B3C4D"
    assert supplier.standing == Standing.UNEVALUATED
    assert Event.objects.filter(event_type=EventType.SUPPLIER_CREATED, target_id=str(supplier.pk)).exists()


@pytest.mark.parametrize(
    "fields, code",
    [
        ({"name": " "}, "suppliers.name_required"),
        ({"name": "甲", "credit_code": "123"}, "suppliers.invalid_credit_code"),
    ],
)
def test_supplier_input_is_checked(demo, purchaser, fields, code):
    with pytest.raises(DomainError) as error:
        services.supplier_create(actor=purchaser, **fields)
    assert error.value.code == code


def test_duplicate_supplier_is_refused(demo, purchaser):
    services.supplier_create(actor=purchaser, name="重名公司")
    with pytest.raises(ConflictError) as error:
        services.supplier_create(actor=purchaser, name="重名公司")
    assert error.value.code == "suppliers.duplicate"


def test_stale_update_is_refused(demo, purchaser):
    supplier = services.supplier_create(actor=purchaser, name="版本公司")
    services.supplier_update(actor=purchaser, supplier_id=supplier.pk, expected_version=1, contact="甲")
    with pytest.raises(ConflictError) as error:
        services.supplier_update(actor=purchaser, supplier_id=supplier.pk, expected_version=1, contact="乙")
    assert error.value.code == "conflict.stale"


def test_store_staff_cannot_register_suppliers(demo, users):
    with pytest.raises(PermissionDeniedError):
        services.supplier_create(actor=users["xuhui_cs"], name="门店公司")


def test_only_the_manager_suspends(demo, purchaser, manager):
    supplier = unlisted_supplier()
    with pytest.raises(PermissionDeniedError):
        services.supplier_suspend(actor=purchaser, supplier_id=supplier.pk, reason="质量事故")
    with pytest.raises(DomainError) as error:
        services.supplier_suspend(actor=manager, supplier_id=supplier.pk, reason=" ")
    assert error.value.code == "suppliers.reason_required"
    services.supplier_suspend(actor=manager, supplier_id=supplier.pk, reason="质量事故")
    with pytest.raises(ConflictError) as error:
        services.supplier_suspend(actor=manager, supplier_id=supplier.pk, reason="再次")
    assert error.value.code == "suppliers.already_suspended"
    assert Notification.objects.filter(recipient=purchaser, kind="suppliers.suspended").exists()


def test_document_dates_are_checked(demo, purchaser):
    supplier = unlisted_supplier()
    with pytest.raises(DomainError) as error:
        services.document_add(
            actor=purchaser, supplier=supplier, kind=DocumentKind.BUSINESS_LICENCE, number="X",
            valid_from=dt.date(2026, 1, 2), expires_on=dt.date(2026, 1, 1),
        )  # fmt: skip
    assert error.value.code == "suppliers.invalid_dates"
    with pytest.raises(DomainError) as error:
        services.document_add(actor=purchaser, supplier=supplier, kind="passport", number="X",
                              valid_from=dt.date(2026, 1, 2))  # fmt: skip
    assert error.value.code == "suppliers.invalid_kind"


# --- the qualified list (SUP-2) -------------------------------------------------------------------


def test_list_goes_draft_submitted_approved_and_supersedes_the_previous(demo, purchaser, manager):
    product = ProductFactory()
    first_supplier = qualified_supplier(product)
    previous = services.current_list()
    draft = services.qualified_list_create(actor=purchaser, title="2026 年度合格供方名单")
    assert draft.status == QualifiedListStatus.DRAFT
    assert draft.entries.filter(supplier=first_supplier).exists()  # copied from the current list
    submitted = services.qualified_list_submit(actor=purchaser, list_id=draft.pk, expected_version=draft.version)
    assert submitted.status == QualifiedListStatus.SUBMITTED
    with pytest.raises(PermissionDeniedError):
        services.qualified_list_approve(actor=purchaser, list_id=draft.pk)
    approved = services.qualified_list_approve(actor=manager, list_id=draft.pk, note="同意")
    assert approved.status == QualifiedListStatus.APPROVED and approved.approved_by == manager
    previous.refresh_from_db()
    assert previous.status == QualifiedListStatus.SUPERSEDED and previous.superseded_by == approved
    assert services.current_list() == approved
    assert QualifiedList.objects.filter(status=QualifiedListStatus.APPROVED).count() == 1
    assert Notification.objects.filter(recipient=purchaser, kind="suppliers.list_approved").exists()


def test_an_empty_list_cannot_be_submitted(demo, purchaser):
    draft = services.qualified_list_create(actor=purchaser, title="空名单")
    with pytest.raises(ConflictError) as error:
        services.qualified_list_submit(actor=purchaser, list_id=draft.pk)
    assert error.value.code == "suppliers.list_empty"


def test_only_drafts_are_edited_and_returned_lists_are_drafts_again(demo, purchaser, manager):
    supplier = unlisted_supplier()
    draft = services.qualified_list_create(actor=purchaser, title="名单")
    services.qualified_list_set_entry(actor=purchaser, list_id=draft.pk, supplier=supplier, products=[ProductFactory()])
    services.qualified_list_submit(actor=purchaser, list_id=draft.pk)
    with pytest.raises(ConflictError) as error:
        services.qualified_list_remove_entry(actor=purchaser, list_id=draft.pk, supplier=supplier)
    assert error.value.code == "suppliers.list_not_draft"
    with pytest.raises(DomainError) as error:
        services.qualified_list_return(actor=manager, list_id=draft.pk, reason="")
    assert error.value.code == "suppliers.reason_required"
    returned = services.qualified_list_return(actor=manager, list_id=draft.pk, reason="缺少产品范围说明")
    assert returned.status == QualifiedListStatus.DRAFT and returned.return_reason == "缺少产品范围说明"
    with pytest.raises(InvalidTransition):
        services.qualified_list_approve(actor=manager, list_id=draft.pk)


def test_entry_needs_a_scope_and_an_eligible_supplier(demo, purchaser):
    supplier = unlisted_supplier()
    draft = services.qualified_list_create(actor=purchaser, title="名单")
    with pytest.raises(DomainError) as error:
        services.qualified_list_set_entry(actor=purchaser, list_id=draft.pk, supplier=supplier)
    assert error.value.code == "suppliers.entry_scope_required"
    delist(supplier)
    with pytest.raises(DomainError) as error:
        services.qualified_list_set_entry(
            actor=purchaser, list_id=draft.pk, supplier=supplier, products=[ProductFactory()]
        )
    assert error.value.code == "suppliers.supplier_not_eligible"


# --- reminders (SUP-3) ----------------------------------------------------------------------------


def test_expiring_documents_are_reminded_once_per_expiry(demo, purchaser, manager):
    supplier = unlisted_supplier(name="将到期公司")
    today = timezone.localdate()
    document = SupplierDocument.objects.get(supplier=supplier, kind=DocumentKind.QUALITY_AGREEMENT)
    services.document_update(
        actor=None, document_id=document.pk, expected_version=document.version, expires_on=today + dt.timedelta(days=20)
    )  # fmt: skip
    assert services.documents_remind_expiring() == 1
    assert services.documents_remind_expiring() == 0  # idempotent
    notes = Notification.objects.filter(kind="suppliers.document_expiring")
    assert {n.recipient_id for n in notes} == {purchaser.pk, manager.pk}
    assert "质量保证协议" in notes.first().body
    # a renewal is reminded again before its new expiry
    document.refresh_from_db()
    services.document_update(
        actor=None, document_id=document.pk, expected_version=document.version, expires_on=today + dt.timedelta(days=25)
    )  # fmt: skip
    assert services.documents_remind_expiring() == 1


def test_documents_beyond_the_window_or_of_inactive_suppliers_are_not_reminded(demo):
    supplier = unlisted_supplier()
    Supplier.objects.filter(pk=supplier.pk).update(is_active=False)
    SupplierDocument.objects.filter(supplier=supplier).update(expires_on=timezone.localdate() + dt.timedelta(days=5))
    other = unlisted_supplier()
    SupplierDocument.objects.filter(supplier=other).update(expires_on=timezone.localdate() + dt.timedelta(days=90))
    assert services.documents_remind_expiring() == 0
