"""The defaults of DESIGN §5, each tied to the clause of the seeds it comes from.

`core` lists the parameters no built app owns yet (reports, KPIs); each app declares its own
(`<app>/policy_defaults.py`, registered on its AppConfig) and `all_defaults()` collects them."""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from .choices import ValueType

# key, name, category, type, default, unit, clause, source, min, max, description
DEFAULTS = [
    (
        "reports.weekly_quality_report_weekday",
        "服务质量周报日",
        "报表",
        ValueType.INTEGER,
        "0",
        "星期(0=一)",
        "NET-1",
        "004 通程",
        0,
        6,
        "每周此日汇总上周服务质量（默认星期一）。",
    ),
    (
        "kpi.monthly_appraisal_deadline_day",
        "月度考核截止日",
        "绩效",
        ValueType.INTEGER,
        "10",
        "日",
        "KPI-3",
        "003 §六",
        1,
        28,
        "每月在次月此日前完成上月考核。",
    ),
    (
        "kpi.annual_appraisal_month",
        "年度考核月份",
        "绩效",
        ValueType.INTEGER,
        "1",
        "月",
        "KPI-3",
        "003 §六",
        1,
        12,
        "年度考核在此月进行（默认一月）。",
    ),
    (
        "documents.ack_reminder_days",
        "文件阅读确认提醒天数",
        "文件控制",
        ValueType.DAYS,
        "3",
        "天",
        "DOC-1",
        "002 文件头; 004 §4.2.2 e",
        1,
        60,
        "文件发布后此天数内仍未确认阅读的岗位人员，每天提醒一次。",
    ),
]

SEED_EFFECTIVE_FROM = datetime(2020, 1, 1, tzinfo=timezone.get_fixed_timezone(480))


def all_defaults() -> list:
    """core's parameters and every registered app's."""
    from .registry import policy_defaults

    return [*DEFAULTS, *policy_defaults()]


def seed_policy_defaults(parameter_model=None, value_model=None) -> int:
    """Create any missing parameter with its default as version 1. Returns how many were created."""
    from .models import PolicyParameter, PolicyValue

    parameter_model = parameter_model or PolicyParameter
    value_model = value_model or PolicyValue
    created = 0
    for key, name, category, value_type, default, unit, clause, source, min_v, max_v, description in all_defaults():
        parameter, was_created = parameter_model.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "category": category,
                "value_type": value_type,
                "unit": unit,
                "source_clause": clause,
                "source_document": source,
                "min_value": None if min_v is None else Decimal(min_v),
                "max_value": None if max_v is None else Decimal(max_v),
                "description": description,
                "version": 1,
            },
        )
        if was_created:
            value_model.objects.create(
                parameter=parameter, number=1, value=default, effective_from=SEED_EFFECTIVE_FROM, reason="系统默认值"
            )
            created += 1
    return created
