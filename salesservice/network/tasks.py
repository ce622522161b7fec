"""Network periodic jobs (NET-1, NET-2): thin and idempotent, calling the report service."""

from celery import shared_task

from salesservice.core import context


def _as_job(func, **kwargs):
    token = context.activate(context.RequestContext(via="job"))
    try:
        return func(**kwargs)
    finally:
        context.reset(token)


@shared_task(name="network.weekly_report", ignore_result=True)
def weekly_report(today=None) -> int:
    """NET-1: every Monday — the service quality report of the week before."""
    from .choices import ReportKind
    from .reports import provider_report_generate

    return _as_job(provider_report_generate, kind=ReportKind.WEEKLY, today=today).pk


@shared_task(name="network.monthly_rollup", ignore_result=True)
def monthly_rollup(today=None) -> int:
    """NET-2: on the 1st — the roll-up of the month before against the evaluation items."""
    from .choices import ReportKind
    from .reports import provider_report_generate

    return _as_job(provider_report_generate, kind=ReportKind.MONTHLY, today=today).pk


@shared_task(name="network.training_quarter", ignore_result=True)
def training_quarter(today=None) -> int:
    """NET-4: on the first day of each quarter — the previous quarter's pass rates, flags and untrained."""
    from .training import training_quarter_close

    return len(_as_job(training_quarter_close, today=today))
