"""Builders for the pre-sales tests: customers and products come from the customers / catalog factories;
inquiries, claims, tenders, letters and plans are made through the pre-sales services (their rules are
behaviour). Sales orders for the SAL-4 actuals are plain rows (their own rules are the order tests')."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from salesservice.catalog.tests.factories import MedicalDeviceFactory
from salesservice.core.models import OrgUnit, User
from salesservice.customers.choices import CustomerType
from salesservice.customers.tests.factories import CustomerFactory

from .. import presales as services
from ..choices import InquiryChannel, OrderStatus


def user(username: str) -> User:
    return User.objects.get(username=username)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def customer(store: str = "sh-xuhui", **extra):
    return CustomerFactory(store=unit(store), **extra)


def hospital(store: str = "sh-xuhui", name: str = "徐汇区中心医院"):
    return CustomerFactory(store=unit(store), customer_type=CustomerType.HOSPITAL, name=name)


def device(**extra):
    return MedicalDeviceFactory(**extra)


def make_inquiry(actor: str = "xuhui_cs", *, for_customer=None, **extra):
    """An inquiry of a 徐汇 customer (or `for_customer`), by phone, routed to sales."""
    values = {"channel": InquiryChannel.PHONE, "needs": "想了解家用制氧机，老人使用，需送货上门"}
    values.update(extra)
    if "prospect_name" not in values and "customer" not in values:
        values["customer"] = for_customer or customer()
    return services.inquiry_create(actor=user(actor), **values)


def make_claim(actor: str = "sales_rep", *, product=None, text: str = "通过 II 类医疗器械注册，噪音低于 40 分贝"):
    return services.claim_submit(
        actor=user(actor), product=product or device(), text=text, evidence="注册证 沪械注准20232140001"
    )


def make_tender(actor: str = "xuhui_manager", *, buyer=None, **extra):
    values = {
        "title": "2026 年度监护仪采购项目",
        "tender_no": "ZB-2026-001",
        "announced_on": days(0),
        "deadline": timezone.now() + dt.timedelta(days=20),
        "budget": Decimal("500000"),
    }
    values.update(extra)
    return services.tender_create(actor=user(actor), customer=buyer or hospital(), **values)


def reported_tender(**kwargs):
    tender = make_tender(**kwargs)
    return services.tender_report(actor=user(kwargs.get("actor", "xuhui_manager")), tender_id=tender.pk)


def sales_order(org_unit_code: str, total: str, order_date: dt.date, status: str = OrderStatus.CONFIRMED):
    """A sales order row of `total` dated `order_date` (for SAL-4 actuals)."""
    from salesservice.inventory.tests.factories import warehouse

    from ..models import SalesOrder

    count = SalesOrder.objects.count() + 1
    return SalesOrder.objects.create(
        number=f"SO-T-{count:05d}",
        org_unit=unit(org_unit_code),
        customer=customer(org_unit_code if unit(org_unit_code).kind == "store" else "sh-xuhui"),
        warehouse=warehouse(),
        order_date=order_date,
        total=Decimal(total),
        status=status,
        created_by=user("xuhui_manager"),
    )
