"""Complaint jobs: thin, idempotent, calling the sweep."""

from celery import shared_task

from salesservice.core import context


@shared_task(name="complaints.sla_sweep", ignore_result=True)
def sla_sweep() -> dict:
    """CMP-2 / CMP-7: every minute — first-response breaches and escalations. Safe to run twice."""
    from .sweep import complaints_sweep

    token = context.activate(context.RequestContext(via="job"))
    try:
        return complaints_sweep().as_dict()
    finally:
        context.reset(token)
