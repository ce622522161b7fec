"""Builders for returns tests. Requests go through the service (their eligibility is behaviour);
customers and products come from the other apps' factories."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from salesservice.catalog.tests.factories import CategoryFactory, ProductFactory
from salesservice.core.models import OrgUnit, User
from salesservice.customers.tests.factories import CustomerFactory

from .. import services
from ..choices import GoodsCondition, RequestedKind, ReturnReason, SaleChannel
from ..models import ReturnRule


def user(username: str) -> User:
    return User.objects.get(username=username)


def store(code: str = "sh-xuhui") -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def excluded_rule(category, *, reasons=("no_reason",), only_when_opened=False, name="定制商品不退换"):
    rule = ReturnRule.objects.create(
        name=name, reasons=list(reasons), only_when_opened=only_when_opened, citation="定制商品不适用无理由退货"
    )
    rule.excluded_categories.add(category)
    return rule


def make_return(
    *,
    actor="xuhui_cs",
    store_code="sh-xuhui",
    product=None,
    purchased_days_ago=3,
    sale_channel=SaleChannel.DISTANCE,
    reason=ReturnReason.NO_REASON,
    requested_kind=RequestedKind.REFUND,
    condition=GoodsCondition.UNOPENED,
    customer=None,
    **extra,
):
    customer = customer or CustomerFactory(store=store(store_code))
    return services.return_request_create(
        actor=user(actor) if isinstance(actor, str) else actor,
        customer=customer,
        product=product or ProductFactory(),
        purchase_date=days_ago(purchased_days_ago),
        sale_channel=sale_channel,
        reason=reason,
        requested_kind=requested_kind,
        condition=condition,
        description=extra.pop("description", "不想要了"),
        **extra,
    )


def advance(request, to: str, *, quality_problem=False):
    """Walk a request through the happy path up to status `to` with the demo users."""
    order = ["approved", "goods_received", "inspected", "refunded", "closed"]
    pk = request.pk
    if to == "rejected":
        return services.return_reject(actor=user("xuhui_manager"), return_id=pk, reason="不符合规定")
    if to == "cancelled":
        return services.return_cancel(actor=user("xuhui_cs"), return_id=pk, reason="客户撤回")
    for step in order:
        if step == "approved":
            request = services.return_approve(
                actor=user("xuhui_manager"),
                return_id=pk,
                override_reason="" if request.eligible else "老客户，店长特批",
            )
        elif step == "goods_received":
            request = services.return_receive(
                actor=user("warehouse_clerk"), return_id=pk, condition=GoodsCondition.OPENED_INTACT
            )
        elif step == "inspected":
            request = services.return_inspect(
                actor=user("qa_inspector"), return_id=pk, quality_problem=quality_problem, findings="外观完好，功能正常"
            )
        elif step == "refunded":
            request = services.return_refund(actor=user("xuhui_cs"), return_id=pk, amount=Decimal("100.00"))
        elif step == "closed":
            request = services.return_close(actor=user("xuhui_cs"), return_id=pk)
        if step == to:
            return request
    return request


__all__ = ["CategoryFactory", "CustomerFactory", "ProductFactory", "advance", "make_return"]
