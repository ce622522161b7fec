"""Supervision API (SUV-1, SUV-2, SUV-3, COM-1): the loop through `/api/v1/`, refusals with their codes, scope."""

import datetime as dt

from django.utils import timezone

from ..choices import FindingStatus
from .factories import completed_check_with_failure, store_manager_of, unit, user


def test_check_to_closed_finding_through_the_api(api_for):
    """SUV-1 / SUV-2: plan, start and complete a mystery-shopping check with a failed item; the owner rectifies;
    closing before verification is 409; the auditor verifies and closes."""
    auditor = api_for("auditor")
    created = auditor.post(
        "/api/v1/supervision-checks/",
        {
            "org_unit": unit("sh-xuhui").pk,
            "method": "mystery_shopping",
            "title": "神秘顾客暗访",
            "planned_on": str(timezone.localdate()),
            "items": ["接待及时", "保修政策讲解准确"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    check = created.json()
    assert check["number"].startswith("JC") and check["status"] == "planned"
    started = auditor.post(
        f"/api/v1/supervision-checks/{check['id']}/start/", {"version": check["version"]}, format="json"
    )
    assert started.status_code == 200, started.content
    first, second = started.json()["items"]
    done = auditor.post(
        f"/api/v1/supervision-checks/{check['id']}/complete/",
        {
            "version": started.json()["version"],
            "results": [
                {"item": first["id"], "result": "pass"},
                {"item": second["id"], "result": "fail", "note": "未说明保修期起算日"},
            ],
            "summary": "讲解不准确",
            "improvements": "培训",
        },
        format="json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "completed"

    mine = api_for("xuhui_manager").get("/api/v1/findings/?mine=true").json()["results"]
    assert len(mine) == 1 and mine[0]["status"] == FindingStatus.OPEN
    finding = mine[0]
    refused = auditor.post(f"/api/v1/findings/{finding['id']}/close/", {"version": finding["version"]}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "status.invalid_transition"

    rectified = api_for("xuhui_manager").post(
        f"/api/v1/findings/{finding['id']}/rectify/",
        {"version": finding["version"], "rectification": "已组织培训"},
        format="json",
    )
    assert rectified.status_code == 200, rectified.content
    refused = auditor.post(
        f"/api/v1/findings/{finding['id']}/close/", {"version": rectified.json()["version"]}, format="json"
    )
    assert refused.status_code == 409 and refused.json()["code"] == "status.invalid_transition"
    verified = auditor.post(
        f"/api/v1/findings/{finding['id']}/verify/",
        {"version": rectified.json()["version"], "passed": True, "note": "复查合格"},
        format="json",
    )
    assert verified.status_code == 200, verified.content
    closed = auditor.post(
        f"/api/v1/findings/{finding['id']}/close/", {"version": verified.json()["version"]}, format="json"
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_owner_verifying_own_rectification_is_refused(api_for):
    """SUV-2: the owner cannot verify their own rectification (403 `supervision.self_verification`)."""
    _check, finding = completed_check_with_failure(owner=user("east_manager"))
    client = api_for("east_manager")
    rectified = client.post(
        f"/api/v1/findings/{finding.pk}/rectify/",
        {"version": finding.version, "rectification": "已整改"},
        format="json",
    )
    assert rectified.status_code == 200
    refused = client.post(
        f"/api/v1/findings/{finding.pk}/verify/",
        {"version": rectified.json()["version"], "passed": True},
        format="json",
    )
    assert refused.status_code == 403 and refused.json()["code"] == "supervision.self_verification"


def test_store_manager_of_another_store_gets_404_for_a_finding(api_for):
    """SUV-2 scoping: out of scope is 404."""
    _check, finding = completed_check_with_failure()
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(store_manager_of("gz-tianhe"))
    assert client.get(f"/api/v1/findings/{finding.pk}/").status_code == 404
    assert (
        client.post(f"/api/v1/findings/{finding.pk}/rectify/", {"rectification": "x"}, format="json").status_code == 404
    )
    assert api_for("xuhui_manager").get(f"/api/v1/findings/{finding.pk}/").status_code == 200


def test_store_manager_may_only_plan_spot_checks(api_for):
    """SUV-3: the store manager plans spot checks of its store, nothing else."""
    client = api_for("xuhui_manager")
    body = {
        "org_unit": unit("sh-xuhui").pk,
        "title": "店长抽查",
        "planned_on": str(timezone.localdate()),
        "items": ["回访记录完整"],
    }
    refused = client.post("/api/v1/supervision-checks/", {**body, "method": "mystery_shopping"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "supervision.method_not_allowed"
    assert (
        client.post("/api/v1/supervision-checks/", {**body, "method": "spot_check"}, format="json").status_code == 201
    )


def test_coordination_issue_through_the_api(api_for):
    """COM-1: an issue with a responsible department and person, resolved and closed."""
    client = api_for("auditor")
    created = client.post(
        "/api/v1/coordination-issues/",
        {
            "title": "备件出库时效",
            "description": "维修备件出库慢",
            "responsible_department": unit("dept-service").pk,
            "responsible_person": user("hq_service_manager").pk,
            "departments": [unit("dept-warehouse").pk],
            "deadline": str(timezone.localdate() + dt.timedelta(days=7)),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    issue = created.json()
    assert sorted(issue["departments"]) == sorted([unit("dept-service").pk, unit("dept-warehouse").pk])
    refused = client.post(f"/api/v1/coordination-issues/{issue['id']}/resolve/", {"resolution": ""}, format="json")
    assert refused.status_code == 400
    resolved = api_for("hq_service_manager").post(
        f"/api/v1/coordination-issues/{issue['id']}/resolve/", {"resolution": "改为每日两次出库"}, format="json"
    )
    assert resolved.status_code == 200, resolved.content
    closed = client.post(f"/api/v1/coordination-issues/{issue['id']}/close/", {}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
