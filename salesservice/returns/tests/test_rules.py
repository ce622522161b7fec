"""RET-1: the return policy as rules — one test per rule, each naming the rule it cites."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.policy import policy_set
from salesservice.documents.testing import approved_version

from ..choices import GoodsCondition as C
from ..choices import Outcome, RequestedKind, ReturnReason, SaleChannel
from ..rules import return_eligibility
from .factories import CategoryFactory, ProductFactory, days_ago, excluded_rule, user

pytestmark = pytest.mark.django_db


def ask(
    product=None,
    *,
    days=3,
    channel=SaleChannel.DISTANCE,
    reason=ReturnReason.NO_REASON,
    kind="refund",
    condition=C.UNOPENED,
):
    return return_eligibility(
        customer=None,
        product=product or ProductFactory(),
        purchase_date=days_ago(days),
        sale_channel=channel,
        reason=reason,
        requested_kind=kind,
        condition=condition,
    )


def codes(answer):
    return [reason.code for reason in answer.reasons]


def test_no_reason_return_within_window_of_distance_sale_is_eligible_citing_article_25():
    answer = ask(days=3)
    assert answer.eligible and answer.outcome == Outcome.REFUND and answer.reasons == []
    assert answer.rule_cited == "《消费者权益保护法》第二十五条：远程销售 7 日无理由退货（第 3 天）"


def test_no_reason_return_on_the_last_day_is_still_eligible():
    assert ask(days=7).eligible


def test_no_reason_return_after_window_is_refused():
    answer = ask(days=8)
    assert not answer.eligible and answer.outcome == Outcome.NONE
    assert codes(answer) == ["returns.no_reason_expired"]
    assert "第 8 天" in answer.rule_cited


def test_no_reason_window_follows_the_policy_parameter_in_force(demo):
    policy_set(
        actor=user("admin"),
        key="returns.no_reason_days",
        value=10,
        reason="门店承诺延长",
        document_version=approved_version("RET-1"),  # DOC-1
    )
    answer = ask(days=9)
    assert answer.eligible and "10 日无理由退货" in answer.rule_cited


def test_in_store_sale_has_no_no_reason_return():
    answer = ask(days=1, channel=SaleChannel.IN_STORE)
    assert not answer.eligible and codes(answer) == ["returns.no_reason_in_store"]
    assert "远程销售" in answer.rule_cited


def test_no_reason_return_requires_intact_goods():
    answer = ask(days=2, condition=C.USED)
    assert not answer.eligible and codes(answer) == ["returns.condition_not_met"]
    assert ask(days=2, condition=C.OPENED_INTACT).eligible


def test_no_reason_is_not_a_repair():
    answer = ask(days=2, kind=RequestedKind.REPAIR)
    assert not answer.eligible and codes(answer) == ["returns.no_reason_not_repair"]


def test_quality_return_within_7_days_is_eligible():
    answer = ask(days=6, reason=ReturnReason.QUALITY, condition=C.USED)
    assert answer.eligible and answer.outcome == Outcome.REFUND
    assert answer.rule_cited.startswith("质量问题 7 日内可退货、15 日内可换货（三包）")


def test_quality_refund_after_7_days_offers_exchange_within_15():
    answer = ask(days=10, reason=ReturnReason.QUALITY, condition=C.USED)
    assert not answer.eligible and answer.outcome == Outcome.EXCHANGE
    assert codes(answer) == ["returns.quality_return_expired"]


def test_quality_exchange_within_15_days_is_eligible():
    answer = ask(days=15, reason=ReturnReason.QUALITY, kind=RequestedKind.EXCHANGE, condition=C.USED)
    assert answer.eligible and answer.outcome == Outcome.EXCHANGE


def test_quality_repair_within_warranty_is_eligible():
    product = ProductFactory(warranty_months=12)
    answer = ask(product, days=100, reason=ReturnReason.QUALITY, kind=RequestedKind.REPAIR, condition=C.USED)
    assert answer.eligible and answer.outcome == Outcome.REPAIR
    assert answer.rule_cited.startswith("保修期内免费维修")


def test_quality_exchange_after_15_days_offers_repair_in_warranty():
    answer = ask(days=40, reason=ReturnReason.QUALITY, kind=RequestedKind.EXCHANGE, condition=C.USED)
    assert not answer.eligible and answer.outcome == Outcome.REPAIR
    assert codes(answer) == ["returns.quality_exchange_expired"]


def test_repair_after_warranty_is_not_free():
    product = ProductFactory(warranty_months=12)
    answer = ask(product, days=400, reason=ReturnReason.QUALITY, kind=RequestedKind.REPAIR, condition=C.USED)
    assert not answer.eligible and codes(answer) == ["returns.warranty_expired"]


def test_product_without_warranty_months_falls_back_to_policy_days():
    product = ProductFactory(warranty_months=0)
    assert ask(product, days=300, reason=ReturnReason.QUALITY, kind=RequestedKind.REPAIR, condition=C.USED).eligible
    assert not ask(product, days=370, reason=ReturnReason.QUALITY, kind=RequestedKind.REPAIR, condition=C.USED).eligible


def test_excluded_category_and_its_subcategories_are_refused():
    parent = CategoryFactory(name="定制商品")
    child = CategoryFactory(name="定制家具", parent=parent)
    excluded_rule(parent)
    answer = ask(ProductFactory(category=child), days=1)
    assert not answer.eligible and codes(answer) == ["returns.excluded_category"]
    assert "定制商品不退换" in answer.rule_cited
    # a quality problem is not excluded by a no-reason exclusion
    assert ask(ProductFactory(category=child), days=1, reason=ReturnReason.QUALITY).eligible


def test_opened_consumables_rule_applies_only_once_opened():
    consumables = CategoryFactory(name="医用耗材")
    excluded_rule(consumables, only_when_opened=True, name="医用耗材拆封不退")
    product = ProductFactory(category=consumables)
    assert ask(product, days=1, condition=C.UNOPENED).eligible
    assert codes(ask(product, days=1, condition=C.OPENED_INTACT)) == ["returns.excluded_category"]


def test_customer_damage_is_negotiated_not_returned():
    answer = ask(days=1, reason=ReturnReason.QUALITY, condition=C.DAMAGED_BY_CUSTOMER)
    assert not answer.eligible and answer.outcome == Outcome.NONE and answer.negotiation_required
    assert codes(answer) == ["returns.customer_damage"]


def test_other_reason_is_outside_the_rules():
    assert codes(ask(days=1, reason=ReturnReason.OTHER)) == ["returns.not_covered"]


def test_bad_input_gives_every_reason_and_no_outcome():
    answer = return_eligibility(
        product=None,
        purchase_date=timezone.localdate() + dt.timedelta(days=2),
        sale_channel="x",
        reason="y",
        requested_kind="z",
        condition="w",
    )
    assert not answer.eligible and answer.outcome == Outcome.NONE
    assert set(codes(answer)) == {
        "returns.invalid_channel",
        "returns.invalid_reason",
        "returns.invalid_kind",
        "returns.invalid_condition",
        "returns.product_required",
        "returns.purchase_in_future",
    }
