"""The defaults of DESIGN §5, each tied to the clause of the seeds it comes from."""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from .choices import ValueType

# key, name, category, type, default, unit, clause, source, min, max, description
DEFAULTS = [
    ("service.first_contact_hours", "服务请求首次联系时限", "售后服务", ValueType.HOURS, "2", "小时", "SRV-2",
     "002 §6.6.2", 0, 720, "受理后须在此时限内与客户取得联系。"),
    ("service.escalation_hours", "未解决服务请求升级时限", "售后服务", ValueType.HOURS, "24", "小时", "SRV-2",
     "002 §6.6.2", 1, 720, "在此时限内未解决的请求升级到上一级（门店→区部→总部）。"),
    ("service.sla_calendar", "SLA 计时日历", "售后服务", ValueType.TEXT, "24x7", "", "SRV-2", "DESIGN §5", None, None,
     "SLA 计时所用业务日历的编码；默认 24×7，可改为工作时间日历。"),
    ("complaint.first_response_hours", "投诉首次答复时限", "投诉", ValueType.HOURS, "2", "小时", "CMP-2",
     "002 §6.7.1", 0, 720, "受理投诉后须在此时限内答复客户。"),
    ("complaint.escalation_hours", "投诉未解决升级时限", "投诉", ValueType.HOURS, "24", "小时", "CMP-7",
     "004 通程", 1, 720, "门店未能在此时限内解决的投诉升级到区部，再到总部。"),
    ("complaint.compensation_limit_store", "门店先行赔付权限", "投诉", ValueType.DECIMAL, "500", "元", "CMP-8",
     "004 通程", 0, None, "门店可从售后基金先行垫付的单笔上限。"),
    ("complaint.compensation_limit_region", "区部先行赔付权限", "投诉", ValueType.DECIMAL, "2000", "元", "CMP-8",
     "004 通程", 0, None, "区部可批准的单笔先行赔付上限。"),
    ("complaint.compensation_limit_hq", "总部先行赔付权限", "投诉", ValueType.DECIMAL, "20000", "元", "CMP-8",
     "004 通程", 0, None, "总部服管处可批准的单笔先行赔付上限；超出须总经理审批。"),
    ("feedback.follow_up_coverage_target", "已结案服务回访覆盖率目标", "回访", ValueType.PERCENT, "100", "%", "FBK-2",
     "004 通程 100%回访", 0, 100, "已结案服务请求中须完成回访的比例。"),
    ("network.training_pass_rate_min", "外协网点技术人员季度培训合格率", "外协网点", ValueType.PERCENT, "80", "%",
     "NET-4", "004 通程", 0, 100, "每季度培训考核合格率不得低于此值。"),
    ("network.failed_quarters_to_stop", "连续不合格季度数（停止派工）", "外协网点", ValueType.INTEGER, "3", "个季度",
     "NET-4", "004 通程", 1, 12, "连续达到此数的季度培训不合格，停止派工。"),
    ("network.violation_ladder", "外协网点月度违规处理阶梯", "外协网点", ValueType.JSON,
     {"warned": 1, "rectifying": 2, "dispatch_stopped": 3, "removed": 4}, "次/月", "NET-3", "004 通程", None, None,
     "当月违规次数达到各值时：发函警告、限期整改、停止派工、撤点。"),
    ("reports.weekly_quality_report_weekday", "服务质量周报日", "报表", ValueType.INTEGER, "0", "星期(0=一)", "NET-1",
     "004 通程", 0, 6, "每周此日汇总上周服务质量（默认星期一）。"),
    ("kpi.monthly_appraisal_deadline_day", "月度考核截止日", "绩效", ValueType.INTEGER, "10", "日", "KPI-3",
     "003 §六", 1, 28, "每月在次月此日前完成上月考核。"),
    ("kpi.annual_appraisal_month", "年度考核月份", "绩效", ValueType.INTEGER, "1", "月", "KPI-3", "003 §六", 1, 12,
     "年度考核在此月进行（默认一月）。"),
    ("returns.no_reason_days", "无理由退货期（远程销售）", "退换货", ValueType.DAYS, "7", "天", "RET-1",
     "消费者权益保护法 第二十五条", 0, 365, "网络、电话等远程销售自收货起可无理由退货的天数。"),
    ("returns.quality_return_days", "质量问题退货期", "退换货", ValueType.DAYS, "7", "天", "RET-1",
     "三包规定", 0, 365, "出现性能故障自售出起可退货的天数。"),
    ("returns.quality_exchange_days", "质量问题换货期", "退换货", ValueType.DAYS, "15", "天", "RET-1",
     "三包规定", 0, 365, "出现性能故障自售出起可换货的天数。"),
    ("returns.warranty_repair_days", "保修期（默认）", "退换货", ValueType.DAYS, "365", "天", "SRV-11",
     "三包规定", 0, 3650, "商品未规定保修月数时使用的保修天数。"),
]

SEED_EFFECTIVE_FROM = datetime(2020, 1, 1, tzinfo=timezone.get_fixed_timezone(480))


def seed_policy_defaults(parameter_model=None, value_model=None) -> int:
    """Create any missing parameter with its default as version 1. Returns how many were created."""
    from .models import PolicyParameter, PolicyValue

    parameter_model = parameter_model or PolicyParameter
    value_model = value_model or PolicyValue
    created = 0
    for key, name, category, value_type, default, unit, clause, source, min_v, max_v, description in DEFAULTS:
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
