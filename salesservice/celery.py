"""The Celery app. Production: CELERY_BROKER_URL=redis://…; embedded default: filesystem broker under var/.

Beats: any number may run, one sends (the beat lock, `salesservice.core.beat_lock`)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesservice.settings")

app = Celery("salesservice")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Exactly one beat sends the periodic tasks however many are started: the one holding the beat lock
# (core/beat_lock.py; a PostgreSQL advisory lock, a file lock on the embedded setup). Not a setting:
# running without the lock is never right.
app.conf.beat_scheduler = "salesservice.core.beat_lock:LockedScheduler"
app.autodiscover_tasks()


@app.on_after_finalize.connect
def setup_periodic_tasks(sender, **kwargs):
    """Every periodic task the registered apps declare (`periodic_tasks` on their AppConfig)."""
    from salesservice.core.registry import periodic_tasks

    for task in periodic_tasks():
        sender.add_periodic_task(task.schedule, sender.signature(task.task), name=task.name)
