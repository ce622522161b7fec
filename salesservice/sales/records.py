"""The GSP sales record 销售记录 (TRC-1, TRC-4; 004 §4.4.1): written when goods leave the warehouse.

For a medical device every field the regulation lists is required — the product's name, specification,
registration/filing number, manufacturer and its licence; lot or serial and expiry; the buyer, its licence,
a contact, phone and address. `missing_fields` says what is missing before anything is issued;
`record_shipment` refuses (409 `sales_record.incomplete`) and otherwise writes one row per lot shipped.
`retain_until` follows TRC-4: implantables for ever (empty), otherwise two years after the expiry and at
least five years after the sale.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from salesservice.core.exceptions import DomainError

from .errors import SalesErrorCode as E
from .models import SalesRecord

KEEP_AFTER_EXPIRY_YEARS = 2
KEEP_AT_LEAST_YEARS = 5

# field of the record → its label; which are required for a medical device
PRODUCT_FIELDS = {
    "name": _("产品名称"),
    "specification": _("规格型号"),
    "registration_no": _("注册证号/备案凭证号"),
    "manufacturer": _("生产企业"),
    "manufacturer_licence_no": _("生产企业许可证号/备案号"),
}
BUYER_FIELDS = {
    "buyer_licence_no": _("购货单位许可证号"),
    "contact": _("联系人"),
    "phone": _("联系电话"),
    "address": _("地址"),
}


def is_medical_device(product) -> bool:
    return str(getattr(product, "device_class", "") or "none") not in ("", "none")


def buyer_details(order) -> dict:
    """The buyer's side of the record: licence number (the qualification that covers the sale), contact,
    phone and address (the order's ship-to, else the customer's primary contact, else the customer)."""
    customer = order.customer
    qualifications = sorted(customer.qualifications.all(), key=lambda q: (q.valid_until is None, q.valid_until))
    licence = next((q.number for q in reversed(qualifications) if q.number), "")
    contacts = list(customer.contacts.all())
    primary = next((c for c in contacts if c.is_primary), contacts[0] if contacts else None)
    return {
        "buyer_name": customer.name,
        "buyer_licence_no": licence,
        "contact": order.ship_to_contact or (primary.name if primary else ""),
        "phone": order.ship_to_phone or (primary.phone if primary else "") or customer.phone,
        "address": order.ship_to_address or (primary.address if primary else "") or customer.address,
    }


def missing_fields(order, lines) -> list[dict]:
    """TRC-1: what the medical-device lines of `order` lack — `[{"line": n, "product": …, "missing": [labels]}]`."""
    buyer = None
    missing: list[dict] = []
    for index, line in enumerate(lines, start=1):
        product = line.product
        if not is_medical_device(product):
            continue
        if buyer is None:
            buyer = buyer_details(order)
        lacking = [
            str(label) for field, label in PRODUCT_FIELDS.items() if not (getattr(product, field, "") or "").strip()
        ]
        lacking += [str(label) for field, label in BUYER_FIELDS.items() if not (buyer.get(field) or "").strip()]
        if lacking:
            missing.append({"line": index, "product": product.name, "missing": lacking})
    return missing


def refuse_if_incomplete(order, lines) -> None:
    missing = missing_fields(order, lines)
    if missing:
        first = missing[0]
        error = DomainError(
            E.GSP_INCOMPLETE,
            _("医疗器械销售记录不完整（TRC-1）：第 %(line)s 行 %(product)s 缺少 %(fields)s")
            % {"line": first["line"], "product": first["product"], "fields": "、".join(first["missing"])},
            fields={"missing": missing},
        )
        error.status_code = 409
        raise error


def retain_until(product, lot, sale_date: dt.date) -> dt.date | None:
    """TRC-4: None (for ever) for implantables; else max(expiry + 2 years, sale + 5 years)."""
    if getattr(product, "is_implantable", False):
        return None
    floor = _add_years(sale_date, KEEP_AT_LEAST_YEARS)
    if lot is not None and lot.expiry_date:
        return max(floor, _add_years(lot.expiry_date, KEEP_AFTER_EXPIRY_YEARS))
    return floor


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def record_shipment(
    *, order, issued, sale_date: dt.date, shipment_id=None, shipment_number: str = ""
) -> list[SalesRecord]:
    """Write the GSP record of a shipment: `issued` is `[(order line, lot, quantity), …]` (inside the caller's
    transaction, after `refuse_if_incomplete`). One bulk insert."""
    buyer = buyer_details(order)
    rows = []
    for line, lot, quantity in issued:
        product = line.product
        rows.append(
            SalesRecord(
                org_unit_id=order.org_unit_id,
                order=order,
                order_line=line,
                customer_id=order.customer_id,
                product=product,
                lot=lot,
                shipment_id=shipment_id,
                shipment_number=shipment_number,
                sale_date=sale_date,
                quantity=quantity,
                unit_price=line.unit_price,
                amount=(line.unit_price or Decimal("0")) * quantity,
                is_medical_device=is_medical_device(product),
                product_name=product.name,
                specification=product.specification,
                registration_no=product.registration_no,
                lot_number=lot.lot_number,
                serial_number=lot.serial_number,
                expiry_date=lot.expiry_date,
                manufacturer=product.manufacturer,
                manufacturer_licence_no=product.manufacturer_licence_no,
                retain_until=retain_until(product, lot, sale_date),
                **buyer,
            )
        )
    return SalesRecord.objects.bulk_create(rows)
