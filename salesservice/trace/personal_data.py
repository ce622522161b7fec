"""The trace app's part of data-subject requests (PIPL; see `core.personal_data`; TRC-2, TRC-4).

A recall task copies the customer's contact, phone and address from the GSP sales records of the affected lots.
It is evidence that the recall reached the customer, so it is kept as long as those sales records (TRC-4):
restricted, values sealed and shown masked; erased once no record of the affected lots is under retention.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from salesservice.core.personal_data import REDACTED, erase_rows, row, seal_rows
from salesservice.customers.personal_data import retained_identity
from salesservice.sales.models import SalesRecord
from salesservice.sales.personal_data import records_retention

from .models import RecallTask


class RecallTasks:
    """召回任务."""

    label = "召回任务"
    models = (RecallTask,)
    restricts = (RecallTask,)

    def _tasks(self, customer):
        return RecallTask.objects.filter(customer=customer).select_related("campaign").order_by("id")

    def _retention(self, task):
        lots = task.task_lots.values_list("lot_id", flat=True)
        return records_retention(SalesRecord.objects.filter(customer_id=task.customer_id, lot_id__in=list(lots)))

    def export(self, customer) -> dict[str, list[dict]]:
        fields = ("campaign", "contact", "phone", "address", "shipped_quantity", "recovered_quantity", "status",
                  "contacted_at", "contact_note", "closed_at")  # fmt: skip
        return {_("召回任务"): [row(task, fields) for task in self._tasks(customer)]}

    def restrict(self, customer, *, actor) -> list:
        kept = [(task, period) for task in self._tasks(customer) if (period := self._retention(task))]
        return seal_rows(
            kept,
            label=_("召回任务（医疗器械）"),
            fields={"contact": "name", "phone": "phone", "address": "address"},
            scrub=("contact_note", "close_note"),
            actor=actor,
            customer=customer,
            subject=retained_identity(customer) if kept else None,
        )

    def erase(self, customer, *, actor) -> list:
        return erase_rows(
            list(self._tasks(customer)),
            label=_("召回任务"),
            blank={"contact": REDACTED, "phone": "", "address": ""},
            scrub=("contact_note", "close_note"),
            actor=actor,
            customer=customer,
        )


HANDLERS = [RecallTasks()]
