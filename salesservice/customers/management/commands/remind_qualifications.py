"""`manage.py remind_qualifications` — run the expiring-qualification reminder now (BUY-1). Idempotent."""

import datetime as dt

from django.core.management.base import BaseCommand

from salesservice.core import context


class Command(BaseCommand):
    help = "提醒即将到期的客户购货资格（每个到期日只提醒一次，可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按该日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, today=None, **options):
        from salesservice.customers.services import qualifications_remind_expiring

        token = context.activate(context.RequestContext(via="command"))
        try:
            day = dt.date.fromisoformat(today) if today else None
            count = qualifications_remind_expiring(actor=None, today=day)
        finally:
            context.reset(token)
        self.stdout.write(self.style.SUCCESS(f"已发送 {count} 条购货资格到期提醒。"))
