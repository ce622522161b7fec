"""Core periodic and background jobs: thin, idempotent, calling services."""

import socket

from celery import shared_task
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone

from .models import Heartbeat, Notification


@shared_task(name="core.heartbeat", ignore_result=True)
def heartbeat(name: str = "scheduler") -> None:
    """Proof that the scheduler and a worker run: /healthz shows the time of the last beat."""
    now = timezone.now()
    updated = Heartbeat.objects.filter(name=name).update(
        last_beat_at=now, hostname=socket.gethostname()[:120], count=F("count") + 1
    )
    if not updated:
        Heartbeat.objects.get_or_create(
            name=name, defaults={"last_beat_at": now, "hostname": socket.gethostname()[:120], "count": 1}
        )


@shared_task(name="core.ping")
def ping(value: str = "pong") -> str:
    """Round trip through the broker (used by the Redis integration test and by operators)."""
    return value


@shared_task(name="core.send_notification_emails", ignore_result=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Email copies of notifications; each is sent once (emailed_at set atomically before sending)."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related(
        "recipient"
    ):
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed or not notification.recipient.email:
            continue
        send_mail(
            subject=f"[销售服务管理系统] {notification.title}",
            message=f"{notification.body}\n\n{notification.url}".strip(),
            from_email=None,
            recipient_list=[notification.recipient.email],
            fail_silently=False,
        )
        sent += 1
    return sent


@shared_task(name="core.purge_expired_restrictions", ignore_result=True)
def purge_expired_restrictions() -> int:
    """TRC-4 / PIPL: daily — records kept under legal retention past their retention date lose the personal
    data that was sealed for them (idempotent: a purged seal is gone)."""
    from . import context
    from .personal_data import purge_expired_restrictions as run

    token = context.activate(context.RequestContext(via="job"))
    try:
        return run()
    finally:
        context.reset(token)


@shared_task(name="core.send_sms", ignore_result=True, bind=True, max_retries=5)
def send_sms_task(self, phone: str, text: str) -> None:
    """One text message through the configured gateway (core.sms); retried with back-off when it fails."""
    from . import sms

    try:
        sms.deliver(phone, text)
    except OSError as error:
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
