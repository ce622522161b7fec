"""Complaints' part of data-subject requests (PIPL; see `core.personal_data`).

A complaint refers to its customer by the customer row and holds no contact data of its own, but its texts
(subject, description, demand, verification, solution, feedback …) and those of the customer's decisions and
the compensation paid to them are the customer's account and may name them, quote a phone or an address.

Retention (TRC-4). A complaint about a medical device (its product's device class is not 非医疗器械) is a
quality record of that device: what went wrong with which unit, for which buyer — the trail a recall or an
adverse-event report follows. It is kept like the device's sales record (`catalog.retention`; no purchase date
is recorded, so the expiry is counted from the complaint's last date — never earlier than the real one). Kept
means restricted: the complaint and its child records stay, their texts show the identity masked (the
originals sealed), and the buyer's identity they refer to through the (anonymised) customer row is sealed
too. Other complaints are erased: every identifying value leaves their texts and history.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from salesservice.catalog.retention import latest_day, record_retention
from salesservice.core.personal_data import erase_rows, row, seal_rows, unrestricted
from salesservice.customers.personal_data import retained_identity

from .models import (
    CompensationEntry,
    CompensationRequest,
    Complaint,
    ComplaintDecision,
    ComplaintEscalation,
    ImprovementAction,
    Recovery,
)

COMPLAINT_TEXTS = (
    "subject",
    "description",
    "customer_demand",
    "first_response_note",
    "verification_notes",
    "departments_consulted",
    "solution",
    "implementation_notes",
    "feedback",
    "root_cause",
    "responsible_detail",
    "cancel_reason",
)


# The complaint's child records, with the texts that may quote the customer; the customer's own (decisions,
# payouts) are reported, the internal ones (escalations, improvement actions, approvals, recoveries) are
# treated the same way but not listed.
CHILDREN = [
    (ComplaintDecision, "投诉处理意见", ("solution", "reason"), True),
    (CompensationEntry, "先行赔付", ("note",), True),
    (ComplaintEscalation, "投诉升级记录", ("reason",), False),
    (ImprovementAction, "改进措施", ("description", "done_note"), False),
    (CompensationRequest, "超权限赔付申请", ("note", "decision_note"), False),
    (Recovery, "追偿", ("note",), False),
]


def retention(complaint: Complaint):
    kept = record_retention(
        complaint.product, recorded=latest_day(complaint.received_at, complaint.closed_at, complaint.cancelled_at)
    )
    return kept if kept is not None and kept.running() else None


class Complaints:
    """投诉 with the customer's decisions (客户意见) and what was paid and recovered for them."""

    label = "投诉"
    models = (
        Complaint,
        ComplaintDecision,
        ComplaintEscalation,
        ImprovementAction,
        CompensationEntry,
        CompensationRequest,
        Recovery,
    )
    restricts = (Complaint, *(model for model, *_rest in CHILDREN))

    def _complaints(self, customer):
        return Complaint.objects.filter(customer=customer).select_related("product").order_by("received_at")

    def export(self, customer) -> dict[str, list[dict]]:
        complaints = list(self._complaints(customer))
        return {
            _("投诉"): [
                row(
                    c,
                    (
                        "number",
                        "store",
                        "channel",
                        "service_request",
                        "product",
                        "subject",
                        "description",
                        "customer_demand",
                        "claimed_amount",
                        "status",
                        "received_at",
                        "solution",
                        "feedback",
                        "satisfaction",
                        "closed_at",
                    ),
                )
                for c in complaints
            ],
            _("投诉处理意见"): [
                row(d, ("complaint", "agreed", "solution", "reason", "decided_at"))
                for d in ComplaintDecision.objects.filter(complaint__in=complaints).select_related("complaint")
            ],
            _("先行赔付"): [
                row(e, ("complaint", "kind", "amount", "note", "created_at"))
                for e in CompensationEntry.objects.filter(complaint__in=complaints).select_related("complaint")
            ],
        }

    def restrict(self, customer, *, actor) -> list:
        kept = [(complaint, period) for complaint in self._complaints(customer) if (period := retention(complaint))]
        if not kept:
            return []
        common = {"actor": actor, "customer": customer, "subject": retained_identity(customer)}
        result = seal_rows(kept, label=_("投诉（医疗器械）"), scrub=COMPLAINT_TEXTS, **common)
        periods = {complaint.pk: period for complaint, period in kept}
        for model, label, texts, reported in CHILDREN:
            rows = [(child, periods[child.complaint_id]) for child in model.objects.filter(complaint_id__in=periods)]
            sealed = seal_rows(rows, label=_("%(label)s（医疗器械）") % {"label": label}, scrub=texts, **common)
            result += sealed if reported else []
        return result

    def erase(self, customer, *, actor) -> list:
        common = {"actor": actor, "customer": customer}
        complaints = unrestricted(list(self._complaints(customer)))
        result = erase_rows(complaints, label=_("投诉"), scrub=COMPLAINT_TEXTS, **common)
        for model, label, texts, reported in CHILDREN:
            erased = erase_rows(
                list(model.objects.filter(complaint__in=complaints)), label=label, scrub=texts, **common
            )
            result += erased if reported else []
        return result


HANDLERS = [Complaints()]
