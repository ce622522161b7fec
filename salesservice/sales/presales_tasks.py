"""Periodic jobs of the pre-sales part (thin, idempotent, calling services). `sales/tasks.py` imports them
(`from .presales_tasks import *`) so that Celery's autodiscovery registers them."""

from celery import shared_task

from salesservice.core import context

__all__ = ["remind_expiring_authorisations", "remind_overdue_inquiries"]


@shared_task(name="sales.remind_overdue_inquiries", ignore_result=True)
def remind_overdue_inquiries() -> int:
    """PRE-1: every 10 minutes — remind once each open inquiry past its reply time unanswered."""
    from .presales import inquiry_remind_overdue

    token = context.activate(context.RequestContext(via="job"))
    try:
        return inquiry_remind_overdue(actor=None)
    finally:
        context.reset(token)


@shared_task(name="sales.remind_expiring_authorisations", ignore_result=True)
def remind_expiring_authorisations() -> int:
    """BUY-2: daily — remind once each sales-rep authorisation letter expiring within the warning period."""
    from .presales import authorisations_remind_expiring

    token = context.activate(context.RequestContext(via="job"))
    try:
        return authorisations_remind_expiring(actor=None)
    finally:
        context.reset(token)
