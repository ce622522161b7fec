"""The one door for telling people things: in-app (the bell) and, optionally, email."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .choices import NotificationLevel
from .models import Notification


def build_notifications(
    *,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    level: str = NotificationLevel.INFO,
    kind: str = "",
) -> list[Notification]:
    """Unsaved notifications, one per distinct active recipient — for writers that save many at once."""
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    return [
        Notification(recipient_id=pk, title=str(title)[:200], body=str(body), url=url, level=level, kind=kind)
        for pk in unique
    ]


def notify(*, email: bool = False, **message) -> list[Notification]:
    """Create one notification per distinct active recipient; email copies are sent after commit.

    `message`: `recipients`, `title` and optionally `body`, `url`, `level`, `kind` (see `build_notifications`).
    """
    rows = Notification.objects.bulk_create(build_notifications(**message))
    title = message["title"]
    unique = {row.recipient_id for row in rows}
    if email and rows:
        ids = [row.pk for row in rows if row.pk]
        if not ids:  # backends without RETURNING on bulk insert
            ids = list(
                Notification.objects.filter(recipient_id__in=unique, title=str(title)[:200], emailed_at=None)
                .order_by("-id")
                .values_list("pk", flat=True)[: len(unique)]
            )
        from .tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.delay(ids))
    return rows


def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    return queryset.update(read_at=timezone.now())


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
