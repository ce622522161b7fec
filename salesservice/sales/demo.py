"""Demo records of the sales app for `manage.py load_demo` (idempotent: nothing is added once any sales order
exists; each story runs in its own savepoint, so one that cannot be told never breaks the others). Built on the
customers demo (上海市徐汇区中心医院 qualified for class III; 深圳南山蛇口门诊部 whose licence expired), the
catalog demo (MD3-3001 除颤监护仪, class III with every GSP field) and the inventory demo (WH-HQ):

- pre-sales (presales_demo): inquiries, QA-approved claims, a tender won, authorisation letters, a plan;
- a quotation within the free discount band, accepted, turned into a contract that went through the
  four-department review (SAL-1), approval, signature with its deposit (SAL-2), then an order from the
  contract reviewed, confirmed with the customer and allocated FEFO (SAL-5, SAL-6) — waiting for the warehouse;
- the same hospital's second order shipped and delivered with a customer-approved concession (DEL-6) when the
  delivery app is installed, with its receivable (DEL-5);
- a quotation at 20 % off waiting for the general manager's price approval (SAL-2);
- the clinic's order for a class III device, refused at review: its licence expired (BUY-1) — left in draft
  so its page shows why.
"""

import logging
from decimal import Decimal

from django.db import transaction

from salesservice.catalog.models import Product
from salesservice.core.models import User
from salesservice.customers.models import Customer

from . import services
from .choices import ConfirmChannel, ReviewItem, ReviewResult
from .models import SalesOrder

logger = logging.getLogger(__name__)
TERMS = {
    "delivery_terms": "合同签订后 10 日内送货至医院设备科，含运输保险，防护至目的地",
    "acceptance_terms": "到货后双方共同验收：装箱单核对、外观、安装调试、功能测试，签署验收单",
    "payment_terms": "签约付定金 10%，验收合格后 30 日内付清余款",
}


def _user(name):
    return User.objects.filter(username=name).first()


def _story(name, func):
    try:
        with transaction.atomic():
            func()
    except Exception:  # a demo story that cannot be told is skipped, never fatal
        logger.warning("sales demo: %s skipped", name, exc_info=True)


def _stock(product, quantity, index):
    from salesservice.inventory.demo import _stock as put
    from salesservice.inventory.models import Location, Warehouse

    central = Warehouse.objects.filter(code="WH-HQ").first()
    location = Location.objects.filter(warehouse=central, code="A-01").first()
    if central is None or location is None:
        return None
    clerk, qa = _user("warehouse_clerk"), _user("qa_inspector")
    if product.tracking_mode == "serial":  # one lot per serial number
        return [
            put(clerk, qa, central, location, product, 1, index * 100 + n, reference="DEMO-销售备货")
            for n in range(quantity)
        ]
    return put(clerk, qa, central, location, product, quantity, index, reference="DEMO-销售备货")


def load_demo() -> None:
    from importlib.util import find_spec

    if find_spec("salesservice.sales.presales_demo"):
        from .presales_demo import load_demo as presales

        _story("presales", presales)
    if SalesOrder.objects.exists():
        return
    from salesservice.inventory.models import Warehouse

    rep, manager, gm = _user("sales_rep"), _user("xuhui_manager"), _user("gm")
    hospital = Customer.objects.filter(name="上海市徐汇区中心医院").first()
    clinic = Customer.objects.filter(name="深圳南山蛇口门诊部").first()
    device = Product.objects.filter(code="MD3-3001").first()
    central = Warehouse.objects.filter(code="WH-HQ").first()
    if not all([rep, manager, gm, hospital, device, central]):
        return
    _story("stock", lambda: _stock(device, 10, 31))

    def contract_story():
        price = (device.price * Decimal("0.96")).quantize(Decimal("1"))
        quotation = services.quotation_create(
            actor=rep,
            customer=hospital,
            lines=[{"product": device, "quantity": 2, "unit_price": price}],
            terms="含安装调试与操作培训；质保 24 个月",
        )
        services.quotation_submit(actor=rep, quotation_id=quotation.pk)
        services.quotation_accept(actor=rep, quotation_id=quotation.pk)
        contract = services.contract_create(
            actor=rep,
            customer=hospital,
            title="除颤监护仪采购合同",
            quotation=quotation,
            deposit_required=(price * 2 * Decimal("0.1")).quantize(Decimal("1")),
            installation_required=True,
            training_required=True,
            protect_to_destination=True,
            **TERMS,
        )
        services.contract_submit_review(actor=rep, contract_id=contract.pk)
        for item, who in (
            (ReviewItem.REQUIREMENTS, rep),
            (ReviewItem.DELIVERY, _user("warehouse_clerk")),
            (ReviewItem.PRICE_TERMS, manager),
            (ReviewItem.QUALIFICATION, _user("qa_inspector")),
        ):
            services.contract_review(
                actor=who, contract_id=contract.pk, item=item, result=ReviewResult.PASS, note="符合要求"
            )
        services.contract_approve(actor=gm, contract_id=contract.pk, note="同意")
        contract.refresh_from_db()
        services.contract_sign(
            actor=manager,
            contract_id=contract.pk,
            customer_signatory="李院长",
            deposit_amount=contract.deposit_required,
            reference="DEMO-定金",
        )
        order = services.order_create(
            actor=rep,
            customer=hospital,
            warehouse=central,
            contract=contract,
            ship_to_contact="设备科 王主任",
            ship_to_phone="13912345678",
            ship_to_address="上海市徐汇区宛平南路 600 号",
        )
        services.order_review(actor=manager, order_id=order.pk, note="资格、价格、库存均符合")
        services.order_confirm(
            actor=rep, order_id=order.pk, confirmed_with="设备科 王主任", confirm_channel=ConfirmChannel.PHONE
        )
        services.order_allocate(actor=_user("warehouse_clerk"), order_id=order.pk)

    _story("contract to allocation", contract_story)

    def delivered_story():
        from importlib import import_module

        order = services.order_create(
            actor=rep,
            customer=hospital,
            warehouse=central,
            lines=[{"product": device, "quantity": 1}],
            ship_to_contact="急诊科 赵护士长",
            ship_to_phone="13912340000",
            ship_to_address="上海市徐汇区宛平南路 600 号 急诊楼",
        )
        services.order_review(actor=manager, order_id=order.pk)
        services.order_confirm(
            actor=rep, order_id=order.pk, confirmed_with="急诊科 赵护士长", confirm_channel=ConfirmChannel.IN_PERSON
        )
        services.order_allocate(actor=_user("warehouse_clerk"), order_id=order.pk)
        try:
            delivered = import_module("salesservice.delivery.demo").deliver_with_concession
        except (ImportError, AttributeError):
            return
        delivered(order)

    _story("delivered with concession", delivered_story)

    def pending_price():
        quotation = services.quotation_create(
            actor=rep,
            customer=hospital,
            lines=[{"product": device, "quantity": 5, "unit_price": device.price * Decimal("0.8")}],
            terms="五台批量价",
        )
        services.quotation_submit(actor=rep, quotation_id=quotation.pk)

    _story("quotation waiting for the general manager", pending_price)

    def refused_clinic():
        if clinic is None:
            return
        order = services.order_create(
            actor=rep,
            customer=clinic,
            warehouse=central,
            lines=[{"product": device, "quantity": 1}],
            note="诊所许可证已过期：评审时被拒（BUY-1）",
        )
        try:
            with transaction.atomic():
                services.order_review(actor=manager, order_id=order.pk)
        except Exception:
            pass  # refused, as it must be: the order stays in draft and its page lists the reasons

    _story("clinic refused", refused_clinic)
