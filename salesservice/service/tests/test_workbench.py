"""工作台 queues of the service desk: overdue, due soon, unassigned, escalated, mine — each in scope."""

import datetime as dt

from django.utils import timezone

from salesservice.service.sweep import sla_sweep
from salesservice.service.tests.factories import make_request


def panel(client, key):
    html = client.get("/").content.decode()
    start = html.find(f'id="panel-{key}"')
    return html[start : html.find("workbench-panel", start + 1)] if start >= 0 else None


def test_cs_rep_sees_overdue_and_unassigned_requests_of_the_store_only(demo, web_for):
    """SRV-2 / INF-1: a request received 3 h ago without contact is overdue for 徐汇 staff, not for 天河."""
    late = make_request(received_at=timezone.now() - dt.timedelta(hours=3))
    fresh = make_request(store_code="gz-tianhe", actor="tianhe_cs")
    xuhui = web_for("xuhui_cs")
    overdue = panel(xuhui, "overdue")
    assert late.number in overdue and "首次联系" in overdue
    assert late.number in panel(xuhui, "unassigned")
    assert fresh.number not in panel(xuhui, "unassigned")
    tianhe = web_for("tianhe_cs")
    assert late.number not in panel(tianhe, "overdue") and fresh.number in panel(tianhe, "unassigned")


def test_region_manager_sees_requests_escalated_to_the_region(demo, web_for):
    """SRV-2: after 24 h unresolved the sweep raises the request to the region's queue."""
    request = make_request(received_at=timezone.now() - dt.timedelta(hours=25))
    sla_sweep(now=timezone.now())
    request.refresh_from_db()
    assert request.escalation_level == 1
    assert request.number in panel(web_for("east_manager"), "escalated")
    assert panel(web_for("xuhui_cs"), "escalated") is None  # store staff have no escalated queue


def test_roles_without_the_service_desk_get_no_queues(demo, web_for):
    assert panel(web_for("warehouse_clerk"), "overdue") is None
    assert panel(web_for("qa_inspector"), "my-requests") is None


def test_a_long_queue_shows_a_capped_total_and_a_short_one_runs_no_count(demo, web_for, monkeypatch):
    """Issue 17 lists goal: a queue's badge counts at most TOTAL_CAP + 1 rows ("99+"), and a queue shorter than
    its first rows is counted from them, without a COUNT statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from salesservice.core import workbench

    monkeypatch.setattr(workbench, "PANEL_ROWS", 2)
    monkeypatch.setattr(workbench, "TOTAL_CAP", 3)
    received = timezone.now() - dt.timedelta(hours=3)
    late = [make_request(received_at=received) for _ in range(5)]
    overdue = panel(web_for("xuhui_cs"), "overdue")
    assert '<span class="badge ms-1">3+</span>' in overdue
    assert overdue.count("/service/requests/") >= 2 and late[0].number in overdue

    client = web_for("xuhui_cs")
    for rows in (6, 5):  # a queue shorter than its first rows, and one exactly as long
        monkeypatch.setattr(workbench, "PANEL_ROWS", rows)
        with CaptureQueriesContext(connection) as queries:
            overdue = panel(client, "overdue")
        assert '<span class="badge ms-1">5</span>' in overdue
        assert all(request.number in overdue for request in late)
        counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "first_contact_due_at" in q["sql"]]
        assert counts == []


def test_the_queues_open_statuses_are_every_status_but_the_final_ones():
    """The queues select `status IN OPEN_STATUSES` (an index range) rather than `NOT IN FINAL_STATUSES` (a scan of
    every closed request at 1 M): the two lists must cover every status, once — for requests and complaints."""
    from salesservice.complaints import choices as complaint_choices
    from salesservice.service import choices as service_choices

    for module, status in ((service_choices, service_choices.S), (complaint_choices, complaint_choices.C)):
        open_, final = set(module.OPEN_STATUSES), set(module.FINAL_STATUSES)
        assert not open_ & final
        assert open_ | final == set(status.values)
