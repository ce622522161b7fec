"""Policy parameters of this app (DESIGN §5): key, name, category, type, default, unit, clause, source,
min, max, description — seeded by `core.policy_defaults.seed_policy_defaults` through the app registry."""

from salesservice.core.choices import ValueType

DEFAULTS = [
    (
        "feedback.follow_up_coverage_target",
        "已结案服务回访覆盖率目标",
        "回访",
        ValueType.PERCENT,
        "100",
        "%",
        "FBK-2",
        "004 通程 100%回访",
        0,
        100,
        "已结案服务请求中须完成回访的比例。",
    ),
    (
        "feedback.key_account_cadence_days",
        "重点客户定期回访周期",
        "回访",
        ValueType.INTEGER,
        "90",
        "天",
        "FBK-1",
        "000 客戶回訪（定期回訪）",
        7,
        366,
        "每位重点客户在每个周期内安排一次定期回访；修改后从新周期起生效。",
    ),
]
