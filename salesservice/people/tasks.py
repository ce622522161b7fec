"""People jobs: thin, idempotent, calling services (safe to run twice or on two workers)."""

from celery import shared_task

from salesservice.core import context


@shared_task(name="people.remind_expiring_certifications", ignore_result=True)
def remind_expiring_certifications() -> int:
    """PPL-4: daily — certifications ending within 30 days are announced once to the engineer and HR trainers."""
    from .services import certifications_remind_expiring

    token = context.activate(context.RequestContext(via="job"))
    try:
        return certifications_remind_expiring(actor=None)
    finally:
        context.reset(token)


@shared_task(name="people.remind_training_sessions", ignore_result=True)
def remind_training_sessions() -> tuple[int, int]:
    """PPL-3: daily — trainers and staff before a session; HR for sessions past their date without attendance."""
    from .training import sessions_remind

    token = context.activate(context.RequestContext(via="job"))
    try:
        return sessions_remind(actor=None)
    finally:
        context.reset(token)
