"""Suppliers' periodic jobs: thin, idempotent, calling services."""

from celery import shared_task

from salesservice.core import context


@shared_task(name="suppliers.remind_expiring_documents", ignore_result=True)
def remind_expiring_documents() -> int:
    """SUP-3: daily — tell purchasing about supplier documents about to expire (once per expiry date)."""
    from .services import documents_remind_expiring

    token = context.activate(context.RequestContext(via="job"))
    try:
        return documents_remind_expiring(actor=None)
    finally:
        context.reset(token)
