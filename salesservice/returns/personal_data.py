"""Returns' part of data-subject requests (PIPL; see `core.personal_data`).

A return refers to its customer by the customer row and holds no contact data of its own; its texts (the
problem, the approval, what was agreed on receipt, the findings …) may name the customer or quote them.

Retention (TRC-4). A return of a medical device (its product's device class is not 非医疗器械) is part of the
device's sales record — the sale reversed or the unit exchanged, with serial / batch and buyer — and is kept as
long as the sales record: until 2 years after the device's expiry (purchase date + shelf life), at least 5 years
after the return's last date without one, for ever for implantables (`catalog.retention`). Kept means
restricted: the return stays (its texts show the identity masked, the originals sealed) and the buyer's identity
it refers to through the (anonymised) customer row is sealed with it. Other returns are erased: every
identifying value leaves their texts and history.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from salesservice.catalog.retention import latest_day, record_retention
from salesservice.core.personal_data import erase_rows, row, seal_rows
from salesservice.customers.personal_data import retained_identity

from .models import ReturnRequest

RETURN_TEXTS = (
    "description",
    "decision_note",
    "override_reason",
    "rejection_reason",
    "received_note",
    "negotiated_outcome",
    "inspection_findings",
    "resolution_note",
    "closing_note",
    "cancel_reason",
)


def retention(request: ReturnRequest):
    kept = record_retention(
        request.product,
        recorded=latest_day(request.requested_at, request.closed_at, request.cancelled_at),
        purchased=request.purchase_date,
    )
    return kept if kept is not None and kept.running() else None


class Returns:
    """退换货单."""

    label = "退换货单"
    models = (ReturnRequest,)
    restricts = (ReturnRequest,)

    def _returns(self, customer):
        return ReturnRequest.objects.filter(customer=customer).select_related("product").order_by("requested_at")

    def export(self, customer) -> dict[str, list[dict]]:
        return {
            _("退换货单"): [
                row(
                    r,
                    (
                        "number",
                        "store",
                        "product",
                        "serial_number",
                        "batch_number",
                        "purchase_date",
                        "sale_channel",
                        "reason",
                        "description",
                        "requested_kind",
                        "status",
                        "requested_at",
                        "decision_note",
                        "negotiated_outcome",
                        "resolution",
                        "refund_amount",
                        "closed_at",
                    ),
                )
                for r in self._returns(customer)
            ]
        }

    def restrict(self, customer, *, actor) -> list:
        kept = [(request, period) for request in self._returns(customer) if (period := retention(request))]
        return seal_rows(
            kept,
            label=_("退换货单（医疗器械）"),
            scrub=RETURN_TEXTS,
            actor=actor,
            customer=customer,
            subject=retained_identity(customer) if kept else None,
        )

    def erase(self, customer, *, actor) -> list:
        return erase_rows(
            list(self._returns(customer)), label=_("退换货单"), scrub=RETURN_TEXTS, actor=actor, customer=customer
        )


HANDLERS = [Returns()]
