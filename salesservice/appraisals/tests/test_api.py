"""KPI-1…KPI-5 over the API: /api/v1/kpis/ (HR creates and updates), /api/v1/appraisal-cycles/ (progress),
/api/v1/appraisals/ with the workflow actions; refusals with codes; another unit's appraisal → 404; list queries
do not grow with the rows."""

import datetime as dt

from salesservice.appraisals import services
from salesservice.appraisals.choices import CycleKind
from salesservice.appraisals.models import Appraisal
from salesservice.core.models import User


def _cycle(kpis):
    return services.cycle_open(kind=CycleKind.MONTHLY, today=dt.date(2026, 11, 1))


def _mine(cycle, username):
    return Appraisal.objects.get(cycle=cycle, appraisee=User.objects.get(username=username))


def test_hr_creates_and_updates_a_kpi_and_weights_are_guarded(api_for, kpis):
    """KPI-1: HR creates; over 100 % → 409 with the code; PATCH with the version."""
    hr = api_for("hr_trainer")
    body = {
        "post": "store_manager",
        "code": "csat",
        "name": "门店满意度",
        "metric": "csat",
        "weight": 60,
        "target": "4.5",
    }
    created = hr.post("/api/v1/kpis/", body, format="json")
    assert created.status_code == 201, created.content
    over = hr.post("/api/v1/kpis/", {**body, "code": "more", "weight": 50}, format="json")
    assert over.status_code == 409 and over.json()["code"] == "appraisals.weights_over_100"
    changed = hr.patch(
        f"/api/v1/kpis/{created.json()['id']}/", {"weight": 100, "version": created.json()["version"]}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["weight"] == 100
    assert api_for("xuhui_cs").post("/api/v1/kpis/", body, format="json").status_code == 403
    assert api_for("xuhui_cs").get("/api/v1/kpis/").status_code == 200


def test_full_workflow_over_the_api(api_for, kpis):
    """KPI-4 / KPI-5: self-evaluate (the appraisee), evaluate (the store manager), finalise (HR)."""
    cycle = _cycle(kpis)
    appraisal = _mine(cycle, "xuhui_cs")
    cs, manager, hr = api_for("xuhui_cs"), api_for("xuhui_manager"), api_for("hr_trainer")
    too_early = hr.post(f"/api/v1/appraisals/{appraisal.pk}/finalise/", {}, format="json")
    assert too_early.status_code == 409 and too_early.json()["code"] == "status.invalid_transition"
    not_mine = manager.post(f"/api/v1/appraisals/{appraisal.pk}/self-evaluate/", {"self_score": 99}, format="json")
    assert not_mine.status_code == 403 and not_mine.json()["code"] == "appraisals.not_appraisee"
    done = cs.post(
        f"/api/v1/appraisals/{appraisal.pk}/self-evaluate/",
        {"self_score": "88", "self_comment": "完成目标", "version": appraisal.version},
        format="json",
    )
    assert done.status_code == 200 and done.json()["status"] == "pending_supervisor"
    stale = manager.post(
        f"/api/v1/appraisals/{appraisal.pk}/evaluate/",
        {"supervisor_score": 80, "attitude_score": 80, "ability_score": 80, "version": appraisal.version},
        format="json",
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"
    evaluated = manager.post(
        f"/api/v1/appraisals/{appraisal.pk}/evaluate/",
        {
            "supervisor_score": 80,
            "attitude_score": 80,
            "ability_score": 80,
            "customer_score": 90,
            "customer_source": "survey",
        },
        format="json",
    )
    assert evaluated.status_code == 200, evaluated.content
    final = hr.post(f"/api/v1/appraisals/{appraisal.pk}/finalise/", {"promotion_proposed": False}, format="json")
    assert final.status_code == 200 and final.json()["status"] == "finalised" and final.json()["grade"] in "ABCD"
    cycles = hr.get("/api/v1/appraisal-cycles/").json()
    row = cycles["results"][0] if "results" in cycles else cycles[0]
    assert row["finalised"] == 1 and row["total"] == cycle.appraisals.count()


def test_another_units_appraisal_is_404_and_a_colleague_sees_only_their_own(api_for, kpis):
    """KPI-4 / INF-1: the Xuhui manager does not see Tianhe's appraisal; a CS rep lists only their own."""
    cycle = _cycle(kpis)
    tianhe = _mine(cycle, "tianhe_cs")
    manager = api_for("xuhui_manager")
    assert manager.get(f"/api/v1/appraisals/{tianhe.pk}/").status_code == 404
    response = manager.post(
        f"/api/v1/appraisals/{tianhe.pk}/evaluate/",
        {"supervisor_score": 1, "attitude_score": 1, "ability_score": 1},
        format="json",
    )
    assert response.status_code == 404
    listed = api_for("xuhui_cs").get("/api/v1/appraisals/").json()
    rows = listed["results"] if "results" in listed else listed
    assert {row["appraisee"] for row in rows} == {User.objects.get(username="xuhui_cs").pk}


def test_appraisal_list_queries_do_not_grow_with_rows(api_for, kpis, django_assert_max_num_queries):
    """KPI-4: the list prefetches its KPI lines (no N+1)."""
    _cycle(kpis)
    services.cycle_open(kind=CycleKind.MONTHLY, today=dt.date(2026, 10, 1))
    client = api_for("gm")
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/appraisals/")
    assert response.status_code == 200
