"""NET-5: a region manager evaluates the providers of the region — computed figures from the records, scores on
the evaluation items, a conclusion and proposals (new point, removal) — draft → submitted → approved by the HQ
network manager (never the author); an approved removal moves the provider to 撤点 through the ladder with its
notice (NET-3). API /api/v1/provider-evaluations/ (submit, approve, reject), the case file, the workbench."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.exceptions import DomainError, NotFoundError, PermissionDeniedError

from .. import evaluations, training
from ..choices import EvaluationStatus, ProviderStatus
from ..models import ProviderSanction
from .factories import ProviderFactory, TechnicianFactory, ViolationFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/provider-evaluations/"
SCORES = {"punctuality": 60, "attitude": 70, "workmanship": 65}


def _draft(users, provider, actor="east_manager", **extra):
    today = timezone.localdate()
    kwargs = dict(
        provider_id=provider.pk,
        period_start=today.replace(day=1),
        period_end=today,
        scores=SCORES,
        conclusion="rectify",
        comment="上门不及时",
    )
    kwargs.update(extra)
    return evaluations.evaluation_create(actor=users[actor], **kwargs)


@pytest.fixture
def provider(demo):
    return ProviderFactory(org_unit=demo["sh-xuhui"])


def test_draft_takes_the_figures_from_the_records(users, provider):
    """NET-5: cases by item and the last archived pass rate are computed, not typed in."""
    ViolationFactory(provider=provider, item="punctuality")
    ViolationFactory(provider=provider, item="punctuality")
    evaluation = _draft(users, provider)
    assert evaluation.status == EvaluationStatus.DRAFT and evaluation.number.startswith("PE")
    assert evaluation.computed["violations"] == 2 and evaluation.computed["by_item"] == {"punctuality": 2}
    assert evaluation.created_by == users["east_manager"]


def test_workflow_submit_then_approve_removal_moves_the_provider_with_its_notice(users, provider):
    """NET-5 + NET-3: submitted, approved by the HQ network manager; the removal proposal removes the provider
    through the ladder and issues the removal notice."""
    evaluation = _draft(users, provider, conclusion="remove")
    assert evaluation.propose_removal
    evaluation = evaluations.evaluation_submit(
        actor=users["east_manager"], evaluation_id=evaluation.pk, expected_version=evaluation.version
    )
    assert evaluation.status == EvaluationStatus.SUBMITTED
    evaluation = evaluations.evaluation_approve(
        actor=users["hq_service_manager"], evaluation_id=evaluation.pk, note="同意"
    )
    assert evaluation.status == EvaluationStatus.APPROVED
    provider.refresh_from_db()
    assert provider.status == ProviderStatus.REMOVED
    assert ProviderSanction.objects.filter(provider=provider, rung=ProviderStatus.REMOVED).exists()


def test_refusals(users, provider, demo):
    """NET-5: approving one's own evaluation → 403; a region manager of another region → 404; stale version → 409;
    approving a draft → 409; reject without reason → 400; bad dates and new point without area → 400."""
    own = _draft(users, provider, actor="hq_service_manager")
    evaluations.evaluation_submit(actor=users["hq_service_manager"], evaluation_id=own.pk)
    with pytest.raises(PermissionDeniedError) as err:
        evaluations.evaluation_approve(actor=users["hq_service_manager"], evaluation_id=own.pk)
    assert err.value.code == "provider_evaluation.self_approval"
    south = ProviderFactory(org_unit=demo["south"])
    with pytest.raises(NotFoundError) as err:
        _draft(users, south)
    assert err.value.code == "provider.not_found"
    draft = _draft(users, provider)
    with pytest.raises(DomainError) as err:
        evaluations.evaluation_submit(
            actor=users["east_manager"], evaluation_id=draft.pk, expected_version=draft.version - 1 or 99
        )
    assert err.value.code == "conflict.stale"
    with pytest.raises(DomainError) as err:
        evaluations.evaluation_approve(actor=users["hq_service_manager"], evaluation_id=draft.pk)
    assert err.value.code == "status.invalid_transition"
    evaluations.evaluation_submit(actor=users["east_manager"], evaluation_id=draft.pk)
    with pytest.raises(DomainError) as err:
        evaluations.evaluation_reject(actor=users["hq_service_manager"], evaluation_id=draft.pk, note=" ")
    assert err.value.code == "provider_evaluation.reason_required"
    with pytest.raises(PermissionDeniedError):
        evaluations.evaluation_approve(actor=users["east_manager"], evaluation_id=draft.pk)
    today = timezone.localdate()
    for extra in (
        dict(period_start=today, period_end=today - dt.timedelta(days=1)),
        dict(period_end=today + dt.timedelta(days=1)),
        dict(period_start=today - dt.timedelta(days=800)),
        dict(scores={"punctuality": 101}),
        dict(scores={"nonsense": 50}),
        dict(scores={}),
        dict(conclusion="maybe"),
    ):
        with pytest.raises(DomainError) as err:
            _draft(users, provider, **extra)
        assert err.value.code == "provider_evaluation.invalid", extra
    with pytest.raises(DomainError) as err:
        _draft(users, provider, propose_new_point=True, new_point_area="")
    assert err.value.code == "provider_evaluation.proposal_invalid"


def test_api_workflow_scope_and_bad_input(users, api_for, provider, demo):
    """NET-5 API: create (201), other region's provider (404), bad dates / huge strings (400), submit, stale
    version (409), approve own (403), approve (200), reject needs a reason."""
    east = api_for("east_manager")
    today = timezone.localdate()
    body = {
        "provider": provider.pk,
        "period_start": str(today.replace(day=1)),
        "period_end": str(today),
        "scores": SCORES,
        "conclusion": "keep",
        "propose_new_point": True,
        "new_point_area": "闵行区",
        "new_point_reason": "闵行区上门距离远",
    }
    created = east.post(URL, body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "draft" and data["new_point_area"] == "闵行区"
    south = ProviderFactory(org_unit=demo["south"])
    assert east.post(URL, {**body, "provider": south.pk}, format="json").status_code == 404
    assert east.post(URL, {**body, "provider": 2**31 - 1}, format="json").status_code == 404
    assert east.post(URL, {**body, "period_end": "2026-13-45"}, format="json").status_code == 400
    assert east.post(URL, {**body, "comment": "长" * 5000}, format="json").status_code == 400
    assert east.post(URL, {**body, "new_point_area": "x" * 100000}, format="json").status_code == 400
    assert east.post(URL, {**body, "scores": {"punctuality": "abc"}}, format="json").status_code == 400
    stale = east.post(f"{URL}{data['id']}/submit/", {"version": data["version"] + 5}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"
    submitted = east.post(f"{URL}{data['id']}/submit/", {"version": data["version"]}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert api_for("tianhe_cs").get(f"{URL}{data['id']}/").status_code in (403, 404)
    assert east.post(f"{URL}{data['id']}/approve/", {}, format="json").status_code == 403
    hq = api_for("hq_service_manager")
    rejected = hq.post(f"{URL}{data['id']}/reject/", {}, format="json")
    assert rejected.status_code == 400 and rejected.json()["code"] == "provider_evaluation.reason_required"
    approved = hq.post(f"{URL}{data['id']}/approve/", {"note": "同意新建"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = hq.post(f"{URL}{data['id']}/approve/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "status.invalid_transition"
    [row] = east.get(URL).json()["results"]
    assert row["id"] == data["id"]


def test_case_file_gathers_the_record_in_time_order(users, api_for, web_for, provider):
    """NET-2…NET-5: violations, the sanction, training per quarter with the pass rate, the stop, the evaluation,
    the status change — page, PDF and API; out of scope → 404."""
    from .. import services

    today = timezone.localdate()
    services.violation_record(
        actor=users["hq_service_manager"], provider_id=provider.pk, occurred_on=today, description="上门迟到"
    )
    technician = TechnicianFactory(provider=provider, name="王师傅")
    q = training.quarter_of(today)
    training.training_record(
        actor=users["hq_service_manager"],
        technician_id=technician.pk,
        quarter=q,
        trained_on=today,
        topic="安装规范",
        score=55,
        passed=False,
    )
    _draft(users, provider)
    response = api_for("east_manager").get(f"/api/v1/service-providers/{provider.pk}/case-file/")
    assert response.status_code == 200
    kinds = [e["kind"] for e in response.json()]
    assert {"violation", "sanction", "status", "training", "evaluation"} <= set(kinds)
    ats = [dt.datetime.fromisoformat(e["at"]) for e in response.json()]
    assert ats == sorted(ats)
    assert {a.utcoffset() for a in ats} == {dt.timedelta(hours=8)}  # shown in the company's time zone
    training_entry = next(e for e in response.json() if e["kind"] == "training")
    assert "0/1" in training_entry["title"] and "王师傅" in training_entry["detail"]
    assert api_for("tianhe_cs").get(f"/api/v1/service-providers/{provider.pk}/case-file/").status_code == 404
    page = web_for("east_manager").get(f"/network/providers/{provider.pk}/case-file/")
    assert page.status_code == 200 and "王师傅" in page.content.decode() and "0.0%" in page.content.decode()
    pdf = web_for("east_manager").get(f"/network/providers/{provider.pk}/case-file/print/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert web_for("tianhe_cs").get(f"/network/providers/{provider.pk}/case-file/").status_code == 404


def test_technician_api_masks_phone_and_records_training(users, api_for, provider, demo):
    """NET-4 API: the dispatcher registers a technician and records the quarter; readers without the role see a
    masked phone; other providers' technicians → 404; bad quarter → 400; duplicate → 409."""
    provider.dispatchers.add(users["provider_dispatcher"])
    dispatcher = api_for("provider_dispatcher")
    created = dispatcher.post(
        "/api/v1/provider-technicians/",
        {"provider": provider.pk, "name": "李师傅", "phone": "13712345678"},
        format="json",
    )
    assert created.status_code == 201, created.content
    tech = created.json()
    assert tech["phone"] == "13712345678" and tech["can_assign"] is True
    masked = api_for("xuhui_cs").get(f"/api/v1/provider-technicians/{tech['id']}/").json()
    assert masked["phone"] != "13712345678" and "*" in masked["phone"]
    today = timezone.localdate()
    url = f"/api/v1/provider-technicians/{tech['id']}/trainings/"
    body = {
        "quarter": training.quarter_of(today),
        "trained_on": str(today),
        "topic": "安全规范",
        "score": 85,
        "passed": True,
    }
    assert dispatcher.post(url, body, format="json").status_code == 201
    dup = dispatcher.post(url, body, format="json")
    assert dup.status_code == 409 and dup.json()["code"] == "training.duplicate"
    assert dispatcher.post(url, {**body, "quarter": "2026-Q9"}, format="json").status_code == 400
    assert dispatcher.post(url, {**body, "topic": "x" * 100000}, format="json").status_code == 400
    assert dispatcher.post(url, {**body, "trained_on": "not-a-date"}, format="json").status_code == 400
    assert api_for("xuhui_cs").post(url, body, format="json").status_code == 403
    south = TechnicianFactory(provider=ProviderFactory(org_unit=demo["south"]))
    assert dispatcher.get(f"/api/v1/provider-technicians/{south.pk}/").status_code == 404
    assert (
        dispatcher.post(
            "/api/v1/provider-technicians/", {"provider": south.provider_id, "name": "x"}, format="json"
        ).status_code
        == 404
    )
    assert len(dispatcher.get(url).json()) == 1


def test_training_page_on_a_phone_form_and_the_workbench(users, web_for, provider):
    """NET-4 page: the dispatcher records a quarter for several technicians at once; the third failed quarter
    stops one (message); the region manager's workbench shows the stopped technician and the standings."""
    provider.dispatchers.add(users["provider_dispatcher"])
    technician = TechnicianFactory(provider=provider, name="赵师傅")
    today = timezone.localdate()
    current = training.quarter_of(today)
    q2 = training.previous_quarter(current)
    q1 = training.previous_quarter(q2)
    for quarter in (q1, q2):
        start, _end = training.quarter_bounds(quarter)
        training.training_record(
            actor=users["hq_service_manager"],
            technician_id=technician.pk,
            quarter=quarter,
            trained_on=start,
            topic="规范",
            score=40,
            passed=False,
        )
    web = web_for("provider_dispatcher")
    url = f"/network/providers/{provider.pk}/training/"
    assert web.get(url).status_code == 200
    bad = web.post(url, {"form": "training", "quarter": current, "trained_on": str(today), "topic": "规范"})
    assert bad.status_code == 400  # nobody scored
    response = web.post(
        url,
        {
            "form": "training",
            "quarter": current,
            "trained_on": str(today),
            "topic": "规范",
            f"score_{technician.pk}": "50",
        },
        follow=True,
    )
    assert response.status_code == 200 and "已停止工作" in response.content.decode()
    technician.refresh_from_db()
    assert technician.status == "stopped"
    workbench = web_for("east_manager").get("/").content.decode()
    assert "panel-network-technicians-stopped" in workbench and "赵师傅" in workbench
    assert "panel-network-provider-standings" in workbench
    assert web_for("xuhui_cs").get(url).status_code == 403


def test_evaluation_pages_create_submit_approve(users, web_for, provider):
    """NET-5 pages: the region manager drafts from the case file and submits; the HQ network manager approves
    with the page form; another region's store rep gets nothing; lists and exports render."""
    from ..models import ProviderEvaluation

    east = web_for("east_manager")
    today = timezone.localdate()
    form = {
        "period_start": str(today.replace(day=1)),
        "period_end": str(today),
        "conclusion": "keep",
        "comment": "服务稳定",
        **{
            f"score_{item}": "85"
            for item in ("punctuality", "attitude", "workmanship", "cleanliness", "charging", "conduct", "other")
        },
    }
    assert east.get(f"/network/providers/{provider.pk}/evaluate/").status_code == 200
    bad = east.post(f"/network/providers/{provider.pk}/evaluate/", {**form, "period_end": "2026-02-31"})
    assert bad.status_code == 400
    response = east.post(f"/network/providers/{provider.pk}/evaluate/", form)
    assert response.status_code == 302
    evaluation = ProviderEvaluation.objects.get(provider=provider)
    assert (
        east.post(f"/network/evaluations/{evaluation.pk}/submit/", {"version": evaluation.version}).status_code == 302
    )
    hq = web_for("hq_service_manager")
    detail = hq.get(f"/network/evaluations/{evaluation.pk}/").content.decode()
    assert "批准" in detail and "退回" in detail
    assert (
        hq.post(
            f"/network/evaluations/{evaluation.pk}/approve/", {"note": "同意", "version": evaluation.version + 1}
        ).status_code
        == 302
    )
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.APPROVED
    for url in (
        "/network/evaluations/",
        "/network/technicians/",
        "/network/evaluations/?export=xlsx",
        "/network/technicians/?status=stopped",
    ):
        assert hq.get(url).status_code == 200, url
    assert web_for("tianhe_cs").get(f"/network/evaluations/{evaluation.pk}/").status_code in (403, 404)
