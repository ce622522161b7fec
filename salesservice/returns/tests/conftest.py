import pytest


@pytest.fixture(autouse=True)
def _policy(db):
    """Policy defaults (the `returns.*` windows) are seeded after migrate; make sure they are there."""
    from salesservice.core.policy_defaults import seed_policy_defaults

    seed_policy_defaults()
