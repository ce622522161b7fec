"""Customer pages: pinyin search, masking and reveal per role (SRV-10), scoping (INF-1), tabs, forms."""

import pytest

from salesservice.core.models import PersonalDataAccess
from tests.matrix import Matrix, check_page

from ..models import Customer
from .factories import ContactFactory, CustomerFactory, PropertyFactory, QualificationFactory, store

pytestmark = pytest.mark.django_db


@pytest.fixture
def ruijin(demo):
    return CustomerFactory(name="上海瑞金医院", customer_type="hospital", phone="13812345678")


@pytest.mark.parametrize("query", ["瑞金", "shrj", "ruijin"])
def test_list_search_by_chinese_pinyin_and_initials(web_for, ruijin, query):
    CustomerFactory(name="王芳")
    page = web_for("xuhui_cs").get("/customers/", {"q": query}).content.decode()
    assert "上海瑞金医院" in page and "王芳" not in page


def test_list_shows_masked_phone_and_actions(web_for, ruijin):
    page = web_for("xuhui_cs").get("/customers/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    assert "新建客户" in page and "导入" in page
    assert "新建客户" not in web_for("qa_inspector").get("/customers/").content.decode()


def test_list_filters_and_htmx_partial(web_for, demo):
    dealer = CustomerFactory(name="康健医疗", customer_type="dealer", is_key_account=True)
    dealer.tags.create(name="经销商")
    CustomerFactory(name="普通个人")
    client = web_for("xuhui_cs")
    assert "普通个人" not in client.get("/customers/", {"customer_type": "dealer"}).content.decode()
    assert "普通个人" not in client.get("/customers/", {"is_key_account": "true"}).content.decode()
    partial = client.get("/customers/", {"tag": "经销商"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "康健医疗" in partial and "普通个人" not in partial


def test_excel_export_is_masked_unless_permitted(web_for, ruijin):
    from io import BytesIO

    from openpyxl import load_workbook

    def cells(username):
        response = web_for(username).get("/customers/", {"export": "xlsx"})
        return [c.value for row in load_workbook(BytesIO(response.content)).active.iter_rows() for c in row]

    assert "138****5678" in cells("xuhui_cs") and not PersonalDataAccess.objects.exists()
    assert "13812345678" in cells("xuhui_manager")
    assert PersonalDataAccess.objects.filter(target_id=str(ruijin.pk), field="phone").count() == 1


def test_detail_page_scoping(web_for, users, client, ruijin):
    """INF-1: tianhe_cs cannot read a 上海徐汇店 customer (404); provider dispatcher has no access."""
    check_page(
        Matrix(
            f"/customers/{ruijin.pk}/",
            permitted="xuhui_cs",
            out_of_scope="tianhe_cs",
            no_permission="provider_dispatcher",
        ),
        client,
        users,
    )
    assert "上海瑞金医院" not in web_for("tianhe_cs").get("/customers/").content.decode()
    assert web_for("tianhe_cs").post(f"/customers/{ruijin.pk}/reveal/phone/").status_code == 404


def test_detail_masks_and_reveal_logs(web_for, users, ruijin):
    """SRV-10: masked by default; 显示 reveals one value and writes the access log."""
    page = web_for("xuhui_cs").get(f"/customers/{ruijin.pk}/").content.decode()
    assert "138****5678" in page and "13812345678" not in page and 'id="reveal-phone"' in page
    for tab in ("基本信息", "联系人", "购货资格", "顾客财产", "同意记录", "购买记录", "服务记录", "变更记录"):
        assert tab in page
    response = web_for("xuhui_cs").post(f"/customers/{ruijin.pk}/reveal/phone/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "13812345678" in response.content.decode()
    assert PersonalDataAccess.objects.filter(user=users["xuhui_cs"], field="phone").count() == 1


def test_qa_inspector_sees_masked_without_reveal_button_and_is_refused(web_for, ruijin):
    page = web_for("qa_inspector").get(f"/customers/{ruijin.pk}/").content.decode()
    assert "138****5678" in page and 'id="reveal-phone"' not in page
    response = web_for("qa_inspector").post(f"/customers/{ruijin.pk}/reveal/phone/")
    assert response.status_code == 403 and not PersonalDataAccess.objects.exists()


def test_contact_reveal_page(web_for, demo):
    contact = ContactFactory(customer=CustomerFactory(), phone="13955556666")
    page = web_for("xuhui_cs").get(f"/customers/{contact.customer_id}/?tab=contacts").content.decode()
    assert "139****6666" in page
    response = web_for("xuhui_cs").post(f"/customers/contacts/{contact.pk}/reveal/phone/")
    assert "13955556666" in response.content.decode()


def test_qualification_badges(web_for, demo):
    import datetime as dt

    from django.utils import timezone

    customer = CustomerFactory(customer_type="hospital")
    today = timezone.localdate()
    QualificationFactory(customer=customer, valid_until=today + dt.timedelta(days=400))
    QualificationFactory(customer=customer, valid_until=today + dt.timedelta(days=10))
    QualificationFactory(customer=customer, valid_until=today - dt.timedelta(days=1))
    page = web_for("xuhui_cs").get(f"/customers/{customer.pk}/?tab=qualifications").content.decode()
    for state in ('data-state="valid"', 'data-state="expiring"', 'data-state="expired"'):
        assert state in page


def test_create_and_stale_edit(web_for, demo):
    client = web_for("xuhui_cs")
    response = client.post(
        "/customers/new/",
        {
            "customer_type": "individual",
            "name": "新客户",
            "store": store().pk,
            "phone": "13700009999",
            "tags": "新，团购",
            "is_active": "on",
        },
    )
    customer = Customer.objects.get(name="新客户")
    assert response.status_code == 302 and sorted(customer.tags.values_list("name", flat=True)) == ["团购", "新"]
    form = {"customer_type": "individual", "name": "改名", "store": store().pk, "phone": "13700009999", "version": 1}
    assert client.post(f"/customers/{customer.pk}/edit/", form).status_code == 302
    stale = client.post(f"/customers/{customer.pk}/edit/", {**form, "name": "再改"})
    assert stale.status_code == 200 and "记录已被他人修改" in stale.content.decode()
    customer.refresh_from_db()
    assert customer.name == "改名" and customer.version == 2


def test_out_of_scope_store_cannot_be_chosen(web_for, demo):
    response = web_for("xuhui_cs").post(
        "/customers/new/", {"customer_type": "individual", "name": "越权", "store": store("gz-tianhe").pk}
    )
    assert response.status_code == 200 and not Customer.objects.filter(name="越权").exists()


def test_qualification_form_with_evidence(web_for, demo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    customer = CustomerFactory(customer_type="dealer")
    response = web_for("xuhui_cs").post(
        f"/customers/{customer.pk}/qualifications/add/",
        {
            "kind": "device_operating_licence",
            "number": "沪械经营许0001号",
            "scope_classes": ["II", "III"],
            "valid_from": "2025-01-01",
            "valid_until": "2030-01-01",
            "evidence": SimpleUploadedFile("licence.png", b"\x89PNG", content_type="image/png"),
        },
    )
    assert response.status_code == 302
    page = web_for("xuhui_cs").get(f"/customers/{customer.pk}/?tab=qualifications").content.decode()
    assert "licence.png" in page and "II,III" in page


def test_property_register_incident_and_register_page(web_for, users, demo):
    from salesservice.core.models import Notification

    customer = CustomerFactory(name="送修客户", sales_rep=users["sales_rep"])
    client = web_for("xuhui_engineer")
    assert (
        client.post(
            f"/customers/{customer.pk}/property/add/", {"kind": "device", "description": "电冰箱", "identifier": "SN-1"}
        ).status_code
        == 302
    )
    item = customer.property.get()
    client.post(f"/customers/property/{item.pk}/incident/", {"kind": "lost", "description": "搬运遗失"})
    assert Notification.objects.filter(recipient=users["sales_rep"], kind="customers.property_incident").exists()
    page = client.get(f"/customers/{customer.pk}/?tab=property").content.decode()
    assert "搬运遗失" in page
    register = web_for("xuhui_cs").get("/customers/property/").content.decode()
    assert "电冰箱" in register and "SN-1" in register
    assert "电冰箱" not in web_for("tianhe_cs").get("/customers/property/").content.decode()
    assert web_for("provider_dispatcher").get("/customers/property/").status_code == 403


def test_consent_add_and_withdraw_pages(web_for, demo):
    customer = CustomerFactory()
    client = web_for("xuhui_cs")
    client.post(f"/customers/{customer.pk}/consents/add/", {"purpose": "marketing", "channel": "sms"})
    consent = customer.consents.get()
    client.post(f"/customers/consents/{consent.pk}/withdraw/")
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_export_and_anonymise_buttons_per_permission(web_for, demo):
    customer = CustomerFactory(name="隐私客户")
    cs_page = web_for("xuhui_cs").get(f"/customers/{customer.pk}/").content.decode()
    assert 'id="export-json"' not in cs_page and 'id="anonymise-button"' not in cs_page
    assert web_for("xuhui_cs").post(f"/customers/{customer.pk}/export/", {"format": "json"}).status_code == 403
    manager_page = web_for("xuhui_manager").get(f"/customers/{customer.pk}/").content.decode()
    assert 'id="export-json"' in manager_page and 'id="anonymise-button"' not in manager_page
    exported = web_for("xuhui_manager").post(f"/customers/{customer.pk}/export/", {"format": "json"})
    assert exported.status_code == 200 and "隐私客户" in exported.content.decode()
    xlsx = web_for("xuhui_manager").post(f"/customers/{customer.pk}/export/", {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    hq_page = web_for("hq_service_manager").get(f"/customers/{customer.pk}/").content.decode()
    assert 'id="anonymise-button"' in hq_page and "data-confirm" in hq_page
    web_for("hq_service_manager").post(f"/customers/{customer.pk}/anonymise/", {"reason": "客户申请"})
    customer.refresh_from_db()
    assert customer.is_anonymised
    assert web_for("xuhui_manager").post(f"/customers/{customer.pk}/anonymise/", {"reason": "x"}).status_code == 403


def test_list_page_query_count_independent_of_rows(web_for, users, demo, django_assert_max_num_queries):
    client = web_for("xuhui_cs")
    CustomerFactory()
    client.get("/customers/")  # the first call fills this process's configuration cache (permissions, scope)
    with django_assert_max_num_queries(30) as few:
        client.get("/customers/")
    for index in range(20):
        customer = CustomerFactory(sales_rep=users["sales_rep"])
        customer.tags.create(name=f"t{index}")
    with django_assert_max_num_queries(30) as many:
        client.get("/customers/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_detail_query_count_is_bounded(web_for, demo, django_assert_max_num_queries):
    customer = CustomerFactory()
    for _ in range(5):
        ContactFactory(customer=customer)
        QualificationFactory(customer=customer)
        PropertyFactory(customer=customer)
    with django_assert_max_num_queries(40):
        assert web_for("xuhui_cs").get(f"/customers/{customer.pk}/").status_code == 200
