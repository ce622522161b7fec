"""KPI-1…KPI-5 pages: KPI list, cycles with progress, the appraisal with its KPI table and the workflow forms, 我的考核,
the printable 考核表 (PDF), the workbench panels; another unit's appraisal → 404."""

import datetime as dt

from salesservice.appraisals import services
from salesservice.appraisals.choices import AppraisalStatus, CycleKind
from salesservice.appraisals.models import Appraisal
from salesservice.core.models import User


def _appraisal(username="xuhui_cs"):
    cycle = services.cycle_open(kind=CycleKind.MONTHLY, today=dt.date(2026, 11, 1))
    return Appraisal.objects.get(cycle=cycle, appraisee=User.objects.get(username=username))


def test_lists_and_detail_pages_render(web_for, kpis):
    """KPI-1 / KPI-3: the HR pages."""
    appraisal = _appraisal()
    client = web_for("hr_trainer")
    assert "首次联系及时率" in client.get("/appraisals/kpis/").content.decode()
    cycles = client.get("/appraisals/cycles/")
    assert cycles.status_code == 200 and "2026-10" in cycles.content.decode()
    assert client.get(f"/appraisals/cycles/{appraisal.cycle_id}/").status_code == 200
    assert client.get("/appraisals/cycles/open/").status_code == 200


def test_the_appraisee_self_evaluates_on_the_page_and_prints(web_for, kpis):
    """KPI-4: 我的考核 lists it; the page posts the self-evaluation; the PDF opens."""
    appraisal = _appraisal()
    client = web_for("xuhui_cs")
    assert str(appraisal.pk) in client.get("/appraisals/").content.decode()
    page = client.get(f"/appraisals/{appraisal.pk}/").content.decode()
    assert "kpi-table" in page and "提交自评" in page
    response = client.post(
        f"/appraisals/{appraisal.pk}/self-evaluate/",
        {"self_score": "85", "self_comment": "好", "version": appraisal.version},
    )
    assert response.status_code in (200, 302)
    appraisal.refresh_from_db()
    assert appraisal.status == AppraisalStatus.PENDING_SUPERVISOR
    pdf = client.get(f"/appraisals/{appraisal.pk}/print/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_another_units_appraisal_page_is_404(web_for, kpis):
    """INF-1: the Xuhui manager does not reach Tianhe's appraisal."""
    appraisal = _appraisal("tianhe_cs")
    assert web_for("xuhui_manager").get(f"/appraisals/{appraisal.pk}/").status_code == 404
    assert web_for("xuhui_cs").get(f"/appraisals/{appraisal.pk}/").status_code == 404


def test_workbench_panels(web_for, kpis):
    """KPI-3 / KPI-4: my pending self-evaluation; waiting for my evaluation; HR cycle progress."""
    appraisal = _appraisal()
    assert "我的待自评考核" in web_for("xuhui_cs").get("/").content.decode()
    services.appraisal_self_evaluate(actor=appraisal.appraisee, appraisal_id=appraisal.pk, self_score=80)
    assert "待我评价/定稿的考核" in web_for("xuhui_manager").get("/").content.decode()
    assert "考核周期进度" in web_for("hr_trainer").get("/").content.decode()


def test_the_page_offers_each_person_only_their_own_steps(web_for, kpis):
    """KPI-4: the manager sees no self-evaluation form on the rep's appraisal; the rep no evaluation form."""
    appraisal = _appraisal()
    assert "self-evaluate-form" not in web_for("xuhui_manager").get(f"/appraisals/{appraisal.pk}/").content.decode()
    services.appraisal_self_evaluate(actor=appraisal.appraisee, appraisal_id=appraisal.pk, self_score=80)
    assert "evaluate-form" in web_for("xuhui_manager").get(f"/appraisals/{appraisal.pk}/").content.decode()
    assert "evaluate-form" not in web_for("xuhui_cs").get(f"/appraisals/{appraisal.pk}/").content.decode()
