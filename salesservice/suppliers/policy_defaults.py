"""Policy parameters of this app (DESIGN §5): key, name, category, type, default, unit, clause, source,
min, max, description — seeded by `core.policy_defaults.seed_policy_defaults` through the app registry."""

from salesservice.core.choices import ValueType

DEFAULT_WEIGHTS = {
    "qualification": 15,
    "reputation": 10,
    "capacity": 15,
    "product_quality": 25,
    "certification": 10,
    "brand": 10,
    "service": 15,
}

DEFAULTS = [
    (
        "suppliers.document_reminder_days",
        "供应商资质到期提前提醒天数",
        "供应商",
        ValueType.DAYS,
        "30",
        "天",
        "SUP-3",
        "000 供應商選擇（質量保證協議）",
        1,
        365,
        "供应商的营业执照、许可证、注册证、授权书、质量保证协议在此天数内到期时，提醒采购人员；下单时提示。",
    ),
    (
        "suppliers.evaluation_weights",
        "供应商评价权重",
        "供应商",
        ValueType.JSON,
        DEFAULT_WEIGHTS,
        "%",
        "SUP-1",
        "000 供應商選擇；002 §6.3.1",
        None,
        None,
        "七项评价指标（资质、信誉、供货能力、产品质量、质量认证、品牌、服务）的权重，合计须为 100。",
    ),
    (
        "suppliers.band_qualified_min",
        "合格供应商最低总分",
        "供应商",
        ValueType.DECIMAL,
        "80",
        "分",
        "SUP-1",
        "002 §6.3.1",
        0,
        100,
        "评价总分不低于此分为“合格”。",
    ),
    (
        "suppliers.band_conditional_min",
        "有条件合格最低总分",
        "供应商",
        ValueType.DECIMAL,
        "60",
        "分",
        "SUP-1",
        "002 §6.3.1",
        0,
        100,
        "评价总分不低于此分（且低于合格线）为“有条件合格（观察）”，下单时提示；低于此分为“不合格”，禁止下单。",
    ),
    (
        "suppliers.nc_penalty",
        "每起不合格品扣分（产品质量）",
        "供应商",
        ValueType.DECIMAL,
        "10",
        "分",
        "SUP-1",
        "000 驗收流程；002 §6.3.4",
        0,
        100,
        "评价期间每登记一起该供应商的不合格品，从产品质量得分（进货检验合格率）中扣除的分数。",
    ),
]


def _criterion_labels() -> dict:
    from .choices import Criterion

    return {criterion.value: criterion.label for criterion in Criterion}


# How the structured parameter reads on the policy pages (core.registry.policy_key_labels).
KEY_LABELS = {"suppliers.evaluation_weights": _criterion_labels()}
