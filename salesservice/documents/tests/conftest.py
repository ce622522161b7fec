import pytest


@pytest.fixture(autouse=True)
def _demo_org(db, demo):
    """The demo org and users (with their role groups) for every document-control test."""
