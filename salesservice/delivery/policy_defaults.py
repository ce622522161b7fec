"""Policy parameters of the delivery app (DESIGN §5), seeded by `core.policy_defaults` through the registry."""

from salesservice.core.choices import ValueType

# key, name, category, type, default, unit, clause, source, min, max, description
DEFAULTS = [
    (
        "delivery.incident_inform_hours",
        "交付异常告知客户时限",
        "交付",
        ValueType.INTEGER,
        "24",
        "小时",
        "DEL-2",
        "000 商品交付",
        1,
        168,
        "运输延误、商品损坏等交付异常登记后，超过此时限仍未记录已告知客户的，提醒登记人、销售与店长。",
    ),
]
