"""The demo loader archives last week's and last month's reports for the company, 华东区 and 上海徐汇店 (the
management report has no store edition); a rerun adds nothing."""

import pytest

from ..demo import load_demo
from ..models import ReportRun

pytestmark = pytest.mark.django_db


def test_demo_reports_for_company_region_and_store(demo):
    load_demo()
    runs = set(ReportRun.objects.values_list("kind", "org_unit__code", "outcome"))
    assert runs == {
        ("weekly_service", None, "done"),
        ("weekly_service", "east", "done"),
        ("weekly_service", "sh-xuhui", "done"),
        ("monthly_kpi", None, "done"),
        ("monthly_kpi", "east", "done"),
        ("monthly_kpi", "sh-xuhui", "done"),
        ("monthly_management", None, "done"),
        ("monthly_management", "east", "done"),
    }
    load_demo()
    assert ReportRun.objects.count() == 8
