"""`manage.py sync_statutory_days [--year 2026 ...]` — seed statutory holidays and 调休 from chinese-calendar.

SRV-2 SLA clocks on business-hours calendars depend on this table. Rows admins already have are
never overwritten; years chinese-calendar does not know yet must be entered in the admin.
"""

from django.core.management.base import BaseCommand

from salesservice.core import context
from salesservice.core.business_calendar import missing_statutory_years
from salesservice.core.calendar_seed import known_years, sync_statutory_days


class Command(BaseCommand):
    help = "从 chinese-calendar 同步法定节假日与调休工作日（不覆盖已有记录），并提示尚未维护的年份。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            dest="years",
            action="append",
            type=int,
            metavar="YEAR",
            help="只同步指定年份，可重复（默认：chinese-calendar 已知的全部年份）",
        )

    def handle(self, *args, years=None, **options):
        known = set(known_years())
        unknown = sorted(set(years or []) - known)
        if unknown:
            self.stdout.write(
                self.style.WARNING(
                    f"chinese-calendar 没有 {'、'.join(map(str, unknown))} 年的数据"
                    f"（已知 {min(known)}–{max(known)} 年），请在后台手工录入。"
                )
            )
        token = context.activate(context.RequestContext(via="command"))
        try:
            created = sync_statutory_days(years)
        finally:
            context.reset(token)
        self.stdout.write(self.style.SUCCESS(f"已新增 {created} 条法定节假日/调休记录。"))
        missing = missing_statutory_years()
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    f"警告：{'、'.join(map(str, missing))} 年的法定节假日与调休尚未维护，"
                    "SLA 将按普通周末计算。请在国务院办公厅发布安排后于后台“法定节假日/调休”中录入。"
                )
            )
