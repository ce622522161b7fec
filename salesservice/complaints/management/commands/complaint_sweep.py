"""`manage.py complaint_sweep [--at ISO-8601]` — run the complaint sweep now or as of a moment (CMP-2, CMP-7)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from salesservice.core import context


class Command(BaseCommand):
    help = "投诉巡检：记录首次答复超时、按时限逐级升级未解决的投诉（可重复运行，不会重复升级）。"

    def add_arguments(self, parser):
        parser.add_argument("--at", help="按该时刻评估（ISO-8601，如 2026-11-22T10:00:00+08:00），默认现在")

    def handle(self, *args, at=None, **options):
        from salesservice.complaints.sweep import complaints_sweep

        now = None
        if at:
            now = parse_datetime(at)
            if now is None:
                raise CommandError(f"无法解析时间：{at}")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        token = context.activate(context.RequestContext(via="command"))
        try:
            result = complaints_sweep(now)
        finally:
            context.reset(token)
        self.stdout.write(
            self.style.SUCCESS(
                "首次答复超时 {first_response_breaches} · 升级 {escalations} · 升级超时记录 {escalation_breaches}".format(
                    **result.as_dict()
                )
            )
        )
