"""Issue 12 §7 (INF-1) — the audit log masks a value the same way the pages do.

Before: pages showed `138****0000` and the audit log auditlog's default `*****340000`; an auditor without
reveal permission combined the two into the whole number. And a work record's `place` — the customer's
address under another name — stood unmasked in the log.
"""

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog

from salesservice.core.privacy import mask, mask_any

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("phone", "13812340000"),
        ("phone", "021-64001234"),
        ("email", "zhang.san@example.com"),
        ("id_number", "31010419800101123X"),
        ("address", "上海市徐汇区漕溪北路 88 号 12 楼"),
    ],
)
def test_the_log_shows_exactly_what_the_page_shows(kind, value):
    assert mask_any(value) == mask(kind, value)


def test_every_personal_data_field_is_masked_in_the_log():
    unmasked = []
    for model, conf in auditlog._registry.items():
        masked = set(conf.get("mask_fields") or ())
        for field in getattr(model, "personal_data_fields", ()):
            if field not in masked and field not in set(conf.get("exclude_fields") or ()):
                unmasked.append(f"{model._meta.label}.{field}")
    assert not unmasked, unmasked


def test_a_phone_change_leaves_no_more_in_the_log_than_on_the_page(demo):
    from salesservice.customers.tests.factories import CustomerFactory

    customer = CustomerFactory(phone="13812340000")
    customer.phone = "13987650000"
    customer.save()
    entry = LogEntry.objects.get_for_object(customer).order_by("-pk").first()
    before, after = entry.changes_dict["phone"]
    assert (before, after) == ("138****0000", "139****0000")


def test_the_work_record_place_is_personal_data():
    from salesservice.service.models import WorkRecord

    assert "place" in WorkRecord.personal_data_fields
    assert "place" in auditlog._registry[WorkRecord]["mask_fields"]


def test_an_empty_value_is_not_masked_into_a_fragment():
    """Issue 12 §20: auditlog masked the text "None" of an empty field into "**ne" on the page."""
    from salesservice.core.history import EMPTY

    assert mask_any("None") in EMPTY and mask_any("") in EMPTY
