"""Returns jobs: thin, idempotent, calling the sweep."""

from celery import shared_task

from salesservice.core import context


@shared_task(name="returns.sweep", ignore_result=True)
def returns_sweep() -> dict:
    """RET-2: every minute — missed handling deadlines and escalation of stalled returns. Safe to run twice."""
    from .clocks import returns_sweep as run

    token = context.activate(context.RequestContext(via="job"))
    try:
        return run()
    finally:
        context.reset(token)
