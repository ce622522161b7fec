"""Policy parameters of the purchasing app (DESIGN §5), seeded by `core.policy_defaults` through the registry."""

from salesservice.core.choices import ValueType

DEFAULTS = [
    (
        "purchasing.approval_limit",
        "采购主管审批限额",
        "采购",
        ValueType.DECIMAL,
        "50000",
        "元",
        "SUP-4",
        "采购合同管理：按金额分级评审与批准",
        0,
        100000000,
        "采购订单金额不超过此额由采购主管批准，超过由总经理批准。",
    ),
]
