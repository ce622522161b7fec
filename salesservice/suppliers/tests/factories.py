"""Builders of suppliers for tests — this app's and purchasing's (the public test API of issue 13):

- `qualified_supplier(*products, name=None)`: a supplier with valid documents (business licence, operation
  licence, quality agreement, a registration certificate per medical-device product) on a newly approved
  qualified list for `products` — `order_check(supplier, p)` is [] for each of them;
- `unlisted_supplier(name=None)`: the same documents, on no list — `order_check` refuses `supplier.not_listed`
  (or `supplier.no_approved_list` when no list was ever approved);
- `delist(supplier)`: suspend it — `order_check` then refuses `supplier.suspended` for every product.

Everything goes through the services (actor None: the system), so what tests see is what users get.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from salesservice.core.choices import OrgUnitKind
from salesservice.core.models import OrgUnit

from .. import services
from ..choices import DocumentKind
from ..models import Supplier

_names = itertools.count(1)


def purchasing_unit() -> OrgUnit:
    """The demo's 采购部 when loaded, else HQ (created if the test has no org at all)."""
    unit = (
        OrgUnit.objects.filter(code="dept-purchasing").first()
        or OrgUnit.objects.filter(kind=OrgUnitKind.COMPANY).first()
    )
    if unit is None:
        unit = OrgUnit.objects.create(code="hq", name="总部", kind=OrgUnitKind.COMPANY)
        unit.path = f"/{unit.pk}/"
        unit.save(update_fields=["path"])
    return unit


def _today() -> dt.date:
    return timezone.localdate()


def supplier(name: str | None = None, *, org_unit=None, documents: bool = True, products=(), **fields) -> Supplier:
    """A supplier (and, with `documents`, valid business licence, operation licence and quality agreement,
    plus a registration certificate for each medical-device product among `products`)."""
    created = services.supplier_create(
        actor=None, name=name or f"测试供应商{next(_names)}", org_unit=org_unit or purchasing_unit(), **fields
    )
    if documents:
        valid_from = _today() - dt.timedelta(days=365)
        expires_on = _today() + dt.timedelta(days=365 * 3)
        for kind in (DocumentKind.BUSINESS_LICENCE, DocumentKind.OPERATION_LICENCE, DocumentKind.QUALITY_AGREEMENT):
            services.document_add(
                actor=None,
                supplier=created,
                kind=kind,
                number=f"{kind[:3].upper()}-{created.number}",
                valid_from=valid_from,
                expires_on=None if kind == DocumentKind.BUSINESS_LICENCE else expires_on,
            )
        devices = [p for p in products if p.is_medical_device]
        if devices:
            services.document_add(
                actor=None,
                supplier=created,
                kind=DocumentKind.REGISTRATION_CERTIFICATE,
                number=f"REG-{created.number}",
                valid_from=valid_from,
                expires_on=expires_on,
                products=devices,
            )
    return created


def approve_list_with(supplier_obj: Supplier, *, products=(), categories=()):
    """A new edition of the qualified list (copying the current one) with `supplier_obj`'s entry, approved."""
    draft = services.qualified_list_create(actor=None, title="合格供方名单（测试）", org_unit=purchasing_unit())
    services.qualified_list_set_entry(
        actor=None, list_id=draft.pk, supplier=supplier_obj, products=products, categories=categories
    )
    services.qualified_list_submit(actor=None, list_id=draft.pk)
    return services.qualified_list_approve(actor=None, list_id=draft.pk)


def qualified_supplier(*products, name: str | None = None) -> Supplier:
    """A supplier purchasing may order `products` from (SUP-2): documents valid, on the approved list."""
    created = supplier(name, products=products)
    approve_list_with(created, products=products)
    created.refresh_from_db()
    return created


def unlisted_supplier(name: str | None = None) -> Supplier:
    """A supplier with valid documents that no approved list names (SUP-2: refused)."""
    return supplier(name)


def delist(supplier_obj: Supplier) -> Supplier:
    """Suspend the supplier: `order_check` refuses it for every product (`supplier.suspended`)."""
    result = services.supplier_suspend(actor=None, supplier_id=supplier_obj.pk, reason="测试：暂停采购")
    supplier_obj.refresh_from_db()
    return result
