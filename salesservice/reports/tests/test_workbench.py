"""The workbench shows a manager the scheduled reports delivered to them and not yet opened."""

import pytest

from .. import tasks
from ..models import ReportRun
from .conftest import MONDAY

pytestmark = pytest.mark.django_db


def test_new_reports_panel_until_opened(demo, web_for):
    tasks.weekly_service(now=MONDAY)
    web = web_for("xuhui_manager")
    page = web.get("/").content.decode()
    run = ReportRun.objects.get(org_unit=demo["sh-xuhui"])
    assert 'id="panel-reports-new"' in page and f"/reports/scheduled/{run.pk}/" in page
    web.get(f"/reports/scheduled/{run.pk}/")
    assert 'id="panel-reports-new"' not in web.get("/").content.decode()
    assert 'id="panel-reports-new"' not in web_for("xuhui_cs").get("/").content.decode()
