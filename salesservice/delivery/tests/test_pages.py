"""The pages: the sales order's 发货 button (ShipForm), the delivery list and page with the checklist and the
signature pad, refusals shown in Chinese, the printable 拣货单 / 发货单 / 验收单 / 培训记录, the workbench
panel (DEL-1, DEL-2, DEL-3, DEL-4, DEL-6)."""

import pytest
from django.urls import reverse

from salesservice.sales.choices import OrderStatus

from ..choices import DeliveryStatus
from ..models import Delivery
from .factories import SHIP, SIGNATURE, accept, allocated_order, shipped_delivery

pytestmark = pytest.mark.django_db


def _accept_post(delivery, **extra):
    data = {
        "version": delivery.version,
        "check_packing_list": "pass",
        "check_appearance": "pass",
        "check_installation": "na",
        "check_function": "pass",
        "signer_name": "王主任",
        "signature": SIGNATURE,
    }
    data.update(extra)
    return data


def test_ship_from_the_sales_order_page(web_for):
    """DEL-1: the order page's 发货 action posts the ShipForm and the delivery appears."""
    order = allocated_order()
    client = web_for("warehouse_clerk")
    response = client.post(reverse("sales:order-action", args=[order.pk, "ship"]), {**SHIP, "version": order.version})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED and Delivery.objects.filter(order=order).exists()


def test_ship_refused_on_the_page_shows_the_reason_and_changes_nothing(web_for):
    order = allocated_order()
    client = web_for("warehouse_clerk")
    response = client.post(reverse("sales:order-action", args=[order.pk, "ship"]), {**SHIP, "packing": ""}, follow=True)
    assert "包装方式" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.ALLOCATED


def test_pick_list_prints_before_shipping(web_for):
    order = allocated_order()
    response = web_for("warehouse_clerk").get(reverse("delivery:pick-list", args=[order.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_list_and_detail_pages_show_the_checklist_and_the_signature_pad(web_for):
    delivery = shipped_delivery()
    client = web_for("xuhui_engineer")
    listing = client.get(reverse("delivery:deliveries"), {"q": delivery.tracking_no, "status": "shipped"})
    assert listing.status_code == 200 and delivery.number in listing.content.decode()
    page = client.get(reverse("delivery:delivery-detail", args=[delivery.pk])).content.decode()
    for needle in (
        'id="accept-form"',
        "data-signature-pad",
        "装箱单核对",
        "安装调试",
        'id="release-gate"',
        "signature.js",
    ):
        assert needle in page, needle


def test_accept_on_the_page_with_a_drawn_signature_then_release(web_for):
    delivery = shipped_delivery()
    client = web_for("xuhui_engineer")
    url = reverse("delivery:delivery-action", args=[delivery.pk, "accept"])
    assert client.post(url, _accept_post(delivery)).status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.ACCEPTED and delivery.signature
    page = client.get(reverse("delivery:delivery-detail", args=[delivery.pk])).content.decode()
    assert 'id="signature-image"' in page
    image = client.get(reverse("delivery:delivery-signature", args=[delivery.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    client.post(reverse("delivery:delivery-action", args=[delivery.pk, "release"]), {"version": delivery.version})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RELEASED


def test_accept_without_signature_is_refused_on_the_page(web_for):
    delivery = shipped_delivery()
    client = web_for("xuhui_engineer")
    url = reverse("delivery:delivery-action", args=[delivery.pk, "accept"])
    response = client.post(url, _accept_post(delivery, signature=""), follow=True)
    assert "请客户签名" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SHIPPED


def test_release_without_acceptance_is_refused_on_the_page(web_for):
    """DEL-6 in the UI: the refusal lists what is missing, in Chinese."""
    delivery = shipped_delivery()
    client = web_for("xuhui_manager")
    url = reverse("delivery:delivery-action", args=[delivery.pk, "release"])
    response = client.post(url, {"version": delivery.version}, follow=True)
    assert "不得放行" in response.content.decode() and "客户验收" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SHIPPED


def test_concession_and_incident_forms_on_the_page(web_for):
    delivery = shipped_delivery()
    client = web_for("xuhui_manager")
    client.post(
        reverse("delivery:delivery-action", args=[delivery.pk, "report-incident"]),
        {"kind": "damage", "description": "外箱破损", "version": delivery.version},
    )
    delivery.refresh_from_db()
    page = client.get(reverse("delivery:delivery-detail", args=[delivery.pk])).content.decode()
    assert "尚未告知客户" in page and 'id="inform-customer-form"' in page
    client.post(
        reverse("delivery:delivery-action", args=[delivery.pk, "approve-concession"]),
        {
            "customer_representative": "赵护士长",
            "reason": "急需",
            "lawful": "on",
            "recallable": "on",
            "version": delivery.version,
        },
    )
    delivery.refresh_from_db()
    assert delivery.concession_approved


@pytest.mark.parametrize("name", ["delivery:delivery-pdf", "delivery:acceptance-pdf", "delivery:training-pdf"])
def test_printable_documents(web_for, name):
    delivery = accept(shipped_delivery())
    response = web_for("xuhui_manager").get(reverse(name, args=[delivery.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_another_stores_user_gets_404_on_every_page(web_for):
    delivery = accept(shipped_delivery())
    client = web_for("tianhe_cs")
    for name in (
        "delivery:delivery-detail",
        "delivery:delivery-pdf",
        "delivery:acceptance-pdf",
        "delivery:delivery-signature",
    ):
        assert client.get(reverse(name, args=[delivery.pk])).status_code == 404, name
    assert client.post(reverse("delivery:delivery-action", args=[delivery.pk, "release"])).status_code == 404


def test_auditor_reads_but_cannot_act(web_for):
    delivery = shipped_delivery()
    client = web_for("auditor")
    page = client.get(reverse("delivery:delivery-detail", args=[delivery.pk])).content.decode()
    assert delivery.number in page and 'id="accept-form"' not in page


def test_workbench_shows_todays_deliveries(web_for):
    delivery = shipped_delivery()
    page = web_for("xuhui_manager").get("/").content.decode()
    assert "panel-deliveries-today" in page and delivery.number in page
