"""One FilterSet per model (CONVENTIONS, NetBox): the customer list and the customer-property register share
theirs with the API, so a filter value narrows the page and `/api/v1/…` alike, within the user's scope."""

import pytest

from salesservice.core.tests.filter_helpers import api_ids, page_ids

from ..api.views import CustomerPropertyViewSet, CustomerViewSet
from ..filtersets import CustomerFilterSet, PropertyFilterSet
from ..views import CustomerListView, PropertyRegisterView
from .factories import CustomerFactory, PropertyFactory, store

pytestmark = pytest.mark.django_db
PAGE, API, DETAIL = "/customers/", "/api/v1/customers/", "customers:customer-detail"
REGISTER, REGISTER_API = "/customers/property/", "/api/v1/customer-property/"


def register_ids(client, params: dict) -> set[int]:
    """The rows of the register page (it has no detail page to link to)."""
    response = client.get(REGISTER, params, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, (params, response.status_code)
    return {item.pk for item in response.context["page"].object_list}


def test_the_pages_and_the_api_share_one_filterset_per_model():
    assert CustomerListView.filterset_class is CustomerViewSet.filterset_class is CustomerFilterSet
    assert PropertyRegisterView.filterset_class is CustomerPropertyViewSet.filterset_class is PropertyFilterSet


def test_customer_filters_narrow_the_page_and_the_api_alike(demo, users, web_for, api_for):
    dealer = CustomerFactory(name="康健医疗", customer_type="dealer", is_key_account=True, sales_rep=users["sales_rep"])
    dealer.tags.create(name="经销商")
    person = CustomerFactory(name="普通个人")
    gone = CustomerFactory(name="已注销客户", is_anonymised=True)
    CustomerFactory(name="天河客户", store=store("gz-tianhe"))  # out of scope for xuhui_cs
    web, api = web_for("xuhui_cs"), api_for("xuhui_cs")
    for params, expected in [
        ({}, {dealer.pk, person.pk, gone.pk}),
        ({"customer_type": "dealer"}, {dealer.pk}),
        ({"type": "dealer"}, {dealer.pk}),
        ({"is_key_account": "true"}, {dealer.pk}),
        ({"is_key_account": "false"}, {person.pk, gone.pk}),
        ({"tag": "经销商"}, {dealer.pk}),
        ({"tag": "没有这个标签"}, set()),
        ({"q": "kjyl"}, {dealer.pk}),
        ({"sales_rep": users["sales_rep"].pk}, {dealer.pk}),
        ({"is_anonymised": "true"}, {gone.pk}),
        ({"store": store().pk}, {dealer.pk, person.pk, gone.pk}),
        ({"store": store("gz-tianhe").pk}, set()),
    ]:
        assert page_ids(web, PAGE, params, DETAIL) == api_ids(api, API, params) == expected, params


def test_the_page_offers_the_tags_by_name_and_the_users_stores(demo, web_for):
    CustomerFactory().tags.create(name="团购")
    page = web_for("xuhui_cs").get(PAGE, {"tag": "团购"})
    form = page.context["filterset"].form
    assert ("团购", "团购") in list(form.fields["tag"].choices)
    assert '<option value="团购" selected>团购</option>' in page.content.decode()
    stores = set(form.fields["store"].queryset)
    assert store("sh-xuhui") in stores and store("gz-tianhe") not in stores


def test_id_only_filters_are_left_off_the_side_form_until_a_link_sets_them(demo, web_for):
    web = web_for("xuhui_cs")
    names = [field.name for field in web.get(PAGE).context["filterset"].form]
    assert "tag" in names and {"type", "sales_rep", "is_anonymised"}.isdisjoint(names)
    assert "sales_rep" in [field.name for field in web.get(PAGE, {"sales_rep": 7}).context["filterset"].form]
    assert "customer" not in [field.name for field in web.get(REGISTER).context["filterset"].form]


def test_property_filters_narrow_the_register_and_the_api_alike(demo, users, web_for, api_for):
    ruijin = CustomerFactory(name="上海瑞金医院")
    fridge = PropertyFactory(customer=ruijin, description="电冰箱", holder=users["xuhui_cs"])
    papers = PropertyFactory(kind="document", description="发票原件", status="returned")
    PropertyFactory(customer=CustomerFactory(store=store("gz-tianhe")))  # out of scope for xuhui_cs
    web, api = web_for("xuhui_cs"), api_for("xuhui_cs")
    for params, expected in [
        ({}, {fridge.pk, papers.pk}),
        ({"kind": "document"}, {papers.pk}),
        ({"status": "held"}, {fridge.pk}),
        ({"q": "冰箱"}, {fridge.pk}),
        ({"q": fridge.identifier}, {fridge.pk}),
        ({"q": "瑞金"}, {fridge.pk}),
        ({"customer": papers.customer_id}, {papers.pk}),
        ({"holder": users["xuhui_cs"].pk}, {fridge.pk}),
        ({"customer": 999999}, set()),
    ]:
        assert register_ids(web, params) == api_ids(api, REGISTER_API, params) == expected, params
    assert api.get(REGISTER_API, {"customer": "abc"}).status_code == 400
