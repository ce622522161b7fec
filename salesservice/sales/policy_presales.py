"""Policy parameters of the pre-sales part (inquiry reply clock, authorisation expiry warning), merged into
DEFAULTS by policy_defaults.py."""

from salesservice.core.choices import ValueType

# key, name, category, type, default, unit, clause, source, min, max, description
PRESALES_DEFAULTS: list = [
    (
        "sales.inquiry_reply_hours",
        "客户咨询答复时限",
        "销售",
        ValueType.HOURS,
        "4",
        "小时",
        "PRE-1",
        "000 客戶諮詢；003 接待流程",
        1,
        720,
        "登记客户咨询后须在此时限内答复；超时未答复提醒负责人和转交部门。",
    ),
    (
        "sales.authorisation_warn_days",
        "销售授权书到期提醒",
        "销售",
        ValueType.INTEGER,
        "30",
        "天",
        "BUY-2",
        "004 §4.1.6",
        1,
        365,
        "销售人员授权书在此天数内到期时，每日提醒签发单位的店长/区域经理和被授权人。",
    ),
]
