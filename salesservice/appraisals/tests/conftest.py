import pytest


@pytest.fixture(autouse=True)
def _demo_org(db, demo):
    """The demo org and users (with their role groups) for every appraisals test."""


@pytest.fixture
def kpis(db):
    """The demo KPI definitions (cs_rep, engineer, sales_rep; each post's weights sum to 100)."""
    from salesservice.appraisals.demo import ensure_definitions
    from salesservice.appraisals.models import KpiDefinition

    ensure_definitions()
    return {(k.post, k.code): k for k in KpiDefinition.objects.all()}
