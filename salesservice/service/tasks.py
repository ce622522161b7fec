"""Service desk jobs: thin, idempotent, calling the sweep."""

from celery import shared_task

from salesservice.core import context


@shared_task(name="service.sla_sweep", ignore_result=True)
def sla_sweep() -> dict:
    """SRV-2: every minute — first-contact breaches, escalations, deadline warnings. Safe to run twice."""
    from .sweep import sla_sweep as run

    token = context.activate(context.RequestContext(via="job"))
    try:
        return run().as_dict()
    finally:
        context.reset(token)
