"""Compliance evidence of sales and pre-sales (issue 16 §4): PRE-2, PRE-3, SAL-2, SAL-4, SAL-6, SAL-8 — met on
records that follow the rule, short with the offending record listed when one does not, no_data (never met)
without records."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from salesservice.core.evidence import MET, NO_DATA, SHORT, Period
from salesservice.dashboards.compliance import compliance_report

from .. import presales, services
from ..choices import ContractStatus, OrderStatus
from ..evidence import (
    contract_changes_amended,
    contracts_approved_signed_with_deposit,
    discounts_price_approved,
    order_processing_time,
    orders_allocated_accurately,
    orders_only_on_signed_contracts,
)
from ..models import Contract, ContractLine, SalesOrderLine
from ..presales_evidence import annual_plans_complete, claims_decided_by_qa, needs_confirmed_before_contract, plans_met
from . import factories as f
from .presales_factories import make_claim, sales_order, unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def _today() -> Period:
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=1), today)


def _figures(evidence) -> dict:
    return {figure.label: figure.value for figure in evidence.figures}


def _signed_contract(customer, product, **extra) -> Contract:
    """Reviewed by every department, approved by the store manager, signed with the agreed deposit."""
    contract = f.reviewed_contract(f.contract(customer, [(product, 2)], **extra))
    services.contract_approve(actor=f.user("xuhui_manager"), contract_id=contract.pk)
    services.contract_sign(
        actor=f.user("xuhui_manager"),
        contract_id=contract.pk,
        customer_signatory="李院长",
        deposit_amount=str(contract.deposit_required),
    )
    contract.refresh_from_db()
    return contract


def _slipped_contract(customer, product, **extra) -> Contract:
    """A contract recorded as signed today without the procedure: no review, no approval, no deposit."""
    values = {
        "number": f"HT-X-{Contract.objects.count() + 1:04d}",
        "org_unit": customer.store,
        "customer": customer,
        "title": "补录合同",
        "total": product.price * 2,
        "status": ContractStatus.SIGNED,
        "signed_on": timezone.localdate(),
        "created_by": f.user("sales_rep"),
        **extra,
    }
    contract = Contract.objects.create(**values)
    ContractLine.objects.create(
        contract=contract, product=product, quantity=2, list_price=product.price, unit_price=product.price
    )
    return contract


@pytest.fixture
def goods():
    product = f.device()
    f.stock(product, 20)
    return f.hospital(), product


# --- PRE-2 --------------------------------------------------------------------------------------


def test_pre2_claims_decided_by_qa_met_then_short_when_one_is_approved_without_evidence():
    """PRE-2: a claim approved by QA (not its author) with its evidence → met; one approved without evidence →
    short and listed; a unit's report → no_data (claims are company-wide); nothing decided → no_data."""
    assert claims_decided_by_qa(_today()).status == NO_DATA
    claim = make_claim()
    assert claims_decided_by_qa(_today()).status == NO_DATA  # pending: nothing decided yet
    presales.claim_approve(actor=f.user("qa_inspector"), claim_id=claim.pk)
    met = claims_decided_by_qa(_today())
    assert met.status == MET and _figures(met)["记录数"] == 1

    bare = presales.claim_submit(actor=f.user("sales_rep"), product=claim.product, text="全国销量第一", evidence="")
    presales.claim_approve(actor=f.user("qa_inspector"), claim_id=bare.pk)
    short = claims_decided_by_qa(_today())
    assert short.status == SHORT and short.shortfall_count == 1
    assert [link.label for link in short.shortfalls] == ["全国销量第一"]
    assert claims_decided_by_qa(Period(*_today_bounds(), unit("sh-xuhui"))).status == NO_DATA

    result = compliance_report(_today(), only={"PRE-2"}).results[0]
    assert result.clause.id == "PRE-2" and result.status == SHORT


def _today_bounds():
    period = _today()
    return period.start, period.end


# --- PRE-3 --------------------------------------------------------------------------------------


def test_pre3_needs_confirmed_before_signing_met_then_short_for_a_contract_signed_without(goods):
    """PRE-3: a contract whose review confirmed the customer's requirements → met; one signed without any
    confirmation (no inquiry confirmed, no requirements review) → short and listed; none signed → no_data."""
    customer, product = goods
    assert needs_confirmed_before_contract(_today()).status == NO_DATA
    _signed_contract(customer, product)
    assert needs_confirmed_before_contract(_today()).status == MET

    slipped = _slipped_contract(customer, product)
    short = needs_confirmed_before_contract(_today())
    assert short.status == SHORT and [link.label for link in short.shortfalls] == [slipped.number]
    assert str(_figures(short)["比例"]) == "50.0"

    result = compliance_report(_today(), only={"PRE-3"}).results[0]
    assert result.status == SHORT


# --- SAL-2 --------------------------------------------------------------------------------------


def test_sal2_contracts_in_force_approved_signed_with_deposit_met_then_short(goods):
    """SAL-2: a contract approved, signed and with its deposit → met, and an order on it is on a signed
    contract; a contract recorded as signed without approval and short of its deposit → short and listed."""
    customer, product = goods
    assert contracts_approved_signed_with_deposit(_today()).status == NO_DATA
    assert orders_only_on_signed_contracts(_today()).status == NO_DATA
    assert discounts_price_approved(_today()).status == NO_DATA
    contract = _signed_contract(customer, product, deposit_required=Decimal("2000"))
    services.order_create(actor=f.user("sales_rep"), customer=customer, warehouse=f.warehouse(), contract=contract)
    assert contracts_approved_signed_with_deposit(_today()).status == MET
    assert orders_only_on_signed_contracts(_today()).status == MET

    slipped = _slipped_contract(customer, product, deposit_required=Decimal("2000"))
    short = contracts_approved_signed_with_deposit(_today())
    assert short.status == SHORT and short.shortfall_count == 1
    assert [link.label for link in short.shortfalls] == [slipped.number]

    result = compliance_report(_today(), only={"SAL-2"}).results[0]
    assert result.status == SHORT


def test_sal2_an_order_on_a_contract_never_signed_is_a_violation(goods):
    """SAL-2: an order whose contract has no signature (slipped past the service) → short, the order listed."""
    customer, product = goods
    contract = _signed_contract(customer, product)
    order = services.order_create(
        actor=f.user("sales_rep"), customer=customer, warehouse=f.warehouse(), contract=contract
    )
    Contract.objects.filter(pk=contract.pk).update(signed_on=None)
    short = orders_only_on_signed_contracts(_today())
    assert short.status == SHORT and [link.label for link in short.shortfalls] == [order.number]


# --- SAL-8 --------------------------------------------------------------------------------------


def test_sal8_changes_have_versioned_amendments_met_then_short_for_a_revision_without_one(goods):
    """SAL-8: an amendment through the procedure (reason, changes, revision + 1) → met; a contract whose
    revision moved on without an amendment → short and listed; nothing changed → no_data."""
    customer, product = goods
    contract = _signed_contract(customer, product)
    assert contract_changes_amended(_today()).status == NO_DATA
    services.contract_amend(
        actor=f.user("sales_rep"), contract_id=contract.pk, reason="客户要求延期交货", delivery_terms="30 日内送货"
    )
    met = contract_changes_amended(_today())
    assert met.status == MET and _figures(met)["本期变更记录"] == 1

    other = _signed_contract(customer, product)
    Contract.objects.filter(pk=other.pk).update(revision=2, updated_at=timezone.now())
    short = contract_changes_amended(_today())
    assert short.status == SHORT and [link.label for link in short.shortfalls] == [other.number]

    result = compliance_report(_today(), only={"SAL-8"}).results[0]
    assert result.status == SHORT


# --- SAL-4 --------------------------------------------------------------------------------------


def _last_year() -> Period:
    year = timezone.localdate().year - 1
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _plan(code, target, *, company_target="1000000", approve=True, author="xuhui_manager"):
    year = timezone.localdate().year - 1
    plan = presales.plan_create(
        actor=f.user(author),
        org_unit=unit(code),
        year=year,
        target=target,
        company_target=Decimal(company_target),
        basis="上年实际 + 公司下达目标",
    )
    if approve:
        presales.plan_approve(actor=f.user("gm"), plan_id=plan.pk)
    return plan


def test_sal4_plans_complete_and_actual_against_target_met_then_short():
    """SAL-4: an approved plan with the company target and 12 months → complete (met), and the year's orders reach
    its target (met); a plan without the company target and not approved → short and listed; a plan whose
    unit sold less than planned → short with actual / target; no plan → no_data."""
    period = _last_year()
    assert annual_plans_complete(period).status == NO_DATA
    assert plans_met(period).status == NO_DATA
    year = period.start.year
    _plan("sh-xuhui", "1200")
    sales_order("sh-xuhui", "700", dt.date(year, 3, 5))
    sales_order("sh-xuhui", "600", dt.date(year, 11, 20))
    sales_order("sh-xuhui", "999", dt.date(year, 5, 1), status=OrderStatus.CANCELLED)  # not a sale
    assert annual_plans_complete(period).status == MET
    met = plans_met(period)
    assert met.status == MET
    assert (_figures(met)["计划目标合计"], _figures(met)["实际销售合计"]) == (Decimal("1200.00"), Decimal("1300.00"))

    region = _plan("east", "120000", company_target="0", approve=False, author="east_manager")
    short = annual_plans_complete(period)
    assert short.status == SHORT and short.shortfalls[0].label == f"{region.org_unit.name} {year}"
    presales.plan_approve(actor=f.user("gm"), plan_id=region.pk)
    behind = plans_met(period)
    assert behind.status == SHORT and behind.shortfall_count == 1
    assert behind.shortfalls[0].label.startswith(region.org_unit.name)

    result = compliance_report(period, only={"SAL-4"}).results[0]
    assert result.status == SHORT and len(result.evidence) == 2


# --- SAL-6 --------------------------------------------------------------------------------------


def test_sal6_orders_allocated_accurately_and_processing_time_then_short_when_a_line_is_off(goods):
    """SAL-6: an order reviewed, confirmed and allocated in full → accurate (met) and its processing time
    measured; a line allocated short of its quantity → short and listed; no allocation → no_data."""
    customer, product = goods
    assert orders_allocated_accurately(_today()).status == NO_DATA
    assert order_processing_time(_today()).status == NO_DATA
    order = f.ready_to_ship(customer=customer, product=product)
    assert orders_allocated_accurately(_today()).status == MET
    timing = order_processing_time(_today())
    assert timing.status == MET and _figures(timing)["订单数"] == 1
    assert _figures(timing)["平均处理时长"] >= 0

    other = f.ready_to_ship(customer=customer, product=product)
    SalesOrderLine.objects.filter(order=other).update(allocated_quantity=1)
    short = orders_allocated_accurately(_today())
    assert short.status == SHORT and [link.label for link in short.shortfalls] == [other.number]
    assert order.number not in [link.label for link in short.shortfalls]

    result = compliance_report(_today(), only={"SAL-6"}).results[0]
    assert result.status == SHORT


def test_each_sales_evidence_function_runs_a_handful_of_queries_whatever_the_records(
    goods, django_assert_max_num_queries
):
    """PRE-2, PRE-3, SAL-2, SAL-4, SAL-6, SAL-8: set-based — a few aggregate queries per aspect, none per record
    (the HQ report over a year stays fast on a large data set)."""
    customer, product = goods
    for _ in range(3):
        _slipped_contract(customer, product)
        f.ready_to_ship(customer=customer, product=product)
    _plan("sh-xuhui", "1200", approve=False)
    for function, period in (
        (claims_decided_by_qa, _today()),
        (needs_confirmed_before_contract, _today()),
        (contracts_approved_signed_with_deposit, _today()),
        (orders_only_on_signed_contracts, _today()),
        (discounts_price_approved, _today()),
        (contract_changes_amended, _today()),
        (orders_allocated_accurately, _today()),
        (order_processing_time, _today()),
        (annual_plans_complete, _last_year()),
        (plans_met, _last_year()),
    ):
        with django_assert_max_num_queries(5):
            function(period)
