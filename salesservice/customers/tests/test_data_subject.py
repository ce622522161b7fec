"""PIPL data-subject requests: export everything held (JSON and Excel) and anonymise irreversibly (INF-1, SRV-10)."""

from io import BytesIO

import pytest
from auditlog.models import LogEntry
from openpyxl import load_workbook

from salesservice.core.models import Event, PersonalDataAccess

from .. import services
from ..choices import ConsentChannel, ConsentPurpose, IncidentKind
from ..models import Consent, Contact, Customer, CustomerProperty, PropertyIncident, Qualification
from .factories import CustomerFactory, PropertyFactory, QualificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(users):
    """A customer with something in every section, created through services so history exists."""
    customer = services.customer_create(
        actor=users["xuhui_cs"],
        name="李娜",
        customer_type="dealer",
        store=users["xuhui_cs"].memberships.get().org_unit,
        phone="13812340000",
        email="lina@example.com",
        address="上海市徐汇区漕溪北路88号",
        id_number="310104199001011234",
        notes="喜欢周末联系",
    )
    services.contact_add(actor=users["xuhui_cs"], customer=customer, name="李娜的助理", phone="13911110000")
    QualificationFactory(customer=customer, number="沪械经营许20260099号")
    item = PropertyFactory(customer=customer)
    services.property_report_incident(
        actor=users["xuhui_engineer"], property_id=item.pk, kind=IncidentKind.DAMAGED, description="划伤"
    )
    services.consent_give(
        actor=users["xuhui_cs"], customer=customer, purpose=ConsentPurpose.MARKETING, channel=ConsentChannel.SMS
    )
    customer.refresh_from_db()
    return customer


def test_export_json_holds_every_section_and_is_logged(api_for, users, held):
    response = api_for("xuhui_manager").get(f"/api/v1/customers/{held.pk}/export/")
    assert response.status_code == 200
    data = response.json()
    assert data["customer"]["phone"] == "13812340000" and data["customer"]["name"] == "李娜"
    assert data["contacts"][0]["phone"] == "13911110000"
    assert data["qualifications"][0]["number"] == "沪械经营许20260099号"
    assert len(data["property"]) == 1 and data["incidents"][0]["kind"] == "damaged"
    assert data["consents"][0]["purpose"] == "marketing" and data["events"]
    access = PersonalDataAccess.objects.get(field="export")
    assert access.user == users["xuhui_manager"] and access.target_id == str(held.pk)
    assert Event.objects.filter(event_type="customers.data_exported", target_id=str(held.pk)).count() == 1


def test_export_xlsx_has_one_sheet_per_section(api_for, held):
    response = api_for("xuhui_manager").get(f"/api/v1/customers/{held.pk}/export-xlsx/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames[:7] == ["客户", "联系人", "购货资格", "顾客财产", "财产事件", "同意记录", "业务事件"]
    assert {"售后服务单", "投诉", "退换货单", "回访", "问卷答复", "客户意见"} <= set(workbook.sheetnames[7:])
    customer_sheet = [[c.value for c in row] for row in workbook["客户"].iter_rows()]
    assert "13812340000" in customer_sheet[1]


@pytest.mark.parametrize("username", ["xuhui_cs", "qa_inspector", "xuhui_engineer"])
def test_export_refused_without_permission(api_for, held, username):
    response = api_for(username).get(f"/api/v1/customers/{held.pk}/export/")
    assert response.status_code == 403 and response.json()["code"] == "privacy.export_forbidden"
    assert api_for(username).get(f"/api/v1/customers/{held.pk}/export-xlsx/").status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_export_out_of_scope_is_404(api_for, held):
    assert api_for("tianhe_cs").get(f"/api/v1/customers/{held.pk}/export/").status_code == 404


def test_anonymise_clears_identity_keeps_records_and_refuses_twice(api_for, users, held):
    """PIPL: identity replaced irreversibly; qualifications, property, incidents and consents kept (TRC-4)."""
    client = api_for("hq_service_manager")
    response = client.post(f"/api/v1/customers/{held.pk}/anonymise/", {"reason": "客户书面申请删除"}, format="json")
    assert response.status_code == 200, response.content
    customer = Customer.objects.get(pk=held.pk)
    assert customer.name == f"已匿名客户 {customer.code}" and customer.is_anonymised and customer.anonymised_at
    assert (customer.phone, customer.email, customer.address, customer.id_number, customer.notes) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert customer.pinyin_full == "" and customer.pinyin_initials == ""
    contact = Contact.objects.get(customer=customer)
    assert contact.phone == "" and "李娜" not in contact.name
    assert Qualification.objects.get(customer=customer).number == "沪械经营许20260099号"
    assert CustomerProperty.objects.filter(customer=customer).count() == 1
    assert PropertyIncident.objects.count() == 1 and Consent.objects.filter(customer=customer).count() == 1
    # the field history no longer holds the old identity
    history = " ".join(str(e.changes) + e.object_repr for e in LogEntry.objects.filter(object_pk=str(held.pk)))
    assert "李娜" not in history and "13812340000" not in history
    assert Event.objects.filter(event_type="customers.anonymised", target_id=str(held.pk)).count() == 1
    again = client.post(f"/api/v1/customers/{held.pk}/anonymise/", {"reason": "再次"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "customer.already_anonymised"
    # no longer findable by its old name or phone
    assert api_for("xuhui_cs").get("/api/v1/customers/", {"q": "13812340000"}).json()["results"] == []


@pytest.mark.parametrize("username", ["xuhui_cs", "xuhui_manager", "qa_inspector"])
def test_anonymise_refused_without_permission(api_for, held, username):
    response = api_for(username).post(f"/api/v1/customers/{held.pk}/anonymise/", {"reason": "x"}, format="json")
    assert response.status_code == 403
    assert not Customer.objects.get(pk=held.pk).is_anonymised


def test_anonymise_needs_a_reason(users, held):
    from salesservice.core.exceptions import DomainError

    with pytest.raises(DomainError):
        services.customer_anonymise(actor=users["admin"], customer_id=held.pk, reason=" ")


def test_anonymised_customer_cannot_be_edited(api_for, held, users):
    services.customer_anonymise(actor=users["admin"], customer_id=held.pk, reason="申请")
    response = api_for("xuhui_cs").patch(
        f"/api/v1/customers/{held.pk}/", {"version": held.version + 1, "phone": "13800000000"}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "customer.anonymised"


def test_plain_factory_customer_exports(users, demo):
    data = services.customer_export_data(actor=users["admin"], customer=CustomerFactory())
    assert data["contacts"] == [] and data["customer"]["customer_type_label"] == "个人"
