"""The demo's recall (issue 14: "a recall of one lot reaching three customers", TRC-2) — idempotent."""

import pytest
from django.utils.module_loading import import_string

from ..demo import load_demo
from ..models import RecallCampaign
from ..selectors import reconciliation

pytestmark = pytest.mark.django_db


def test_demo_recalls_one_lot_reaching_three_customers(demo):
    for app in ("catalog", "customers", "inventory"):
        import_string(f"salesservice.{app}.demo.load_demo")()
    load_demo()
    load_demo()  # idempotent
    campaign = RecallCampaign.objects.get()
    assert campaign.status == "open" and campaign.tasks.count() == 3
    (row,) = reconciliation(campaign)
    assert row.held and row.shipped == row.recovered + row.outstanding and row.outstanding > 0
