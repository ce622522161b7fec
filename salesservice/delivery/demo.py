"""Demo records of the delivery app for `manage.py load_demo` — never fatal, idempotent.

- `deliver_with_concession(order)`: called by the sales demo for an allocated order — the warehouse ships it
  (DEL-1, TRC-1), a transit delay is recorded and told to the customer (DEL-2), the store manager records the
  customer's approved concession (DEL-6: lawful, recallable) and releases it: the order is delivered, its
  receivable raised (DEL-5) and the after-delivery follow-up scheduled.
- `load_demo()`: when an allocated sales order waits and no delivery waits for acceptance, the warehouse
  ships the oldest one, so the store has a delivery to accept (today's deliveries on the workbench).
"""

import logging

from django.db import transaction
from django.utils import timezone

from salesservice.core.models import User

logger = logging.getLogger(__name__)


def _user(name):
    return User.objects.filter(username=name).first()


def ship(order, clerk=None):
    from . import services

    clerk = clerk or _user("warehouse_clerk")
    services.order_ship(
        actor=clerk,
        order_id=order.pk,
        carrier="顺丰速运",
        tracking_no=f"SF{order.pk:010d}",
        packing="原厂纸箱 + 防震泡沫 + 木架加固，防潮膜密封",
        package_count=1,
        note="医疗器械，轻放、防潮",
    )
    return order.deliveries.order_by("-pk").first()


def deliver_with_concession(order) -> None:
    """Ship, record a delay told to the customer, approve a concession and release (see the module doc)."""
    from . import services
    from .choices import IncidentKind, InformChannel

    manager = _user("xuhui_manager") or _user("east_manager")
    delivery = ship(order)
    if delivery is None or manager is None:
        return
    now = timezone.now()
    services.delivery_report_incident(
        actor=manager,
        delivery_id=delivery.pk,
        kind=IncidentKind.DELAY,
        description="物流中转延误约 6 小时",
        occurred_at=now,
        customer_informed_at=now,
        informed_how=InformChannel.PHONE,
        remedy="改为专车直送，当日送达",
    )
    services.delivery_approve_concession(
        actor=manager,
        delivery_id=delivery.pk,
        customer_representative="急诊科 赵护士长",
        reason="急诊抢救急需，先行交付使用，联合验收次日补做",
        lawful=True,
        recallable=True,
    )
    services.delivery_release(actor=manager, delivery_id=delivery.pk, note="客户批准让步放行")


def load_demo() -> None:
    from salesservice.sales.choices import OrderStatus
    from salesservice.sales.models import SalesOrder

    from .choices import DeliveryStatus
    from .models import Delivery

    try:
        order = SalesOrder.objects.filter(status=OrderStatus.ALLOCATED).order_by("pk").first()
        if order is None or Delivery.objects.filter(status=DeliveryStatus.SHIPPED).exists():
            return
        with transaction.atomic():
            ship(order)
    except Exception:  # a demo story that cannot be told is skipped, never fatal
        logger.warning("delivery demo skipped", exc_info=True)
