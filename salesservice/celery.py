"""The Celery app. Production: CELERY_BROKER_URL=redis://…; embedded default: filesystem broker under var/."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesservice.settings")

app = Celery("salesservice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def setup_periodic_tasks(sender, **kwargs):
    from django.conf import settings

    sender.add_periodic_task(settings.HEARTBEAT_INTERVAL_SECONDS, sender.signature("core.heartbeat"), name="heartbeat")
    # SRV-2: every minute, record first-contact breaches, warn assignees and escalate overdue requests.
    sender.add_periodic_task(60.0, sender.signature("service.sla_sweep"), name="service SLA sweep")
    # CMP-2/CMP-7: complaint first-response breaches and escalation, every minute.
    sender.add_periodic_task(60.0, sender.signature("complaints.sla_sweep"), name="complaint SLA sweep")
    # FBK-1/FBK-2: schedule a follow-up for every closed request and complaint; send the surveys (hourly, idempotent).
    sender.add_periodic_task(
        crontab(minute=5), sender.signature("feedback.schedule_follow_ups"), name="feedback follow-ups"
    )
    sender.add_periodic_task(crontab(minute=20), sender.signature("feedback.send_surveys"), name="feedback surveys")
    # BUY-1: remind sales reps of buyer qualifications about to expire (idempotent; safe to run twice).
    sender.add_periodic_task(
        crontab(hour=8, minute=0),
        sender.signature("customers.remind_expiring_qualifications"),
        name="remind expiring customer qualifications",
    )
