"""Catalog services: permissions, events, optimistic concurrency, the QA flag lifecycle."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from salesservice.catalog import services
from salesservice.catalog.models import Product, ProductRestriction
from salesservice.catalog.sellability import is_sellable
from salesservice.core.exceptions import ConflictError, DomainError, PermissionDeniedError
from salesservice.core.models import Attachment, Event

from .factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_product_create_records_event(users):
    """PRD-3: the product registry; every write leaves a typed event."""
    product = services.product_create(
        actor=users["purchaser"], code=" HA-9 ", name="电风扇", category=CategoryFactory(), manufacturer="某厂"
    )
    assert product.code == "HA-9" and product.version == 1
    event = Event.objects.get(event_type="catalog.product_created", target_id=str(product.pk))
    assert event.actor == users["purchaser"] and event.new["code"] == "HA-9"


def test_product_create_refuses_duplicate_code_and_bad_ranges(users):
    category = CategoryFactory()
    services.product_create(actor=users["purchaser"], code="A1", name="甲", category=category)
    with pytest.raises(DomainError) as error:
        services.product_create(actor=users["purchaser"], code="A1", name="乙", category=category)
    assert error.value.code == "product.duplicate_code"
    with pytest.raises(DomainError) as error:
        services.product_create(
            actor=users["purchaser"], code="A2", name="乙", category=category, storage_temp_min=30, storage_temp_max=5
        )
    assert error.value.code == "product.invalid" and "storage_temp_max" in error.value.fields
    assert Product.objects.count() == 1


def test_product_create_refused_without_permission(users):
    with pytest.raises(PermissionDeniedError):
        services.product_create(actor=users["xuhui_cs"], code="A1", name="甲", category=CategoryFactory())
    assert not Product.objects.exists()


def test_product_update_stale_version_is_refused(users):
    product = ProductFactory(name="原名")
    services.product_update(actor=users["purchaser"], product_id=product.pk, expected_version=1, name="新名")
    with pytest.raises(ConflictError) as error:
        services.product_update(actor=users["purchaser"], product_id=product.pk, expected_version=1, name="旧页面")
    assert error.value.code == "conflict.stale"
    product.refresh_from_db()
    assert product.name == "新名" and product.version == 2
    event = Event.objects.get(event_type="catalog.product_updated")
    assert event.old == {"name": "原名"} and event.new == {"name": "新名"}


def test_product_update_without_change_keeps_version(users):
    product = ProductFactory()
    same = services.product_update(
        actor=users["purchaser"], product_id=product.pk, expected_version=1, name=product.name
    )
    assert same.version == 1 and not Event.objects.filter(event_type="catalog.product_updated").exists()


def test_qa_restrict_with_evidence_then_lift(users):
    """PRD-1: QA sets a flag with reason and evidence; lifting keeps the record."""
    qa = users["qa_inspector"]
    product = ProductFactory()
    evidence = SimpleUploadedFile("检测报告.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    restriction = services.product_restrict(
        actor=qa, product_id=product.pk, reason_code="performance_not_met", reason="实测功率低于标称", evidence=evidence
    )
    assert restriction.evidence.original_name == "检测报告.pdf"
    assert Attachment.objects.get().target == product  # downloadable by whoever may view the product
    assert not is_sellable(product)
    with pytest.raises(ConflictError):
        services.product_restrict(actor=qa, product_id=product.pk, reason_code="performance_not_met", reason="再次")
    lifted = services.product_restriction_lift(actor=qa, restriction_id=restriction.pk, reason="复检合格")
    assert lifted.lifted_by == qa and lifted.lift_reason == "复检合格"
    assert is_sellable(Product.objects.get(pk=product.pk))
    assert ProductRestriction.objects.count() == 1
    with pytest.raises(ConflictError):
        services.product_restriction_lift(actor=qa, restriction_id=restriction.pk, reason="又一次")
    kinds = list(Event.objects.filter(target_id=str(product.pk)).values_list("event_type", flat=True))
    assert "catalog.product_restricted" in kinds and "catalog.product_restriction_lifted" in kinds


def test_restrict_requires_reason_and_qa_permission(users):
    """PRD-1: only QA marks products unsellable, always with a reason."""
    product = ProductFactory()
    with pytest.raises(PermissionDeniedError):
        services.product_restrict(
            actor=users["purchaser"], product_id=product.pk, reason_code="banned_by_law", reason="x"
        )
    with pytest.raises(DomainError) as error:
        services.product_restrict(
            actor=users["qa_inspector"], product_id=product.pk, reason_code="banned_by_law", reason="  "
        )
    assert error.value.code == "restriction.reason_required"
    assert not ProductRestriction.objects.exists()


def test_category_tree_and_templates(users):
    qa = users["qa_inspector"]
    root = services.category_create(actor=qa, code="med", name="医疗器械")
    child = services.category_create(actor=qa, code="med-2", name="第二类", parent=root)
    assert child.path == f"{root.path}{child.pk}/"
    services.category_update(actor=qa, category_id=child.pk, expected_version=1, name="第二类医疗器械")
    template = services.inspection_template_create(
        actor=qa,
        name="验收A",
        items=[{"group": "appearance", "text": "包装完好"}, {"group": "quantity", "text": "数量相符"}],
    )
    assert template.items.count() == 2
    with pytest.raises(DomainError):
        services.inspection_template_create(actor=qa, name="验收B", items=[{"group": "colour", "text": "x"}])
    services.inspection_template_update(
        actor=qa, template_id=template.pk, expected_version=1, items=[{"group": "performance", "text": "试机正常"}]
    )
    assert list(template.items.values_list("group", flat=True)) == ["performance"]
    assert Event.objects.filter(event_type__startswith="catalog.").count() == 5


def test_demo_catalog_is_idempotent_with_exactly_two_unsellable(demo):
    """PRD-1 demo: ~30 products, exactly two not sellable (expired registration, no certificate)."""
    from salesservice.catalog.demo import load_demo

    load_demo()
    snapshot = (Product.objects.count(), Event.objects.count())
    load_demo()
    assert (Product.objects.count(), Event.objects.count()) == snapshot
    assert Product.objects.count() >= 28
    unsellable = {p.code for p in Product.objects.all() if not is_sellable(p)}
    assert unsellable == {"HA-1010", "MD2-2006"}
    assert set(Product.objects.values_list("device_class", flat=True)) == {"none", "I", "II", "III"}
