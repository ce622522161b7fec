"""Helpers shared by the sales services: scope, lines, money, refusals, department holders."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from salesservice.core.directory import holders
from salesservice.core.exceptions import DomainError, NotFoundError, PermissionDeniedError
from salesservice.core.guards import scoped_get
from salesservice.core.policy import policy_value
from salesservice.core.scoping import can_see_unit

from .choices import Department
from .errors import SalesErrorCode as E

# Who answers for each department at a unit (SAL-1 review sign-off, SAL-7 progress reminders).
DEPARTMENT_ROLES = {
    Department.SALES: ("sales_rep", "store_manager", "region_manager"),
    Department.COMMERCE: ("store_manager", "region_manager"),
    Department.WAREHOUSE: ("warehouse_clerk",),
    Department.QUALITY: ("qa_inspector",),
    Department.SERVICE: ("service_manager", "store_manager"),
    Department.PURCHASING: ("purchaser", "purchasing_manager"),
}


def refuse(code, message, *, status: int = 409, **fields) -> DomainError:
    error = DomainError(code, message, fields=fields or None)
    error.status_code = status
    return error


def get_scoped(model, actor, pk, *, lock: bool = True):
    return scoped_get(model, actor, pk, lock=lock, code=E.NOT_FOUND, message=_("单据不存在或不在您的范围内"))


def customer_in_scope(actor, customer):
    """The selling unit is the customer's store; the actor must see it (INF-1)."""
    if customer is None or (actor is not None and not can_see_unit(actor, customer.store_id)):
        raise NotFoundError(E.CUSTOMER_OUT_OF_SCOPE, _("客户不存在或不在您的范围内"))
    if customer.is_anonymised or not customer.is_active:
        raise refuse(E.CUSTOMER_OUT_OF_SCOPE, _("该客户已停用或已匿名化"))
    return customer


def reason_required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, _("请填写理由"), fields={"reason": [_("必填")]})
    return reason[:300]


def money(value, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(E.INVALID_LINE, _("金额无效"), fields={field: [_("无效")]}) from None
    if amount < 0 or amount >= Decimal("1e12"):
        raise DomainError(E.INVALID_LINE, _("金额超出范围"), fields={field: [_("无效")]})
    return amount


def clean_lines(lines, *, price_required: bool = True) -> list[dict]:
    """Validate `[{"product", "quantity", "unit_price"?}]`: a product, a positive quantity, a price ≥ 0
    (default: the product's list price). Returns dicts with `list_price` filled in."""
    clean = []
    for index, line in enumerate(lines or [], start=1):
        product = line.get("product")
        try:
            quantity = int(line.get("quantity") or 0)
        except (TypeError, ValueError):
            quantity = 0
        if product is None or quantity < 1 or quantity > 1_000_000:
            raise DomainError(
                E.INVALID_LINE,
                _("第 %(n)s 行：请选择商品并填写 1–1000000 的数量") % {"n": index},
                fields={"lines": [_("无效")]},
            )
        if not product.is_active:
            raise DomainError(
                E.INVALID_LINE, _("第 %(n)s 行：商品已停用") % {"n": index}, fields={"lines": [_("无效")]}
            )
        list_price = product.price or Decimal("0")
        price = line.get("unit_price")
        unit_price = list_price if price in (None, "") else money(price, "unit_price")
        clean.append({"product": product, "quantity": quantity, "list_price": list_price, "unit_price": unit_price})
    if not clean:
        raise DomainError(E.NO_LINES, _("请至少填写一行明细"), fields={"lines": [_("必填")]})
    return clean


def discount_pct(list_price: Decimal, unit_price: Decimal) -> Decimal:
    if not list_price:
        return Decimal("0")
    return max(Decimal("0"), (list_price - unit_price) * 100 / list_price).quantize(Decimal("0.1"))


def discount_level(max_discount: Decimal) -> int:
    """0: within the rep's band (no approval), 1: a manager approves, 2: the general manager (SAL-2)."""
    if max_discount <= Decimal(str(policy_value("sales.discount_free_pct"))):
        return 0
    if max_discount <= Decimal(str(policy_value("sales.discount_manager_pct"))):
        return 1
    return 2


def department_holders(department: str, unit) -> list:
    return holders(DEPARTMENT_ROLES.get(department, ("store_manager",)), unit) or holders(
        DEPARTMENT_ROLES.get(department, ("store_manager",)), hq=True
    )


def not_self(actor, *authors, code=E.SELF_APPROVAL, message=None) -> None:
    if actor is not None and any(author is not None and author == actor.pk for author in authors):
        raise PermissionDeniedError(code, message or _("不能审批自己编制的单据"))
