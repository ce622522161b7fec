"""Compliance evidence of sales (issue 16 §4): TRC-1 — every medical-device sales record carries every field 004
§4.4.1 lists."""

from django.db.models import Q
from django.urls import reverse

from salesservice.core.evidence import Evidence, Period, evidence, rate

from .models import SalesRecord

# the record's fields that must not be empty for a medical device (TRC-1; `sales.records` builds them)
REQUIRED_TEXT = (
    "product_name",
    "specification",
    "registration_no",
    "manufacturer",
    "manufacturer_licence_no",
    "buyer_name",
    "buyer_licence_no",
    "contact",
    "phone",
    "address",
)


@evidence("TRC-1")
def device_records_complete(period: Period) -> Evidence:
    """医疗器械销售记录字段完整"""
    records = SalesRecord.objects.in_unit(period.unit).filter(is_medical_device=True, **period.dates("sale_date"))
    incomplete = Q(lot_number="", serial_number="")
    for field in REQUIRED_TEXT:
        incomplete |= Q(**{field: ""})
    missing = records.filter(incomplete)
    rows = missing.order_by("sale_date", "id").values("order_id", "order__number", "product_name")[:20]
    return rate(
        "医疗器械销售记录字段完整",
        good=records.count() - missing.count(),
        total=records.count(),
        noun="条",
        good_label="字段完整",
        shortfalls=[
            (f"{row['order__number']} {row['product_name']}", reverse("sales:order-detail", args=[row["order_id"]]))
            for row in rows
        ],
        records_url=reverse("sales:records") + f"?medical=true&sold_after={period.start}&sold_before={period.end}",
    )
