"""Feedback jobs: thin, idempotent, calling `scheduling.py` (safe to run twice or on two workers)."""

from celery import shared_task

from salesservice.core import context


@shared_task(name="feedback.schedule_follow_ups", ignore_result=True)
def schedule_follow_ups() -> dict:
    """FBK-1/FBK-2: hourly — follow-ups for closed requests, complaints and key accounts; due reminders."""
    from .scheduling import follow_up_schedule_for_closed_requests

    token = context.activate(context.RequestContext(via="job"))
    try:
        return follow_up_schedule_for_closed_requests().as_dict()
    finally:
        context.reset(token)


@shared_task(name="feedback.send_surveys", ignore_result=True)
def send_surveys() -> int:
    """FBK-3: hourly — the satisfaction survey for every closed service request and complaint that has none."""
    from .scheduling import surveys_send_for_closed_complaints, surveys_send_for_closed_requests

    token = context.activate(context.RequestContext(via="job"))
    try:
        return surveys_send_for_closed_requests() + surveys_send_for_closed_complaints()
    finally:
        context.reset(token)
