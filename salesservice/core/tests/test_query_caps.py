"""Query caps for every document (issue 17): every declared action and every document create has a cap on
the SQL one call may run, and with `QUERY_BUDGETS` on (the test settings) a call over it fails — so each test
that drives an action through the page or the API proves that action's cap. Statements that fill the
process's configuration cache (`config_cache.cached`'s `load()`) do not count."""

import dataclasses

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesservice.core import config_cache
from salesservice.core import workflow as kernel
from salesservice.core.workflow import DEFAULT_CREATE_MAX_QUERIES, DEFAULT_MAX_QUERIES, REGISTRY, query_budget
from tests.workflow_app.models import Ticket
from tests.workflow_app.workflows import TICKET_WORKFLOW


@pytest.fixture(autouse=True)
def _enforcing(monkeypatch):
    """These tests check that caps fail calls: not in the measuring run's report mode."""
    monkeypatch.delenv("QUERY_BUDGET_REPORT", raising=False)


def test_the_tests_run_with_budgets_on():
    assert settings.QUERY_BUDGETS is True


def test_every_declared_action_and_create_has_a_cap():
    assert len(REGISTRY) >= 38
    for label, workflow in REGISTRY.items():
        assert workflow.create_max_queries is None or workflow.create_max_queries > DEFAULT_CREATE_MAX_QUERIES, label
        assert kernel.create_cap(workflow) >= DEFAULT_CREATE_MAX_QUERIES, label
        for action in workflow.actions.values():
            assert isinstance(action.query_cap, int) and action.query_cap > 0, (label, action.name)
            # A declared cap is an exception for an action that honestly needs more than the default.
            assert action.max_queries is None or action.max_queries > DEFAULT_MAX_QUERIES, (label, action.name)


@pytest.fixture
def ticket(demo):
    return Ticket.objects.create(title="打印机报修", org_unit=demo["sh-xuhui"])


def capped(monkeypatch, name, cap):
    """Give the test document's action `name` the cap `cap` for this test."""
    action = dataclasses.replace(TICKET_WORKFLOW.actions[name], max_queries=cap)
    monkeypatch.setitem(TICKET_WORKFLOW.actions, name, action)


@pytest.mark.django_db
def test_an_api_action_over_its_cap_fails_naming_workflow_action_count_cap_and_sql(ticket, api_for, monkeypatch):
    api = api_for("xuhui_cs")
    capped(monkeypatch, "start", 3)
    with pytest.raises(AssertionError) as failure:
        api.post(f"/api/v1/test-tickets/{ticket.pk}/start/", {}, format="json")
    message = str(failure.value)
    assert "workflow_app.Ticket" in message and "'start'" in message and "cap of 3" in message
    assert "issue 17" in message and "SELECT" in message and "UPDATE" in message
    assert " 1. " in message


@pytest.mark.django_db
def test_a_page_action_over_its_cap_fails(ticket, web_for, monkeypatch):
    client = web_for("xuhui_cs")
    capped(monkeypatch, "start", 2)
    with pytest.raises(AssertionError, match=r"workflow_app\.Ticket 'start' ran \d+ SQL statements, over its cap of 2"):
        client.post(f"/test-tickets/{ticket.pk}/start/", {"version": ticket.version})


@pytest.mark.django_db
def test_under_the_cap_passes_and_the_default_applies(ticket, api_for, monkeypatch):
    api = api_for("xuhui_cs")
    api.get("/api/v1/test-tickets/")  # warm the configuration cache
    with CaptureQueriesContext(connection) as warm:
        response = api.post(f"/api/v1/test-tickets/{ticket.pk}/start/", {}, format="json")
    assert response.status_code == 200
    assert len(warm) <= DEFAULT_MAX_QUERIES
    other = Ticket.objects.create(title="复印机", org_unit=ticket.org_unit)
    capped(monkeypatch, "start", len(warm))  # exactly what it needs: passes
    assert api.post(f"/api/v1/test-tickets/{other.pk}/start/", {}, format="json").status_code == 200


@pytest.mark.django_db
def test_configuration_cache_fills_do_not_count(ticket, api_for, monkeypatch):
    """The first request of a test fills the process's configuration cache (permissions, scope, policies):
    more SQL than a warm one, none of it the action's own."""
    api = api_for("xuhui_cs")
    warm_ticket = Ticket.objects.create(title="复印机", org_unit=ticket.org_unit)
    api.get("/api/v1/test-tickets/")
    with CaptureQueriesContext(connection) as warm:
        api.post(f"/api/v1/test-tickets/{warm_ticket.pk}/start/", {}, format="json")
    config_cache.clear()
    capped(monkeypatch, "start", len(warm))
    with CaptureQueriesContext(connection) as cold:
        response = api.post(f"/api/v1/test-tickets/{ticket.pk}/start/", {}, format="json")
    assert response.status_code == 200
    assert len(cold) > len(warm)  # really cold, and still within the warm count's cap


@pytest.mark.django_db
def test_the_budget_itself_counts_statements_but_not_cache_loads(demo):
    def load():
        for _ in range(3):
            Ticket.objects.exists()
        return "value"

    with config_cache.unit_of_work():  # as in a request: the stamp is read once, before the block
        config_cache.current_stamp()
        with query_budget("x.Doc", "probe", 1):
            assert config_cache.cached(("issue17", "probe"), load) == "value"
            Ticket.objects.exists()
    with pytest.raises(AssertionError, match=r"x\.Doc 'probe' ran 2 SQL statements, over its cap of 1"):
        with query_budget("x.Doc", "probe", 1):
            Ticket.objects.exists()
            Ticket.objects.count()


@pytest.mark.django_db
def test_an_inner_budget_adds_nothing_the_outer_one_counts_all(demo):
    with pytest.raises(AssertionError, match="'outer' ran 3"):
        with query_budget("x.Doc", "outer", 2):
            Ticket.objects.exists()
            with query_budget("x.Doc", "inner", 100):
                Ticket.objects.exists()
                Ticket.objects.exists()


@pytest.mark.django_db
def test_a_create_over_its_cap_fails(demo, api_for, monkeypatch):
    monkeypatch.setattr(kernel, "DEFAULT_CREATE_MAX_QUERIES", 3)
    body = {"code": "nj-1", "name": "南京一店", "kind": "store", "parent": demo["east"].pk}
    with pytest.raises(AssertionError, match=r"core\.OrgUnit 'create' ran \d+ SQL statements, over its cap of 3"):
        api_for("admin").post("/api/v1/org-units/", body, format="json")


@pytest.mark.django_db
def test_report_mode_records_and_fails_nothing(ticket, api_for, monkeypatch, tmp_path):
    report = tmp_path / "caps.tsv"
    monkeypatch.setenv("QUERY_BUDGET_REPORT", str(report))
    capped(monkeypatch, "start", 1)
    assert api_for("xuhui_cs").post(f"/api/v1/test-tickets/{ticket.pk}/start/", {}, format="json").status_code == 200
    vendor, label, name, count, cap, test = report.read_text().strip().split("\t")
    assert test.endswith("test_report_mode_records_and_fails_nothing")
    assert (vendor, label, name, cap) == (connection.vendor, "workflow_app.Ticket", "start", "1")
    assert int(count) > 1


@pytest.mark.django_db
def test_budgets_off_count_nothing(ticket, api_for, monkeypatch, settings):
    settings.QUERY_BUDGETS = False
    capped(monkeypatch, "start", 1)
    assert api_for("xuhui_cs").post(f"/api/v1/test-tickets/{ticket.pk}/start/", {}, format="json").status_code == 200
