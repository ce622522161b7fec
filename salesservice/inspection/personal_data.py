"""Inspection's part of data-subject requests (PIPL; see `core.personal_data`).

A nonconformance holds no contact data; it reaches a customer only through the return whose inspection
opened it, and its texts may quote what the customer said.

Retention (TRC-4). A nonconformance of a medical device (its product's device class is not 非医疗器械) is an
inspection record of that device and is kept like the device's receipt-inspection record: until 2 years after
its expiry (counted from the record's last date plus the shelf life — no purchase date is recorded), at least 5
years without one, for ever for implantables (`catalog.retention`). Kept means restricted: marked, its texts and
history show the customer's identity masked (the originals sealed). Others are erased: every identifying value
of the customer leaves their texts and history.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from salesservice.catalog.retention import latest_day, record_retention
from salesservice.core.personal_data import erase_rows, row, seal_rows

from .models import Nonconformance

NONCONFORMANCE_TEXTS = ("description", "disposition_note", "closing_note")


def retention(nonconformance: Nonconformance):
    kept = record_retention(
        nonconformance.product, recorded=latest_day(nonconformance.opened_at, nonconformance.closed_at)
    )
    return kept if kept is not None and kept.running() else None


class Nonconformances:
    """不合格品 opened by the inspection of the customer's returns."""

    label = "不合格品"
    models = (Nonconformance,)
    restricts = (Nonconformance,)

    def _nonconformances(self, customer):
        return Nonconformance.objects.filter(source_return__customer=customer).select_related("product")

    def export(self, customer) -> dict[str, list[dict]]:
        return {
            _("不合格品"): [
                row(n, ("number", "source_return", "product", "batch_number", "serial_number", "description", "status"))
                for n in self._nonconformances(customer).select_related("source_return")
            ]
        }

    def restrict(self, customer, *, actor) -> list:
        kept = [(nc, period) for nc in self._nonconformances(customer) if (period := retention(nc))]
        return seal_rows(
            kept, label=_("不合格品（医疗器械）"), scrub=NONCONFORMANCE_TEXTS, actor=actor, customer=customer
        )

    def erase(self, customer, *, actor) -> list:
        return erase_rows(
            list(self._nonconformances(customer)),
            label=_("不合格品"),
            scrub=NONCONFORMANCE_TEXTS,
            actor=actor,
            customer=customer,
        )


HANDLERS = [Nonconformances()]
