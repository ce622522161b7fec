import pytest


@pytest.fixture(autouse=True)
def _policy(db):
    from salesservice.core.policy_defaults import seed_policy_defaults

    seed_policy_defaults()
