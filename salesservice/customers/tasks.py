"""Customers' periodic jobs: thin, idempotent, calling services."""

from celery import shared_task

from salesservice.core import context


@shared_task(name="customers.remind_expiring_qualifications", ignore_result=True)
def remind_expiring_qualifications() -> int:
    """BUY-1: daily — notify owners of buyer qualifications about to expire (once per expiry date)."""
    from .services import qualifications_remind_expiring

    token = context.activate(context.RequestContext(via="job"))
    try:
        return qualifications_remind_expiring(actor=None)
    finally:
        context.reset(token)
