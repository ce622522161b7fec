"""Delivery jobs: thin, idempotent, calling services (safe to run twice or on two workers)."""

from celery import shared_task

from salesservice.core import context


@shared_task(name="delivery.remind_uninformed_incidents", ignore_result=True)
def remind_uninformed_incidents() -> int:
    """DEL-2: every 15 minutes — incidents not told to the customer within the policy hours are reminded once."""
    from .services import incidents_remind_uninformed

    token = context.activate(context.RequestContext(via="job"))
    try:
        return incidents_remind_uninformed()
    finally:
        context.reset(token)
