"""The return policy as rules (RET-1): is this request eligible, for what, and why — citing the rule.

Numbers are policy parameters in force at the moment asked (`core.policy.policy_value`):
`returns.no_reason_days` (7, 《消费者权益保护法》第二十五条, distance sales only),
`returns.quality_return_days` (7) and `returns.quality_exchange_days` (15) (三包: performance faults),
`returns.warranty_repair_days` (365, used when the product has no `warranty_months`).
Exclusions and condition requirements come from `ReturnRule` rows and the goods' condition.

`return_eligibility(...)` never raises for a business "no": it returns `Eligibility(eligible=False, …)`
with every reason, so a page can show them all before anything is submitted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.policy import policy_value
from salesservice.core.reasons import Reason

from .choices import GoodsCondition, Outcome, RequestedKind, ReturnReason, SaleChannel
from .errors import ReturnsErrorCode
from .models import ReturnRule

INTACT = (GoodsCondition.UNOPENED, GoodsCondition.OPENED_INTACT)


@dataclass
class Eligibility:
    """The rule's answer: `eligible` — the requested kind is granted; `outcome` — what the rules grant
    (the requested kind when eligible, else the best remedy still available, or `none`); `reasons` — why
    not (empty when eligible); `rule_cited` — the rule the answer rests on, quoted to the customer."""

    eligible: bool
    outcome: str
    reasons: list[Reason] = field(default_factory=list)
    rule_cited: str = ""
    negotiation_required: bool = False
    days_since_purchase: int | None = None

    def as_dict(self) -> dict:
        return {
            "eligible": self.eligible,
            "outcome": self.outcome,
            "outcome_label": str(Outcome(self.outcome).label),
            "reasons": [reason.as_dict() for reason in self.reasons],
            "rule_cited": self.rule_cited,
            "negotiation_required": self.negotiation_required,
            "days_since_purchase": self.days_since_purchase,
        }


def _days(key: str, at: dt.datetime) -> int:
    return int(policy_value(key, at))


def warranty_until(product, purchase_date: dt.date, at: dt.datetime) -> dt.date:
    """SRV-11: purchase date + the product's warranty months; `returns.warranty_repair_days` when it has none."""
    from salesservice.service.models import add_months

    if getattr(product, "warranty_months", 0):
        return add_months(purchase_date, product.warranty_months)
    return purchase_date + dt.timedelta(days=_days("returns.warranty_repair_days", at))


def matching_exclusion(product, *, reason: str, condition: str) -> ReturnRule | None:
    """The first active exclusion rule covering the product's category (or a parent) for this reason."""
    category = getattr(product, "category", None)
    if category is None:
        return None
    for rule in ReturnRule.objects.filter(is_active=True).prefetch_related("excluded_categories").order_by("name"):
        if not rule.applies_to_reason(reason):
            continue
        if rule.only_when_opened and condition == GoodsCondition.UNOPENED:
            continue
        for excluded in rule.excluded_categories.all():
            if category.pk == excluded.pk or (excluded.path and category.path.startswith(excluded.path)):
                return rule
    return None


def _no(outcome, code, message, rule_cited, **extra) -> Eligibility:
    return Eligibility(False, outcome, [Reason(code, message)], rule_cited, **extra)


def return_eligibility(
    *,
    customer=None,
    product,
    purchase_date: dt.date | None,
    sale_channel: str,
    reason: str,
    requested_kind: str,
    condition: str,
    at: dt.datetime | None = None,
) -> Eligibility:
    """RET-1: whether a return / exchange / repair is due under the published policy, and why.

    `customer` is accepted for rules that depend on the buyer (none yet; key-account goodwill later).
    """
    at = at or timezone.now()
    invalid = []
    if sale_channel not in SaleChannel.values:
        invalid.append(Reason(ReturnsErrorCode.INVALID_CHANNEL, _("请选择销售方式")))
    if reason not in ReturnReason.values:
        invalid.append(Reason(ReturnsErrorCode.INVALID_REASON, _("请选择退换货原因")))
    if requested_kind not in RequestedKind.values:
        invalid.append(Reason(ReturnsErrorCode.INVALID_KIND, _("请选择客户诉求（退货/换货/维修）")))
    if condition not in GoodsCondition.values:
        invalid.append(Reason(ReturnsErrorCode.INVALID_CONDITION, _("请选择商品状况")))
    if product is None:
        invalid.append(Reason(ReturnsErrorCode.PRODUCT_REQUIRED, _("请选择商品")))
    if purchase_date is None:
        invalid.append(Reason(ReturnsErrorCode.PURCHASE_DATE_REQUIRED, _("请填写购买（收货）日期")))
    elif purchase_date > timezone.localdate(at):
        invalid.append(Reason(ReturnsErrorCode.PURCHASE_IN_FUTURE, _("购买日期不能晚于今天")))
    if invalid:
        return Eligibility(False, Outcome.NONE, invalid, "")

    days = (timezone.localdate(at) - purchase_date).days
    answer = _evaluate(product, purchase_date, days, sale_channel, reason, requested_kind, condition, at)
    answer.days_since_purchase = days
    return answer


def _evaluate(product, purchase_date, days, sale_channel, reason, requested_kind, condition, at) -> Eligibility:
    # Seed 000: damage the customer caused is outside every return rule — handled by negotiation.
    if condition == GoodsCondition.DAMAGED_BY_CUSTOMER:
        return _no(
            Outcome.NONE,
            ReturnsErrorCode.CUSTOMER_DAMAGE,
            _("人为损坏不属于退换货及三包范围，须与客户协商处理并记录协商结果"),
            _("人为损坏：协商处理（退换货处理规定）"),
            negotiation_required=True,
        )

    exclusion = matching_exclusion(product, reason=reason, condition=condition)
    if exclusion is not None:
        return _no(
            Outcome.NONE,
            ReturnsErrorCode.EXCLUDED_CATEGORY,
            _("“%(category)s”类商品不适用：%(rule)s") % {"category": product.category.name, "rule": exclusion.citation},
            _("排除规则：%(name)s — %(citation)s") % {"name": exclusion.name, "citation": exclusion.citation},
        )

    if reason == ReturnReason.NO_REASON:
        return _no_reason(days, sale_channel, requested_kind, condition, at)
    if reason == ReturnReason.QUALITY:
        return _quality(product, purchase_date, days, requested_kind, at)
    return _no(
        Outcome.NONE,
        ReturnsErrorCode.NOT_COVERED,
        _("非质量问题、也不属于无理由退货的申请，不在退换货规则范围内，须特批"),
        _("退换货规则：仅无理由退货（远程销售）与质量问题退换修"),
    )


def _no_reason(days, sale_channel, requested_kind, condition, at) -> Eligibility:
    window = _days("returns.no_reason_days", at)
    cited = _("《消费者权益保护法》第二十五条：远程销售 %(window)s 日无理由退货（第 %(day)s 天）") % {
        "window": window,
        "day": days,
    }
    if sale_channel != SaleChannel.DISTANCE:
        return _no(
            Outcome.NONE,
            ReturnsErrorCode.NO_REASON_IN_STORE,
            _("门店现场购买的商品不适用无理由退货（仅网络、电话等远程销售适用）"),
            _("《消费者权益保护法》第二十五条：无理由退货适用于远程销售"),
        )
    if requested_kind == RequestedKind.REPAIR:
        return _no(
            Outcome.REFUND,
            ReturnsErrorCode.NO_REASON_NOT_REPAIR,
            _("无理由退货只能退货退款；维修请按质量问题申请"),
            cited,
        )
    if days > window:
        return _no(
            Outcome.NONE,
            ReturnsErrorCode.NO_REASON_EXPIRED,
            _("已超过 %(window)s 日无理由退货期（购买后第 %(day)s 天）") % {"window": window, "day": days},
            cited,
        )
    if condition not in INTACT:
        return _no(
            Outcome.NONE,
            ReturnsErrorCode.CONDITION_NOT_MET,
            _("无理由退货要求商品完好：未使用，包装、配件、赠品齐全"),
            cited + _("；商品应当完好"),
        )
    return Eligibility(True, requested_kind, [], cited)


def _quality(product, purchase_date, days, requested_kind, at) -> Eligibility:
    return_days = _days("returns.quality_return_days", at)
    exchange_days = _days("returns.quality_exchange_days", at)
    quality_cited = _("质量问题 %(r)s 日内可退货、%(e)s 日内可换货（三包）（第 %(day)s 天）") % {
        "r": return_days,
        "e": exchange_days,
        "day": days,
    }
    until = warranty_until(product, purchase_date, at)
    in_warranty = timezone.localdate(at) <= until
    warranty_cited = _("保修期内免费维修（保修至 %(until)s）") % {"until": until.isoformat()}

    if days <= return_days:
        return Eligibility(True, requested_kind, [], quality_cited)
    if days <= exchange_days:
        if requested_kind in (RequestedKind.EXCHANGE, RequestedKind.REPAIR):
            return Eligibility(True, requested_kind, [], quality_cited)
        return _no(
            Outcome.EXCHANGE,
            ReturnsErrorCode.QUALITY_RETURN_EXPIRED,
            _("已超过 %(r)s 日质量问题退货期（第 %(day)s 天），%(e)s 日内可换货或维修")
            % {"r": return_days, "e": exchange_days, "day": days},
            quality_cited,
        )
    if in_warranty:
        if requested_kind == RequestedKind.REPAIR:
            return Eligibility(True, Outcome.REPAIR, [], warranty_cited)
        return _no(
            Outcome.REPAIR,
            ReturnsErrorCode.QUALITY_EXCHANGE_EXPIRED,
            _("已超过 %(e)s 日质量问题换货期（第 %(day)s 天），保修期内可免费维修") % {"e": exchange_days, "day": days},
            warranty_cited,
        )
    return _no(
        Outcome.NONE,
        ReturnsErrorCode.WARRANTY_EXPIRED,
        _("已过保修期（保修至 %(until)s），可提供有偿维修") % {"until": until.isoformat()},
        warranty_cited,
    )
