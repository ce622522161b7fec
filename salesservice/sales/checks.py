"""The sales gate: may this order be sold to this customer today? (BUY-1, PRD-1, SAL-5, DEL-6)

One function answers it for order review, allocation and shipment — the state of a qualification or of a
product can change between review and shipment, so each step asks again. It returns `Reason`s (empty means
allowed), each with the line it concerns, so the page and the API can list them all.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.catalog.sellability import product_sellability_many
from salesservice.core.exceptions import DomainError
from salesservice.core.reasons import Reason
from salesservice.customers.buyer import buyer_check

from .errors import SalesErrorCode as E


def line_reasons(order, lines, at: dt.date | None = None) -> list[dict]:
    """Every buyer-qualification (BUY-1) and sellability (PRD-1) reason against the order's lines.

    Each entry: `{"line": index from 1, "product": name, "kind": "buyer"|"product", "code", "message"}`.
    Two queries: the customer's qualifications and the lines' restriction flags.
    """
    day = at or timezone.localdate()
    customer = order.customer
    qualifications = list(customer.qualifications.all())
    products = [line.product for line in lines]
    unsellable = product_sellability_many(products, day)
    found: list[dict] = []
    for index, line in enumerate(lines, start=1):
        for reason in buyer_check(customer, line.product, day, qualifications=qualifications):
            found.append(_entry(index, line, "buyer", reason))
        for reason in unsellable.get(line.product.pk, []):
            found.append(_entry(index, line, "product", reason))
    return found


def _entry(index: int, line, kind: str, reason: Reason) -> dict:
    return {"line": index, "product": line.product.name, "kind": kind, **reason.as_dict()}


def refuse_if_blocked(order, lines, at: dt.date | None = None, *, step: str) -> None:
    """Raise 409 when a line may not be sold: `sales_order.buyer_unqualified` when the buyer's qualification
    fails (BUY-1), else `sales_order.unsellable` (PRD-1); `fields.reasons` lists every reason."""
    reasons = line_reasons(order, lines, at)
    if not reasons:
        return
    buyer = [r for r in reasons if r["kind"] == "buyer"]
    code = E.ORDER_BUYER_UNQUALIFIED if buyer else E.ORDER_UNSELLABLE
    first = (buyer or reasons)[0]
    error = DomainError(
        code,
        _("%(step)s被拒绝：第 %(line)s 行 %(product)s — %(message)s")
        % {"step": step, "line": first["line"], "product": first["product"], "message": first["message"]},
        fields={"reasons": reasons},
    )
    error.status_code = 409
    raise error
