"""The sales app's part of data-subject requests (PIPL; see `core.personal_data`; INF-1, TRC-1, TRC-4).

- GSP sales records (TRC-1) copy the buyer's contact, phone and address. A medical device's record is kept until
  its `retain_until` (TRC-4: 2 years after expiry, at least 5 years, for ever for implantables): restricted —
  the values sealed and shown masked — never erased inside the period; after it, erased.
- Sales orders hold a consignee (收货人, phone, address). An order whose goods left under a GSP record still under
  retention is part of that record and is restricted with it; every other order is erased.
- Inquiries hold a prospect's name and phone and free text (needs, special requirements, the reply): erased.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.personal_data import REDACTED, Retention, erase_rows, row, seal_rows
from salesservice.customers.personal_data import retained_identity

from .models import Inquiry, SalesOrder, SalesRecord

BASIS = "医疗器械销售记录：保存至有效期满后 2 年且不少于 5 年，植入类永久（TRC-4）"


def records_retention(records, today: dt.date | None = None) -> Retention | None:
    """The longest retention among GSP sales records (None when none of them is a medical device's record still
    within its period). Used by the apps whose records belong to a sale: the order, its delivery, a recall."""
    today = today or timezone.localdate()
    until, found = dt.date.min, False
    for record in records:
        if not record.is_medical_device:
            continue
        if record.retain_until is None:
            return Retention(None, _(BASIS))
        if record.retain_until >= today:
            found, until = True, max(until, record.retain_until)
    return Retention(until, _(BASIS)) if found else None


class SalesRecords:
    """GSP 销售记录."""

    label = "销售记录（GSP）"
    models = (SalesRecord,)
    restricts = (SalesRecord,)
    FIELDS = {"contact": "name", "phone": "phone", "address": "address"}

    def _records(self, customer):
        return SalesRecord.objects.filter(customer=customer).order_by("sale_date", "id")

    def identity(self, customer) -> dict[str, str]:
        values: dict[str, str] = {}
        for contact, phone, address in self._records(customer).values_list("contact", "phone", "address").distinct():
            values.update({contact: "name", phone: "phone", address: "address"})
        return values

    def export(self, customer) -> dict[str, list[dict]]:
        fields = ("shipment_number", "sale_date", "product_name", "specification", "registration_no", "lot_number",
                  "serial_number", "expiry_date", "quantity", "unit_price", "amount", "buyer_name",
                  "buyer_licence_no", "contact", "phone", "address", "retain_until")  # fmt: skip
        return {_("销售记录（GSP）"): [row(record, fields) for record in self._records(customer)]}

    def restrict(self, customer, *, actor) -> list:
        kept = [(record, period) for record in self._records(customer) if (period := records_retention([record]))]
        return seal_rows(
            kept,
            label=_("销售记录（GSP，医疗器械）"),
            fields=self.FIELDS,
            actor=actor,
            customer=customer,
            subject=retained_identity(customer) if kept else None,
        )

    def erase(self, customer, *, actor) -> list:
        return erase_rows(
            list(self._records(customer)),
            label=_("销售记录"),
            blank={"contact": REDACTED, "phone": "", "address": ""},
            actor=actor,
            customer=customer,
        )


class SalesOrders:
    """销售订单 — the consignee."""

    label = "销售订单"
    models = (SalesOrder,)
    restricts = (SalesOrder,)
    FIELDS = {"ship_to_contact": "name", "ship_to_phone": "phone", "ship_to_address": "address"}

    def _orders(self, customer):
        return SalesOrder.objects.filter(customer=customer).prefetch_related("sales_records").order_by("created_at")

    def identity(self, customer) -> dict[str, str]:
        values: dict[str, str] = {}
        rows = SalesOrder.objects.filter(customer=customer).values_list(
            "ship_to_contact", "ship_to_phone", "ship_to_address"
        )
        for contact, phone, address in rows.distinct():
            values.update({contact: "name", phone: "phone", address: "address"})
        return values

    def export(self, customer) -> dict[str, list[dict]]:
        fields = ("number", "status", "total", "requested_date", "ship_to_contact", "ship_to_phone", "ship_to_address",
                  "note", "created_at")  # fmt: skip
        return {_("销售订单"): [row(order, fields) for order in self._orders(customer)]}

    def restrict(self, customer, *, actor) -> list:
        kept = [
            (order, period)
            for order in self._orders(customer)
            if (period := records_retention(order.sales_records.all()))
        ]
        return seal_rows(
            kept,
            label=_("销售订单（医疗器械销售记录）"),
            fields=self.FIELDS,
            scrub=("note",),
            actor=actor,
            customer=customer,
            subject=retained_identity(customer) if kept else None,
        )

    def erase(self, customer, *, actor) -> list:
        return erase_rows(
            list(self._orders(customer)),
            label=_("销售订单"),
            blank={"ship_to_contact": REDACTED, "ship_to_phone": "", "ship_to_address": ""},
            scrub=("note",),
            actor=actor,
            customer=customer,
        )


class Inquiries:
    """客户咨询 — a prospect's name and phone, the needs and the reply."""

    label = "客户咨询"
    models = (Inquiry,)
    TEXTS = ("needs", "special_requirements", "reply", "close_reason")

    def _inquiries(self, customer):
        phones = [value for value in (customer.phone,) if value]
        match = Q(customer=customer) | (Q(customer__isnull=True, prospect_phone__in=phones) if phones else Q(pk__in=[]))
        return Inquiry.objects.filter(match).order_by("received_at")

    def identity(self, customer) -> dict[str, str]:
        values: dict[str, str] = {}
        for name, phone in self._inquiries(customer).values_list("prospect_name", "prospect_phone").distinct():
            values.update({name: "name", phone: "phone"})
        return values

    def export(self, customer) -> dict[str, list[dict]]:
        fields = ("number", "channel", "received_at", "prospect_name", "prospect_phone", "needs",
                  "special_requirements", "reply", "status")  # fmt: skip
        return {_("客户咨询"): [row(inquiry, fields) for inquiry in self._inquiries(customer)]}

    def restrict(self, customer, *, actor) -> list:
        return []

    def erase(self, customer, *, actor) -> list:
        return erase_rows(
            list(self._inquiries(customer)),
            label=_("客户咨询"),
            blank={"prospect_name": REDACTED, "prospect_phone": ""},
            scrub=self.TEXTS,
            actor=actor,
            customer=customer,
        )


HANDLERS = [SalesRecords(), SalesOrders(), Inquiries()]
