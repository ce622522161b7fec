"""Supervision jobs: thin, idempotent, calling services (safe to run twice or on two workers)."""

from celery import shared_task

from salesservice.core import context


@shared_task(name="supervision.remind_findings", ignore_result=True)
def remind_findings() -> int:
    """SUV-2: daily — owners of findings due within 2 days or overdue are reminded, once a day each."""
    from .services import findings_remind

    token = context.activate(context.RequestContext(via="job"))
    try:
        return findings_remind(actor=None)
    finally:
        context.reset(token)


@shared_task(name="supervision.escalate_issues", ignore_result=True)
def escalate_issues() -> int:
    """COM-1: daily — overdue open cross-department issues are escalated once to the heads involved."""
    from .services import issues_escalate

    token = context.activate(context.RequestContext(via="job"))
    try:
        return issues_escalate(actor=None)
    finally:
        context.reset(token)
