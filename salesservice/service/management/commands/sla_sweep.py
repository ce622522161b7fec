"""`manage.py sla_sweep [--at ISO-8601]` — run the SLA sweep now or as of a moment (SRV-2). Idempotent."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from salesservice.core import context


class Command(BaseCommand):
    help = "SLA 巡检：记录首次联系超时、逐级升级超时服务单、到期前提醒（可重复运行，不会重复升级）。"

    def add_arguments(self, parser):
        parser.add_argument("--at", help="按该时刻评估（ISO-8601，如 2026-11-22T10:00:00+08:00），默认现在")

    def handle(self, *args, at=None, **options):
        from salesservice.service.sweep import sla_sweep

        now = None
        if at:
            now = parse_datetime(at)
            if now is None:
                raise CommandError(f"无法解析时间：{at}")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        token = context.activate(context.RequestContext(via="command"))
        try:
            result = sla_sweep(now=now)
        finally:
            context.reset(token)
        self.stdout.write(
            self.style.SUCCESS(
                "首次联系超时 {first_contact_breaches} · 升级 {escalations} · 升级超时记录 {escalation_breaches} · "
                "到期提醒 {warnings}".format(**result.as_dict())
            )
        )
