"""Issue 12 §17: picking a customer at intake shows their contact, phone and address (masked: left blank, the
request takes them from the record) and the products of their earlier requests, one tap to choose — within
the user's scope only."""

import pytest

from salesservice.catalog.tests.factories import ProductFactory
from salesservice.customers.tests.factories import CustomerFactory

from ..models import ServiceRequest
from .factories import make_request, store

pytestmark = pytest.mark.django_db

URL = "/service/requests/new/customer-profile/"


def test_the_profile_shows_masked_contact_and_earlier_products(web_for, demo):
    customer = CustomerFactory(store=store("sh-xuhui"), phone="13812345678", address="上海市徐汇区漕溪北路88号")
    product = ProductFactory(name="变频空调")
    earlier = make_request(product=product)
    ServiceRequest.objects.filter(pk=earlier.pk).update(customer=customer)
    page = web_for("xuhui_cs").get(URL, {"customer": customer.code}).content.decode()
    assert 'data-testid="customer-profile"' in page and customer.name in page
    assert "138****5678" in page and "13812345678" not in page
    assert "上海市徐汇区****" in page and "漕溪北路" not in page
    assert f'data-value="{product.pk}"' in page and "变频空调" in page


def test_another_stores_customer_shows_nothing(web_for, demo):
    customer = CustomerFactory(store=store("gz-tianhe"))
    assert web_for("xuhui_cs").get(URL, {"customer": customer.code}).content == b""


def test_blank_contact_fields_take_the_record(web_for, demo):
    customer = CustomerFactory(store=store("sh-xuhui"), phone="13812345678", address="徐汇区某路1号")
    body = {"customer": customer.code, "channel": "hotline", "category": "repair", "description": "不制冷"}
    web_for("xuhui_cs").post("/service/requests/new/", body)
    created = ServiceRequest.objects.get(customer=customer)
    assert created.contact_phone == "13812345678" and created.address == "徐汇区某路1号"
