"""Text messages to customers through a pluggable gateway, never in the night (issue 12 §16).

`send_sms(phone, text)` queues the message after the current transaction commits, as the Celery task
`core.send_sms`, delayed to the end of the quiet hours when it is asked for inside them (a survey
invitation at 23:20 goes out at 08:00). The backend comes from the environment:

- `SMS_BACKEND=console` (default): the message is written to the `salesservice.sms` log — development,
  demo, and deployments without a gateway;
- `SMS_BACKEND=http`: `POST SMS_GATEWAY_URL` with JSON `{"phone", "text", "sign"}` and
  `Authorization: Bearer SMS_GATEWAY_TOKEN` — the shape an SMS platform's relay or an in-house gateway
  takes; a non-2xx answer or a timeout makes the task retry (up to 5 times, backing off).

`SMS_QUIET_HOURS` is `21:00-08:00` by default (local time; empty = none).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger("salesservice.sms")


def _clock(text: str) -> dt.time:
    hours, minutes = text.strip().split(":")
    return dt.time(int(hours), int(minutes))


def quiet_until(now: dt.datetime) -> dt.datetime | None:
    """The end of the quiet hours `now` falls in (local time), or None when a message may go now."""
    window = (getattr(settings, "SMS_QUIET_HOURS", "") or "").strip()
    if not window:
        return None
    start, end = (_clock(part) for part in window.split("-"))
    local = timezone.localtime(now)
    at = local.time()
    inside = (start <= at or at < end) if start > end else (start <= at < end)
    if not inside:
        return None
    day = local.date() if at < end else local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, end), timezone.get_current_timezone())


def send_sms(phone: str, text: str, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """Queue `text` to `phone` after commit; returns when it will go out if held for the quiet hours."""
    from .tasks import send_sms_task

    eta = quiet_until(now or timezone.now())
    transaction.on_commit(lambda: send_sms_task.apply_async(args=[phone, text], eta=eta))
    return eta


def deliver(phone: str, text: str) -> None:
    """Hand one message to the configured backend (called by the task)."""
    backend = getattr(settings, "SMS_BACKEND", "console") or "console"
    if backend == "console":
        logger.info("SMS to %s: %s", phone, text)
        return
    if backend != "http":
        raise ValueError(f"unknown SMS_BACKEND {backend!r}")
    body = json.dumps({"phone": phone, "text": text, "sign": getattr(settings, "SMS_SIGN", "")}).encode()
    request = urllib.request.Request(
        settings.SMS_GATEWAY_URL,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {getattr(settings, 'SMS_GATEWAY_TOKEN', '')}",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (operator-configured URL)
        if not 200 <= response.status < 300:
            raise OSError(f"SMS gateway answered {response.status}")
