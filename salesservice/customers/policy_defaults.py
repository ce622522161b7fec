"""Policy parameters of this app (DESIGN §5): key, name, category, type, default, unit, clause, source,
min, max, description — seeded by `core.policy_defaults.seed_policy_defaults` through the app registry."""

from salesservice.core.choices import ValueType

DEFAULTS = [
    (
        "customers.qualification_reminder_days",
        "购货者资格到期提前提醒天数",
        "客户",
        ValueType.DAYS,
        "30",
        "天",
        "BUY-1",
        "004 §4.1.3",
        1,
        365,
        "客户的营业执照、医疗器械经营许可证等资格在此天数内到期时，提醒负责的销售（无负责人时提醒店长）。",
    ),
]
