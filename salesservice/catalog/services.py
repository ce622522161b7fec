"""Writes to the catalog: products, QA sellability flags, categories, acceptance standards.

Every service runs in one transaction (`@service`), checks the actor's permission, writes,
and records a typed timeline event (`catalog.*`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.attachments import attachment_add
from salesservice.core.audit import service
from salesservice.core.concurrency import lock_current
from salesservice.core.events import apply_changes, record_event
from salesservice.core.exceptions import ConflictError, DomainError
from salesservice.core.guards import require_perm

from .choices import EventType, InspectionGroup, RestrictionReason
from .errors import CatalogErrorCode
from .models import InspectionItem, InspectionTemplate, Product, ProductCategory, ProductRestriction

PRODUCT_FIELDS = (
    "name",
    "specification",
    "category",
    "unit",
    "brand",
    "price",
    "warranty_months",
    "tracking_mode",
    "shelf_life_tracked",
    "shelf_life_days",
    "storage_temp_min",
    "storage_temp_max",
    "storage_humidity_min",
    "storage_humidity_max",
    "acceptance_template",
    "manufacturer",
    "manufacturer_licence_no",
    "device_class",
    "registration_no",
    "registration_expiry",
    "production_licence_required",
    "production_licence_no",
    "has_certificate_of_conformity",
    "has_chinese_label",
    "origin",
    "is_active",
)
CATEGORY_EDITABLE = ("name", "is_active")
TEMPLATE_EDITABLE = ("name", "description", "is_active")


def _jsonable(value):
    """Event old/new values are JSON: models by pk, Decimal and dates as text."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, Decimal | dt.date):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


def _clean_strings(fields: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


def _full_clean(obj, code: str, exclude=None) -> None:
    """Model validation as a DomainError: the first problem as the message, all of them per field."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        fields = exc.message_dict
        name, messages = next(iter(fields.items()))
        label = str(obj._meta.get_field(name).verbose_name) + "：" if name != "__all__" else ""
        raise DomainError(code, label + "".join(messages[:1]), fields=fields) from exc


# --- products ---------------------------------------------------------------------------


@service
def product_create(*, actor, code: str, name: str, category: ProductCategory, **fields) -> Product:
    """Add a product to the registry (PRD-3) with its regulatory attributes (PRD-1, PRD-2)."""
    require_perm(actor, "catalog.add_product")
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise DomainError(CatalogErrorCode.PRODUCT_UNKNOWN_FIELDS, _("不可设置的字段：%s") % ", ".join(sorted(unknown)))
    code = (code or "").strip()
    if Product.objects.filter(code=code).exists():
        raise DomainError(
            CatalogErrorCode.PRODUCT_DUPLICATE_CODE,
            _("商品编码 %(code)s 已存在") % {"code": code},
            fields={"code": [_("已存在")]},
        )
    fields = {k: v for k, v in fields.items() if v is not None or Product._meta.get_field(k).null}
    product = Product(code=code, name=(name or "").strip(), category=category, **_clean_strings(fields))
    _full_clean(product, CatalogErrorCode.PRODUCT_INVALID)
    try:
        product.save()
    except IntegrityError as exc:  # a parallel create with the same code
        raise DomainError(
            CatalogErrorCode.PRODUCT_DUPLICATE_CODE, _("商品编码 %(code)s 已存在") % {"code": code}
        ) from exc
    record_event(
        event_type=EventType.PRODUCT_CREATED,
        target=product,
        actor=actor,
        new={"code": product.code, "name": product.name},
    )
    return product


@service
def product_update(*, actor, product_id: int, expected_version: int, **changes) -> Product:
    """Edit a product's attributes; a stale `expected_version` → 409 `conflict.stale`, nothing saved.

    The code is the natural key (imports and later documents refer to it) and cannot change.
    """
    require_perm(actor, "catalog.change_product")
    unknown = set(changes) - set(PRODUCT_FIELDS)
    if unknown:
        raise DomainError(CatalogErrorCode.PRODUCT_UNKNOWN_FIELDS, _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    product = lock_current(Product.objects.all(), product_id, expected_version)
    changes = _clean_strings(changes)
    apply_changes(
        product,
        changes,
        actor=actor,
        event_type=EventType.PRODUCT_UPDATED,
        validate=lambda obj: _full_clean(obj, CatalogErrorCode.PRODUCT_INVALID, exclude=["code"]),
    )
    return product


@service
def product_restrict(*, actor, product_id: int, reason_code: str, reason: str, evidence=None) -> ProductRestriction:
    """QA marks a product "禁止销售" for one of the cases of seed 002 §6.2 (PRD-1).

    Needs `catalog.set_product_restriction`. `reason` is required; `evidence` (an uploaded file)
    is stored as a core Attachment on the product and linked from the flag. The same reason
    cannot be active twice on one product (409).
    """
    require_perm(actor, "catalog.set_product_restriction")
    if reason_code not in RestrictionReason.values:
        raise DomainError(
            CatalogErrorCode.RESTRICTION_INVALID_REASON, _("无效的禁售原因"), fields={"reason_code": [_("无效的选项")]}
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            CatalogErrorCode.RESTRICTION_REASON_REQUIRED, _("请填写禁售说明"), fields={"reason": [_("必填")]}
        )
    product = Product.objects.select_for_update().get(pk=product_id)
    if product.restrictions.filter(reason_code=reason_code, lifted_at__isnull=True).exists():
        raise ConflictError(
            CatalogErrorCode.RESTRICTION_DUPLICATE,
            _("该商品已因“%(reason)s”被禁止销售") % {"reason": RestrictionReason(reason_code).label},
        )
    attachment = None
    if evidence is not None:
        attachment = attachment_add(
            actor=actor,
            target=product,
            file=evidence,
            description=_("禁售证据：%s") % RestrictionReason(reason_code).label,
        )
    restriction = ProductRestriction.objects.create(
        product=product,
        reason_code=reason_code,
        reason=reason,
        evidence=attachment,
        set_by=actor,
        set_at=timezone.now(),
    )
    record_event(
        event_type=EventType.PRODUCT_RESTRICTED,
        target=product,
        actor=actor,
        new={"restriction": restriction.pk, "reason_code": reason_code},
        message=f"{RestrictionReason(reason_code).label}：{reason}",
    )
    return restriction


@service
def product_restriction_lift(*, actor, restriction_id: int, reason: str) -> ProductRestriction:
    """QA lifts a "禁止销售" flag with a reason (PRD-1). The flag is kept, with who/when/why."""
    require_perm(actor, "catalog.set_product_restriction")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            CatalogErrorCode.RESTRICTION_LIFT_REASON_REQUIRED, _("请填写解除原因"), fields={"reason": [_("必填")]}
        )
    restriction = (
        ProductRestriction.objects.select_for_update().select_related("product").filter(pk=restriction_id).first()
    )
    if restriction is None:
        raise DomainError(
            CatalogErrorCode.RESTRICTION_NOT_FOUND, _("禁售标记不存在"), fields={"restriction": [_("不存在")]}
        )
    if restriction.lifted_at is not None:
        raise ConflictError(CatalogErrorCode.RESTRICTION_ALREADY_LIFTED, _("该禁售标记已解除"))
    restriction.lifted_by = actor
    restriction.lifted_at = timezone.now()
    restriction.lift_reason = reason
    restriction.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    record_event(
        event_type=EventType.PRODUCT_RESTRICTION_LIFTED,
        target=restriction.product,
        actor=actor,
        old={"restriction": restriction.pk, "reason_code": restriction.reason_code},
        message=f"{RestrictionReason(restriction.reason_code).label}：{reason}",
    )
    return restriction


# --- categories -------------------------------------------------------------------------


@service
def category_create(*, actor, code: str, name: str, parent: ProductCategory | None = None) -> ProductCategory:
    """Add a node to the product category tree."""
    require_perm(actor, "catalog.add_productcategory")
    code, name = (code or "").strip(), (name or "").strip()
    if ProductCategory.objects.filter(code=code).exists():
        raise DomainError(
            CatalogErrorCode.CATEGORY_DUPLICATE_CODE,
            _("分类编码 %(code)s 已存在") % {"code": code},
            fields={"code": [_("已存在")]},
        )
    category = ProductCategory(code=code, name=name, parent=parent)
    _full_clean(category, CatalogErrorCode.CATEGORY_INVALID, exclude=["path"])
    category.save()
    category.path = f"{parent.path if parent else '/'}{category.pk}/"
    category.save(update_fields=["path"])
    record_event(event_type=EventType.CATEGORY_CREATED, target=category, actor=actor, new={"code": code, "name": name})
    return category


@service
def category_update(*, actor, category_id: int, expected_version: int, **changes) -> ProductCategory:
    """Rename or (de)activate a category; the parent is fixed. Stale version → 409."""
    require_perm(actor, "catalog.change_productcategory")
    unknown = set(changes) - set(CATEGORY_EDITABLE)
    if unknown:
        raise DomainError(
            CatalogErrorCode.CATEGORY_UNKNOWN_FIELDS, _("不可修改的字段：%s") % ", ".join(sorted(unknown))
        )
    category = lock_current(ProductCategory.objects.all(), category_id, expected_version)
    old = {field: getattr(category, field) for field in changes}
    for field, value in _clean_strings(changes).items():
        setattr(category, field, value)
    _full_clean(category, CatalogErrorCode.CATEGORY_INVALID, exclude=["path", "parent"])
    category.version += 1
    category.save()
    record_event(event_type=EventType.CATEGORY_UPDATED, target=category, actor=actor, old=old, new=changes)
    return category


# --- acceptance standards ---------------------------------------------------------------


def _validate_items(items) -> list[dict]:
    cleaned = []
    for index, item in enumerate(items or [], start=1):
        group = item.get("group")
        text = (item.get("text") or "").strip()
        if group not in InspectionGroup.values or not text:
            raise DomainError(
                CatalogErrorCode.INSPECTION_TEMPLATE_INVALID_ITEM,
                _("第 %(n)s 个验收要点无效：须选择类别并填写内容") % {"n": index},
                fields={"items": [_("第 %(n)s 项无效") % {"n": index}]},
            )
        cleaned.append({"group": group, "text": text, "order": item.get("order") or index})
    return cleaned


@service
def inspection_template_create(*, actor, name: str, description: str = "", items=None) -> InspectionTemplate:
    """Define an acceptance standard with its checklist (seed 000 商品验收: 外观、性能、规格、数量)."""
    require_perm(actor, "catalog.add_inspectiontemplate")
    name = (name or "").strip()
    if InspectionTemplate.objects.filter(name=name).exists():
        raise DomainError(
            CatalogErrorCode.INSPECTION_TEMPLATE_DUPLICATE,
            _("验收标准“%(name)s”已存在") % {"name": name},
            fields={"name": [_("已存在")]},
        )
    cleaned = _validate_items(items)
    template = InspectionTemplate(name=name, description=(description or "").strip())
    _full_clean(template, CatalogErrorCode.INSPECTION_TEMPLATE_INVALID)
    template.save()
    InspectionItem.objects.bulk_create([InspectionItem(template=template, **item) for item in cleaned])
    record_event(
        event_type=EventType.INSPECTION_TEMPLATE_CREATED,
        target=template,
        actor=actor,
        new={"name": name, "items": len(cleaned)},
    )
    return template


@service
def inspection_template_update(
    *, actor, template_id: int, expected_version: int, items=None, **changes
) -> InspectionTemplate:
    """Edit an acceptance standard; `items`, when given, replace the checklist. Stale version → 409."""
    require_perm(actor, "catalog.change_inspectiontemplate")
    unknown = set(changes) - set(TEMPLATE_EDITABLE)
    if unknown:
        raise DomainError(
            CatalogErrorCode.INSPECTION_TEMPLATE_UNKNOWN_FIELDS, _("不可修改的字段：%s") % ", ".join(sorted(unknown))
        )
    template = lock_current(InspectionTemplate.objects.all(), template_id, expected_version)
    old = {field: getattr(template, field) for field in changes}
    for field, value in _clean_strings(changes).items():
        setattr(template, field, value)
    _full_clean(template, CatalogErrorCode.INSPECTION_TEMPLATE_INVALID)
    new = dict(changes)
    if items is not None:
        cleaned = _validate_items(items)
        old["items"] = template.items.count()
        template.items.all().delete()
        InspectionItem.objects.bulk_create([InspectionItem(template=template, **item) for item in cleaned])
        new["items"] = len(cleaned)
    template.version += 1
    template.save()
    record_event(event_type=EventType.INSPECTION_TEMPLATE_UPDATED, target=template, actor=actor, old=old, new=new)
    return template
