"""The service desk's part of data-subject requests (PIPL; see `core.personal_data`).

A service request copies the contact's name, phone and address; a visit records where it took place; an
acceptance holds the signer's name and signature image, and the customer's own words. Knowledge articles
written from a request may quote the customer.

Retention (TRC-4). A service request about a medical device (its product's device class is not 非医疗器械)
belongs to that device's record: with the serial / batch and the buyer it is how a recall or an adverse event
reaches the unit and its user (TRC-2), and DESIGN §7 counts service records among the records regulation
requires. It is kept as long as the device's sales record — until 2 years after the device's expiry (purchase
date + shelf life), at least 5 years after the request's last date without one, for ever for implantables
(`catalog.retention`) — with its visits and acceptances. Kept means restricted: the contact's name, phone and
address, the visit's place, the signer's name and the signature are sealed and shown masked, its texts show the
identity masked (the originals sealed); nothing else of the record changes. Requests about other products,
and medical-device requests whose period has passed, are erased.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from salesservice.catalog.retention import latest_day, record_retention
from salesservice.core.personal_data import REDACTED, erase_rows, row, seal_rows
from salesservice.customers.personal_data import retained_identity

from .models import Acceptance, KnowledgeArticle, ServiceRequest, WorkRecord

REQUEST_SEALED = {"contact_name": "name", "contact_phone": "phone", "address": "address"}
REQUEST_TEXTS = ("description", "root_cause", "solution", "cancel_reason")
VISIT_TEXTS = ("measures", "parts_used", "condition_before", "condition_after")
ACCEPTANCE_TEXTS = ("comment", "rejection_reason")


def retention(request: ServiceRequest):
    """The request's retention, or None when no period runs (not a medical device, or the period is over)."""
    kept = record_retention(
        request.product,
        recorded=latest_day(request.received_at, request.closed_at, request.cancelled_at),
        purchased=request.purchase_date,
    )
    return kept if kept is not None and kept.running() else None


class ServiceRecords:
    """售后服务单, their visits (服务记录) and the customer's acceptances (客户验收)."""

    label = "售后服务单"
    models = (ServiceRequest, WorkRecord, Acceptance, KnowledgeArticle)
    restricts = (ServiceRequest, WorkRecord, Acceptance)

    def _requests(self, customer):
        return ServiceRequest.objects.filter(customer=customer).select_related("product").order_by("received_at")

    def identity(self, customer) -> dict[str, str]:
        values = {}
        for request in self._requests(customer):
            values.update({request.contact_name: "name", request.contact_phone: "phone"})
            values[request.address] = "address"
        for acceptance in Acceptance.objects.filter(request__customer=customer):
            values[acceptance.signer_name] = "name"
        return values

    def export(self, customer) -> dict[str, list[dict]]:
        requests = list(self._requests(customer))
        return {
            _("售后服务单"): [
                row(
                    r,
                    (
                        "number",
                        "store",
                        "channel",
                        "category",
                        "product",
                        "serial_number",
                        "batch_number",
                        "purchase_date",
                        "description",
                        "contact_name",
                        "contact_phone",
                        "address",
                        "status",
                        "received_at",
                        "closed_at",
                        "root_cause",
                        "solution",
                        "satisfaction",
                    ),
                )
                for r in requests
            ],
            _("服务记录"): [
                row(w, ("request", "visited_at", "place", "measures", "parts_used"))
                for w in WorkRecord.objects.filter(request__in=requests).select_related("request")
            ],
            _("客户验收"): [
                row(
                    a,
                    ("request", "method", "accepted", "rating", "comment", "rejection_reason", "signer_name"),
                    {_("签名"): a.signature.name if a.signature else ""},
                )
                for a in Acceptance.objects.filter(request__in=requests).select_related("request")
            ],
        }

    def restrict(self, customer, *, actor) -> list:
        kept = [(request, period) for request in self._requests(customer) if (period := retention(request))]
        if not kept:
            return []
        periods = {request.pk: period for request, period in kept}
        common = {"actor": actor, "customer": customer, "subject": retained_identity(customer)}
        result = seal_rows(
            kept, label=_("售后服务单（医疗器械）"), fields=REQUEST_SEALED, scrub=REQUEST_TEXTS, **common
        )
        visits = [(w, periods[w.request_id]) for w in WorkRecord.objects.filter(request_id__in=periods)]
        result += seal_rows(
            visits, label=_("服务记录（医疗器械）"), fields={"place": "address"}, scrub=VISIT_TEXTS, **common
        )
        acceptances = [(a, periods[a.request_id]) for a in Acceptance.objects.filter(request_id__in=periods)]
        result += seal_rows(
            acceptances,
            label=_("客户验收（医疗器械）"),
            fields={"signer_name": "name", "signature": "file"},
            scrub=ACCEPTANCE_TEXTS,
            **common,
        )
        return result

    def erase(self, customer, *, actor) -> list:
        common = {"actor": actor, "customer": customer}
        requests = list(self._requests(customer))
        result = erase_rows(
            requests,
            label=_("售后服务单"),
            blank={"contact_name": REDACTED, "contact_phone": "", "address": ""},
            scrub=REQUEST_TEXTS,
            **common,
        )
        result += erase_rows(
            list(WorkRecord.objects.filter(request__in=requests)),
            label=_("服务记录"),
            blank={"place": ""},
            scrub=VISIT_TEXTS,
            **common,
        )
        result += erase_rows(
            list(Acceptance.objects.filter(request__in=requests)),
            label=_("客户验收"),
            blank={"signer_name": REDACTED},
            scrub=ACCEPTANCE_TEXTS,
            files=("signature",),
            **common,
        )
        result += erase_rows(
            list(KnowledgeArticle.objects.filter(source_request__in=requests)),
            label=_("知识库文章"),
            scrub=("title", "body", "search_text"),
            **common,
        )
        return result


HANDLERS = [ServiceRecords()]
