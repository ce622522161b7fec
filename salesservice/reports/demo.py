"""Demo records of the reports app for `manage.py load_demo` (idempotent): last week's 周服务质量报告 and last
month's 月度KPI考核汇总 and 月度经营管理报告 for the company, 华东区 and 上海徐汇店 (the management report has no store
edition), as the scheduler would have produced them — so the archive shows entries and the managers their bell."""

from django.utils import timezone

from salesservice.core.models import OrgUnit

from .kinds import KINDS, level_of
from .services import reports_generate


def load_demo() -> None:
    units = [None, *OrgUnit.objects.filter(code__in=["east", "sh-xuhui"]).order_by("path")]
    now = timezone.now()
    for kind, spec in KINDS.items():
        reports_generate(kind=kind, now=now, units=[unit for unit in units if level_of(unit) in spec.levels])
