"""Document-control jobs (DOC-1): thin, idempotent, calling services (safe to run twice or on two workers)."""

from celery import shared_task

from salesservice.core import context


@shared_task(name="documents.apply_effective", ignore_result=True)
def apply_effective() -> int:
    """Daily: a version issued in advance supersedes the current one on its effective date."""
    from .services import versions_apply_effective

    token = context.activate(context.RequestContext(via="job"))
    try:
        return versions_apply_effective(actor=None)
    finally:
        context.reset(token)


@shared_task(name="documents.remind_acknowledgements", ignore_result=True)
def remind_acknowledgements() -> int:
    """Daily: concerned users who have not confirmed reading an issued version are reminded, once a day."""
    from .services import acknowledgements_remind

    token = context.activate(context.RequestContext(via="job"))
    try:
        return acknowledgements_remind(actor=None)
    finally:
        context.reset(token)
