"""The Celery app. Production: CELERY_BROKER_URL=redis://…; embedded default: filesystem broker under var/."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesservice.settings")

app = Celery("salesservice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def setup_periodic_tasks(sender, **kwargs):
    from django.conf import settings

    sender.add_periodic_task(settings.HEARTBEAT_INTERVAL_SECONDS, sender.signature("core.heartbeat"), name="heartbeat")
