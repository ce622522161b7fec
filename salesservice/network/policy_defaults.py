"""Policy parameters of this app (DESIGN §5): key, name, category, type, default, unit, clause, source,
min, max, description — seeded by `core.policy_defaults.seed_policy_defaults` through the app registry."""

from salesservice.core.choices import ValueType

DEFAULTS = [
    (
        "network.training_pass_rate_min",
        "外协网点技术人员季度培训合格率",
        "外协网点",
        ValueType.PERCENT,
        "80",
        "%",
        "NET-4",
        "004 通程",
        0,
        100,
        "每季度培训考核合格率不得低于此值。",
    ),
    (
        "network.failed_quarters_to_stop",
        "连续不合格季度数（停止派工）",
        "外协网点",
        ValueType.INTEGER,
        "3",
        "个季度",
        "NET-4",
        "004 通程",
        1,
        12,
        "连续达到此数的季度培训不合格，停止派工。",
    ),
    (
        "network.violation_ladder",
        "外协网点月度违规处理阶梯",
        "外协网点",
        ValueType.JSON,
        {"warned": 1, "rectifying": 2, "dispatch_stopped": 3, "removed": 4},
        "次/月",
        "NET-3",
        "004 通程",
        None,
        None,
        "当月违规次数达到各值时：发函警告、限期整改、停止派工、撤点。",
    ),
    (
        "network.rectification_days",
        "外协网点限期整改天数",
        "外协网点",
        ValueType.INTEGER,
        "15",
        "天",
        "NET-3",
        "004 通程",
        1,
        90,
        "限期整改通知签发后，网点须在此天数内完成整改。",
    ),
]


def _status_labels() -> dict:
    from .choices import ProviderStatus

    return {status.value: status.label for status in ProviderStatus}


# How the structured parameter reads on the policy pages (core.registry.policy_key_labels).
KEY_LABELS = {"network.violation_ladder": _status_labels()}
