"""INF-1 / TRC-4: a data-subject erasure keeps the medical-device sale's records — GSP sales record, order,
acceptance record — restricted (values sealed, shown masked) and erases the rest (a prospect's inquiry)."""

from salesservice.core.models import User
from salesservice.core.models.audit import PersonalDataRestriction
from salesservice.core.personal_data import REDACTED, erase_subject, export_subject
from salesservice.sales.models import Inquiry, SalesRecord

from .factories import accept, shipped_delivery


def test_erasure_restricts_the_sale_and_erases_the_inquiry():
    delivery = shipped_delivery()
    accept(delivery)
    delivery.refresh_from_db()
    customer, order = delivery.customer, delivery.order
    inquiry = Inquiry.objects.create(
        org_unit=customer.store,
        number="ZX-T-0001",
        customer=customer,
        channel="phone",
        prospect_name="王主任",
        prospect_phone="13912345678",
        needs="王主任要一台除颤监护仪",
        created_by=User.objects.get(username="sales_rep"),
    )
    record = SalesRecord.objects.get(order=order)
    assert record.is_medical_device and record.phone

    exported = export_subject(customer)
    assert any("销售记录" in label for label in exported) and any("交付单" in label for label in exported)

    report = erase_subject(customer, User.objects.get(username="admin"))

    labels = {label for label, _count, _until in report.restricted}
    assert {"销售记录（GSP，医疗器械）", "销售订单（医疗器械销售记录）", "交付单（医疗器械验收记录）"} <= labels
    record.refresh_from_db()
    assert record.phone != "13912345678" and "*" in record.phone  # masked, the original sealed
    sealed = PersonalDataRestriction.objects.get(target_id=str(record.pk), label="销售记录（GSP，医疗器械）")
    assert sealed.sealed["phone"]["value"] == "13912345678" and sealed.retained_until == record.retain_until
    order.refresh_from_db()
    assert "*" in order.ship_to_phone
    delivery.refresh_from_db()
    assert delivery.signer_name != "王主任" and not delivery.signature  # the signature no longer shown
    inquiry.refresh_from_db()
    assert inquiry.prospect_name == REDACTED and inquiry.prospect_phone == "" and "王主任" not in inquiry.needs
