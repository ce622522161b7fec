"""Appraisal jobs (KPI-3): thin, idempotent, calling services (safe to run twice or on two workers)."""

from celery import shared_task

from salesservice.core import context


def _as_job(func, **kwargs):
    token = context.activate(context.RequestContext(via="job"))
    try:
        return func(**kwargs)
    finally:
        context.reset(token)


@shared_task(name="appraisals.open_cycles", ignore_result=True)
def open_cycles(today=None) -> int:
    """KPI-3: daily — the 1st opens last month's cycle, 1 Jan/Apr/Jul/Oct last quarter's, the 1st of the annual
    appraisal month last year's (each idempotent)."""
    from .services import open_due_cycles

    return len(_as_job(open_due_cycles, today=today))


@shared_task(name="appraisals.remind", ignore_result=True)
def remind(today=None) -> int:
    """KPI-3: daily — pending self-evaluations, evaluations and finalisations within 3 days of the deadline."""
    from .services import appraisals_remind

    return _as_job(appraisals_remind, actor=None, today=today)
