"""The public API purchasing uses: `order_check` / `order_warnings` (SUP-1, SUP-2, SUP-3) and the test
builders `qualified_supplier`, `unlisted_supplier`, `delist`."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.catalog.tests.factories import CategoryFactory, MedicalDeviceFactory, ProductFactory
from salesservice.suppliers import services
from salesservice.suppliers.choices import DocumentKind, Standing
from salesservice.suppliers.models import Supplier, SupplierDocument
from salesservice.suppliers.tests.factories import approve_list_with, delist, qualified_supplier, unlisted_supplier

pytestmark = pytest.mark.django_db


def codes(reasons):
    return [reason.code for reason in reasons]


def today():
    return timezone.localdate()


def test_qualified_supplier_may_receive_an_order_for_its_listed_products():
    """SUP-2: on the current approved list for the product, documents valid → allowed, no warning."""
    product, device = ProductFactory(), MedicalDeviceFactory()
    supplier = qualified_supplier(product, device, name="华东医疗器械有限公司")
    assert services.order_check(supplier, product) == []
    assert services.order_check(supplier, device) == []
    assert services.order_warnings(supplier) == []
    assert supplier.name == "华东医疗器械有限公司"


def test_reasons_have_code_message_and_dict():
    supplier = unlisted_supplier()
    reason = services.order_check(supplier, ProductFactory())[0]
    assert reason.as_dict() == {"code": reason.code, "message": reason.message}
    assert reason.code.startswith("supplier.")


def test_no_approved_list_refuses_every_supplier():
    """SUP-2: before any list is approved nobody may be ordered from."""
    assert codes(services.order_check(unlisted_supplier(), ProductFactory())) == ["supplier.no_approved_list"]


def test_supplier_off_the_current_list_is_refused():
    """SUP-2: only suppliers on the current approved list — refused with a clear reason otherwise."""
    product = ProductFactory()
    qualified_supplier(product)
    other = unlisted_supplier(name="未入名单供应商")
    reasons = services.order_check(other, product)
    assert codes(reasons) == ["supplier.not_listed"]
    assert "未入名单供应商" in reasons[0].message and "现行合格供方名单" in reasons[0].message


def test_product_the_supplier_is_not_qualified_for_is_refused():
    """SUP-2: listed, but only for the products (or categories) of its entry."""
    listed, other = ProductFactory(), ProductFactory()
    supplier = qualified_supplier(listed)
    assert codes(services.order_check(supplier, other)) == ["supplier.product_not_qualified"]


def test_a_listed_category_covers_its_sub_categories():
    parent = CategoryFactory()
    child = CategoryFactory(parent=parent)
    product = ProductFactory(category=child)
    supplier = unlisted_supplier()
    approve_list_with(supplier, categories=[parent])
    assert services.order_check(supplier, product) == []
    assert codes(services.order_check(supplier, ProductFactory())) == ["supplier.product_not_qualified"]


def test_delist_suspends_and_reinstating_allows_again():
    product = ProductFactory()
    supplier = qualified_supplier(product)
    delist(supplier)
    assert codes(services.order_check(supplier, product)) == ["supplier.suspended"]
    services.supplier_reinstate(actor=None, supplier_id=supplier.pk)
    supplier.refresh_from_db()
    assert services.order_check(supplier, product) == []


def test_a_newer_approved_list_without_the_supplier_takes_it_off():
    """SUP-2: the current list is the latest approved edition; the one before is superseded."""
    product = ProductFactory()
    first = qualified_supplier(product)
    draft = services.qualified_list_create(actor=None, title="2027 版")
    services.qualified_list_remove_entry(actor=None, list_id=draft.pk, supplier=first)
    second = unlisted_supplier()
    services.qualified_list_set_entry(actor=None, list_id=draft.pk, supplier=second, products=[product])
    services.qualified_list_submit(actor=None, list_id=draft.pk)
    services.qualified_list_approve(actor=None, list_id=draft.pk)
    assert codes(services.order_check(first, product)) == ["supplier.not_listed"]
    assert services.order_check(second, product) == []


def test_expired_business_licence_blocks():
    """A required qualification document expired → refused, naming the document and the date."""
    product = ProductFactory()
    supplier = qualified_supplier(product)
    licence = SupplierDocument.objects.get(supplier=supplier, kind=DocumentKind.BUSINESS_LICENCE)
    expired_on = today() - dt.timedelta(days=1)
    services.document_update(
        actor=None, document_id=licence.pk, expected_version=licence.version, expires_on=expired_on
    )
    reasons = services.order_check(supplier, product)
    assert codes(reasons) == ["supplier.document_expired"]
    assert "营业执照" in reasons[0].message and expired_on.isoformat() in reasons[0].message


def test_missing_business_licence_blocks():
    product = ProductFactory()
    supplier = qualified_supplier(product)
    SupplierDocument.objects.filter(supplier=supplier, kind=DocumentKind.BUSINESS_LICENCE).delete()
    assert codes(services.order_check(supplier, product)) == ["supplier.document_missing"]


def test_medical_device_needs_its_registration_certificate_and_a_trade_licence():
    """Regulated products: the operation or production licence and the product's registration certificate."""
    device, other_device = MedicalDeviceFactory(), MedicalDeviceFactory()
    supplier = qualified_supplier(device)
    approve_list_with(supplier, products=[device, other_device])
    # other_device has no registration certificate in the dossier
    reasons = services.order_check(supplier, other_device)
    assert codes(reasons) == ["supplier.document_missing"]
    assert other_device.name in reasons[0].message
    # without operation licence but with a production licence it is still allowed
    SupplierDocument.objects.filter(supplier=supplier, kind=DocumentKind.OPERATION_LICENCE).delete()
    assert codes(services.order_check(supplier, device)) == ["supplier.document_missing"]
    services.document_add(
        actor=None, supplier=supplier, kind=DocumentKind.PRODUCTION_LICENCE, number="沪食药监械生产许2019-0001",
        valid_from=today() - dt.timedelta(days=10),
    )  # fmt: skip
    assert services.order_check(supplier, device) == []


def test_disqualified_standing_blocks_and_conditional_warns():
    """SUP-1: the band of the latest evaluation blocks (disqualified) or warns (conditional)."""
    product = ProductFactory()
    supplier = qualified_supplier(product)
    Supplier.objects.filter(pk=supplier.pk).update(standing=Standing.CONDITIONAL, standing_note="总分 70")
    supplier.refresh_from_db()
    assert services.order_check(supplier, product) == []
    assert codes(services.order_warnings(supplier)) == ["supplier.conditional"]
    Supplier.objects.filter(pk=supplier.pk).update(standing=Standing.DISQUALIFIED)
    supplier.refresh_from_db()
    assert codes(services.order_check(supplier, product)) == ["supplier.disqualified"]


def test_warnings_for_expiring_documents_and_missing_quality_agreement():
    """SUP-3: documents expiring within the reminder window and no quality agreement warn, not block."""
    product = ProductFactory()
    supplier = qualified_supplier(product)
    agreement = SupplierDocument.objects.get(supplier=supplier, kind=DocumentKind.QUALITY_AGREEMENT)
    services.document_update(
        actor=None, document_id=agreement.pk, expected_version=agreement.version, expires_on=today() + dt.timedelta(days=10)
    )  # fmt: skip
    assert codes(services.order_warnings(supplier)) == ["supplier.document_expiring"]
    agreement.refresh_from_db()
    services.document_update(
        actor=None, document_id=agreement.pk, expected_version=agreement.version, expires_on=today() - dt.timedelta(days=1)
    )  # fmt: skip
    assert codes(services.order_warnings(supplier)) == ["supplier.quality_agreement_missing"]
    assert services.order_check(supplier, product) == []


def test_every_reason_is_listed_at_once():
    supplier = unlisted_supplier()
    SupplierDocument.objects.filter(supplier=supplier).delete()
    delist(supplier)
    assert codes(services.order_check(supplier, MedicalDeviceFactory())) == [
        "supplier.suspended",
        "supplier.no_approved_list",
        "supplier.document_missing",
        "supplier.document_missing",
        "supplier.document_missing",
    ]
