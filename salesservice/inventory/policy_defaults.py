"""Policy parameters of this app (DESIGN §5), seeded by `core.policy_defaults.seed_policy_defaults`."""

from salesservice.core.choices import ValueType

DEFAULTS = [
    (
        "inventory.near_expiry_days",
        "近效期预警天数",
        "库存",
        ValueType.DAYS,
        "90",
        "天",
        "INV-3",
        "000 庫存盤點（分析庫存結構，避免積壓）",
        1,
        3650,
        "有效期在此天数内到期的批次在库存页与仓管工作台标为近效期，优先出库（FEFO）。",
    ),
]
