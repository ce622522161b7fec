"""Sales pages: lists, create forms, detail pages with the review preview (SAL-5), workflow buttons,
printable documents (报价单, 合同评审表, 销售订单), payment form (DEL-5), scope."""

import pytest

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(demo):
    product = f.device()
    f.stock(product, 10)
    return f.hospital(), product


@pytest.mark.parametrize(
    "name", ["sales:quotations", "sales:contracts", "sales:orders", "sales:receivables", "sales:records"]
)
def test_lists_render_and_export(setup, web_for, name):
    from django.urls import reverse

    client = web_for("sales_rep")
    assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse(name) + "?export=xlsx").status_code == 200


def test_create_order_from_the_page_and_see_the_review_preview(setup, web_for):
    """SAL-5: the draft order's page shows what the review will find, a refusal before anyone clicks."""
    _, product = setup
    clinic = f.hospital(name="过期诊所", valid_until=f.days(-1))
    client = web_for("sales_rep")
    response = client.post(
        "/sales/orders/new/",
        {
            "customer": clinic.pk,
            "warehouse": f.warehouse().pk,
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-product": product.pk,
            "lines-0-quantity": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    assert 'id="review-blocked"' in page and 'data-check="buyer"' in page
    manager = web_for("xuhui_manager")
    refused = manager.post(response["Location"] + "review/", {"note": ""}, follow=True)
    assert "订单评审未通过" in refused.content.decode() or "被拒绝" in refused.content.decode()


def test_contract_page_review_and_print(setup, web_for):
    customer, product = setup
    contract = f.contract(customer, [(product, 1)])
    client = web_for("sales_rep")
    client.post(f"/sales/contracts/{contract.pk}/submit-review/", {"version": contract.version})
    page = client.get(f"/sales/contracts/{contract.pk}/").content.decode()
    assert 'data-item="qualification"' in page and "评审" in page
    pdf = client.get(f"/sales/contracts/{contract.pk}/review-sheet/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_quotation_and_order_print(setup, web_for, users):
    from .. import services

    customer, product = setup
    quotation = services.quotation_create(
        actor=users["sales_rep"], customer=customer, lines=[{"product": product, "quantity": 1}]
    )
    client = web_for("sales_rep")
    assert client.get(f"/sales/quotations/{quotation.pk}/print/")["Content-Type"] == "application/pdf"
    order = f.order(customer, [(product, 1)])
    assert client.get(f"/sales/orders/{order.pk}/print/")["Content-Type"] == "application/pdf"


def test_other_store_gets_404_on_pages(setup, web_for):
    customer, product = setup
    order = f.order(customer, [(product, 1)])
    assert web_for("tianhe_cs").get(f"/sales/orders/{order.pk}/").status_code in (403, 404)
