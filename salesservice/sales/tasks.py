"""Sales periodic jobs: thin, idempotent, calling services (SAL-7 late steps, DEL-5 overdue payments,
quotations past validity). The pre-sales jobs live in presales_tasks.py."""

from celery import shared_task

from salesservice.core import context

from .presales_tasks import *  # noqa: F403 — register the pre-sales jobs with the worker


def _as_job(func):
    token = context.activate(context.RequestContext(via="job"))
    try:
        return func()
    finally:
        context.reset(token)


@shared_task(name="sales.remind_late_steps", ignore_result=True)
def remind_late_steps() -> int:
    """SAL-7: every 15 minutes — remind each late progress step once."""
    from .orders import steps_remind_late

    return _as_job(steps_remind_late)


@shared_task(name="sales.remind_overdue_payments", ignore_result=True)
def remind_overdue_payments() -> int:
    """DEL-5: daily — remind overdue receivables to the rep."""
    from .orders import payments_remind_overdue

    return _as_job(payments_remind_overdue)


@shared_task(name="sales.expire_quotations", ignore_result=True)
def expire_quotations() -> int:
    from .services import quotations_expire

    return _as_job(quotations_expire)
