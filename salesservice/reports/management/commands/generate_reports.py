"""Backfill or rerun scheduled reports: `manage.py generate_reports --kind weekly --date 2026-11-30` makes the
report of the period before the date (the week or month), for every unit the kind is produced for (or `--unit`)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from salesservice.core import context
from salesservice.core.models import OrgUnit

from ...choices import ReportKind
from ...services import reports_generate

ALIASES = {
    "weekly": ReportKind.WEEKLY_SERVICE,
    "kpi": ReportKind.MONTHLY_KPI,
    "management": ReportKind.MONTHLY_MANAGEMENT,
    **{kind: kind for kind in ReportKind.values},
}


class Command(BaseCommand):
    help = "生成定期报告（补生成或重跑）：所给日期之前的一周或一个月"

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=sorted(ALIASES), help="weekly | kpi | management")
        parser.add_argument("--date", help="YYYY-MM-DD（默认今天）：报告覆盖此日期之前的一周或一个月")
        parser.add_argument("--unit", help="组织单位编码（默认：该报告的全部单位；company 为全公司）")

    def handle(self, *args, kind, date=None, unit=None, **options):
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"无效日期：{date}") from None
        units = None
        if unit:
            if unit == "company":
                units = [None]
            else:
                found = OrgUnit.objects.filter(code=unit).first()
                if found is None:
                    raise CommandError(f"没有编码为 {unit} 的组织单位")
                units = [found]
        token = context.activate(context.RequestContext(via="command"))
        try:
            result = reports_generate(kind=ALIASES[kind], today=today, units=units)
        finally:
            context.reset(token)
        for run in result.runs:
            self.stdout.write(f"已生成 #{run.pk} {run}")
        for run in result.failed:
            self.stderr.write(f"生成失败 #{run.pk} {run}：{run.error}")
        if result.failed:
            raise CommandError(f"{len(result.failed)} 份报告生成失败")
