"""The delivery app's part of data-subject requests (PIPL; see `core.personal_data`; DEL-3, DEL-4, TRC-4).

The acceptance record (who signed for the customer, the drawn signature) and the customer training record
(who confirmed it, trainees, signature) belong to the sale: while the order's GSP sales records of a medical
device are under retention (TRC-4) they are restricted — the signer's name shown masked, the signature no longer
shown, the originals sealed — and erased when the period ends; a delivery without such records is erased now.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from salesservice.core.personal_data import REDACTED, erase_rows, row, seal_rows
from salesservice.customers.personal_data import retained_identity
from salesservice.sales.personal_data import records_retention

from .models import Delivery, TrainingRecord


def _retention(delivery: Delivery):
    return records_retention(delivery.order.sales_records.all())


class Deliveries:
    """交付单与验收记录."""

    label = "交付单（验收签字）"
    models = (Delivery,)
    restricts = (Delivery,)

    def _deliveries(self, customer):
        return Delivery.objects.filter(customer=customer).select_related("order").order_by("shipped_at")

    def identity(self, customer) -> dict[str, str]:
        names = self._deliveries(customer).exclude(signer_name="").values_list("signer_name", flat=True).distinct()
        return dict.fromkeys(names, "name")

    def export(self, customer) -> dict[str, list[dict]]:
        fields = (
            "number",
            "status",
            "shipped_at",
            "carrier",
            "tracking_no",
            "accepted_at",
            "signer_name",
            "released_at",
        )
        return {_("交付单"): [row(d, fields) for d in self._deliveries(customer)]}

    def restrict(self, customer, *, actor) -> list:
        kept = [(d, period) for d in self._deliveries(customer) if (period := _retention(d))]
        return seal_rows(
            kept,
            label=_("交付单（医疗器械验收记录）"),
            fields={"signer_name": "name", "signature": "file"},
            actor=actor,
            customer=customer,
            subject=retained_identity(customer) if kept else None,
        )

    def erase(self, customer, *, actor) -> list:
        return erase_rows(
            list(self._deliveries(customer)),
            label=_("交付单"),
            blank={"signer_name": REDACTED},
            files=("signature",),
            actor=actor,
            customer=customer,
        )


class Trainings:
    """客户培训记录."""

    label = "客户培训记录"
    models = (TrainingRecord,)
    restricts = (TrainingRecord,)

    def _trainings(self, customer):
        return TrainingRecord.objects.filter(delivery__customer=customer).select_related("delivery__order")

    def identity(self, customer) -> dict[str, str]:
        names = (
            self._trainings(customer).exclude(customer_signer_name="").values_list("customer_signer_name", flat=True)
        )
        return dict.fromkeys(names.distinct(), "name")

    def export(self, customer) -> dict[str, list[dict]]:
        fields = ("trained_on", "trainer_name", "trainees", "content", "customer_signer_name")
        return {_("客户培训记录"): [row(t, fields) for t in self._trainings(customer)]}

    def restrict(self, customer, *, actor) -> list:
        kept = [(t, period) for t in self._trainings(customer) if (period := _retention(t.delivery))]
        return seal_rows(
            kept,
            label=_("客户培训记录（医疗器械）"),
            fields={"customer_signer_name": "name", "signature": "file"},
            scrub=("trainees",),
            actor=actor,
            customer=customer,
            subject=retained_identity(customer) if kept else None,
        )

    def erase(self, customer, *, actor) -> list:
        return erase_rows(
            list(self._trainings(customer)),
            label=_("客户培训记录"),
            blank={"customer_signer_name": REDACTED},
            scrub=("trainees",),
            files=("signature",),
            actor=actor,
            customer=customer,
        )


HANDLERS = [Deliveries(), Trainings()]
