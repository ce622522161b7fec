"""Quotations (SAL-2 discount bands, validity) and contracts: review before signing (SAL-1), approval by
amount and signature with the deposit (SAL-2), versioned amendments that go through review again (SAL-8)."""

from decimal import Decimal

import pytest

from salesservice.core.exceptions import DomainError, PermissionDeniedError

from .. import services
from ..choices import ContractStatus, QuotationStatus, ReviewItem, ReviewResult
from ..models import ContractReview, Receivable
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(demo):
    product = f.device()
    f.stock(product, 10)
    return f.hospital(), product


def test_quotation_within_the_free_band_is_valid_on_submit(setup, users):
    """SAL-2: 4 % off needs no approval."""
    customer, product = setup
    quotation = services.quotation_create(
        actor=users["sales_rep"],
        customer=customer,
        lines=[{"product": product, "quantity": 1, "unit_price": Decimal("9600")}],
    )
    services.quotation_submit(actor=users["sales_rep"], quotation_id=quotation.pk)
    quotation.refresh_from_db()
    assert quotation.status == QuotationStatus.APPROVED and quotation.approval_level == 0


def test_quotation_manager_band_and_self_approval(setup, users):
    """SAL-2: 10 % off waits for a manager; the author cannot approve it."""
    customer, product = setup
    quotation = services.quotation_create(
        actor=users["xuhui_manager"],
        customer=customer,
        lines=[{"product": product, "quantity": 1, "unit_price": Decimal("9000")}],
    )
    services.quotation_submit(actor=users["xuhui_manager"], quotation_id=quotation.pk)
    with pytest.raises(PermissionDeniedError) as refused:
        services.quotation_approve(actor=users["xuhui_manager"], quotation_id=quotation.pk)
    assert refused.value.code == "sales.self_approval"
    services.quotation_approve(actor=users["east_manager"], quotation_id=quotation.pk)


def test_expired_quotation_cannot_be_accepted_or_converted(setup, users):
    customer, product = setup
    quotation = services.quotation_create(
        actor=users["sales_rep"], customer=customer, lines=[{"product": product, "quantity": 1}]
    )
    services.quotation_submit(actor=users["sales_rep"], quotation_id=quotation.pk)
    type(quotation).objects.filter(pk=quotation.pk).update(valid_until=f.days(-1))
    with pytest.raises(DomainError) as refused:
        services.quotation_accept(actor=users["sales_rep"], quotation_id=quotation.pk)
    assert refused.value.code == "quotation.expired"
    with pytest.raises(DomainError):
        services.contract_create(actor=users["sales_rep"], customer=customer, title="x", quotation=quotation)
    assert services.quotations_expire() == 1


def test_contract_terms_are_required_before_review(setup, users):
    """SAL-1: delivery, acceptance and payment terms must be written."""
    customer, product = setup
    contract = services.contract_create(
        actor=users["sales_rep"], customer=customer, title="t", lines=[{"product": product, "quantity": 1}]
    )
    with pytest.raises(DomainError) as refused:
        services.contract_submit_review(actor=users["sales_rep"], contract_id=contract.pk)
    assert refused.value.code == "contract.terms_required"


def test_review_items_are_signed_off_by_their_departments(setup, users):
    """SAL-1: four items, each by its department; another department is refused; approval waits for all."""
    customer, product = setup
    contract = f.contract(customer, [(product, 2)])
    services.contract_submit_review(actor=users["sales_rep"], contract_id=contract.pk)
    assert ContractReview.objects.filter(contract=contract, revision=1).count() == 4
    with pytest.raises(PermissionDeniedError) as refused:
        services.contract_review(
            actor=users["warehouse_clerk"],
            contract_id=contract.pk,
            item=ReviewItem.QUALIFICATION,
            result=ReviewResult.PASS,
        )
    assert refused.value.code == "contract.review_not_yours"
    with pytest.raises(DomainError) as early:
        services.contract_approve(actor=users["xuhui_manager"], contract_id=contract.pk)
    assert early.value.code == "contract.review_incomplete"
    with pytest.raises(DomainError):  # a failed item needs an opinion
        services.contract_review(
            actor=users["warehouse_clerk"], contract_id=contract.pk, item=ReviewItem.DELIVERY, result=ReviewResult.FAIL
        )


def test_qualification_item_cannot_pass_for_an_unqualified_buyer(setup, users):
    """SAL-1 + BUY-1: the system's finding blocks QA from passing the qualification item."""
    _, product = setup
    clinic = f.hospital(name="过期诊所", valid_until=f.days(-3))
    contract = f.contract(clinic, [(product, 1)])
    services.contract_submit_review(actor=users["sales_rep"], contract_id=contract.pk)
    row = ContractReview.objects.get(contract=contract, item=ReviewItem.QUALIFICATION)
    assert row.findings and not row.findings[0]["ok"]
    with pytest.raises(DomainError) as refused:
        services.contract_review(
            actor=users["qa_inspector"],
            contract_id=contract.pk,
            item=ReviewItem.QUALIFICATION,
            result=ReviewResult.PASS,
        )
    assert refused.value.code == "sales_order.buyer_unqualified"


def test_approval_by_amount_then_signature_with_deposit(setup, users):
    """SAL-2: above the limit only the general manager approves; signing needs the agreed deposit."""
    customer, product = setup
    contract = f.reviewed_contract(f.contract(customer, [(product, 25)], deposit_required=Decimal("25000")))
    assert contract.total == Decimal("250000.00")
    with pytest.raises(PermissionDeniedError) as refused:
        services.contract_approve(actor=users["xuhui_manager"], contract_id=contract.pk)
    assert refused.value.code == "sales.approval_limit"
    services.contract_approve(actor=users["gm"], contract_id=contract.pk)
    with pytest.raises(DomainError) as short:
        services.contract_sign(
            actor=users["xuhui_manager"], contract_id=contract.pk, customer_signatory="李院长", deposit_amount="1000"
        )
    assert short.value.code == "contract.deposit_missing"
    services.contract_sign(
        actor=users["xuhui_manager"], contract_id=contract.pk, customer_signatory="李院长", deposit_amount="25000"
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED and contract.deposit_received == Decimal("25000")
    assert Receivable.objects.get(contract=contract).paid_at is not None


def test_orders_only_on_a_signed_contract_within_its_quantities(setup, users):
    customer, product = setup
    contract = f.reviewed_contract(f.contract(customer, [(product, 3)]))
    with pytest.raises(DomainError) as unsigned:
        f.order(customer, [(product, 1)], contract=contract)
    assert unsigned.value.code == "contract.not_signed"
    services.contract_approve(actor=users["xuhui_manager"], contract_id=contract.pk)
    services.contract_sign(actor=users["xuhui_manager"], contract_id=contract.pk, customer_signatory="李院长")
    order = services.order_create(
        actor=users["sales_rep"], customer=customer, warehouse=f.warehouse(), contract=contract
    )
    assert order.lines.get().quantity == 3
    contract.refresh_from_db()
    assert contract.status == ContractStatus.EXECUTING
    with pytest.raises(DomainError) as beyond:
        f.order(customer, [(product, 1)], contract=contract)
    assert beyond.value.code == "sales_order.exceeds_contract"


def test_amendment_opens_a_new_revision_and_review(setup, users):
    """SAL-8: what changed and why, revision + 1, back to review; an empty change is refused."""
    customer, product = setup
    contract = f.reviewed_contract(f.contract(customer, [(product, 2)]))
    services.contract_approve(actor=users["xuhui_manager"], contract_id=contract.pk)
    with pytest.raises(DomainError) as empty:
        services.contract_amend(actor=users["sales_rep"], contract_id=contract.pk, reason="无变更")
    assert empty.value.code == "contract.amend_reason"
    services.contract_amend(
        actor=users["sales_rep"],
        contract_id=contract.pk,
        reason="客户要求延期交货",
        delivery_terms="合同签订后 30 日内送货",
    )
    contract.refresh_from_db()
    assert contract.revision == 2 and contract.status == ContractStatus.IN_REVIEW
    amendment = contract.amendments.get()
    assert amendment.changes["delivery_terms"]["to"] == "合同签订后 30 日内送货"
    assert ContractReview.objects.filter(contract=contract, revision=2, result=ReviewResult.PENDING).count() == 4
