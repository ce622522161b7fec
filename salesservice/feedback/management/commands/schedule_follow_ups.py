"""`manage.py schedule_follow_ups [--at ISO-8601] [--surveys]` — the feedback jobs now (FBK-1 … FBK-3). Idempotent."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from salesservice.core import context


class Command(BaseCommand):
    help = "安排回访：为已结案服务单、已结案投诉和重点客户安排回访并提醒到期回访（可重复运行，不会重复安排）。"

    def add_arguments(self, parser):
        parser.add_argument("--at", help="按该时刻评估（ISO-8601，如 2026-11-22T10:00:00+08:00），默认现在")
        parser.add_argument("--surveys", action="store_true", help="同时为已结案服务单发送满意度问卷")

    def handle(self, *args, at=None, surveys=False, **options):
        from salesservice.feedback.scheduling import (
            follow_up_schedule_for_closed_requests,
            surveys_send_for_closed_requests,
        )

        now = None
        if at:
            now = parse_datetime(at)
            if now is None:
                raise CommandError(f"无法解析时间：{at}")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        token = context.activate(context.RequestContext(via="command"))
        try:
            result = follow_up_schedule_for_closed_requests(now)
            sent = surveys_send_for_closed_requests(now) if surveys else 0
        finally:
            context.reset(token)
        self.stdout.write(
            self.style.SUCCESS(
                "服务单回访 {service_requests} · 投诉回访 {complaints} · 重点客户回访 {key_accounts} · "
                "到期提醒 {reminders}".format(**result.as_dict())
                + (f" · 满意度问卷 {sent}" if surveys else "")
            )
        )
