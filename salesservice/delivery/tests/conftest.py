import pytest


@pytest.fixture(autouse=True)
def _policy(db, demo, settings, tmp_path):
    """Policy defaults seeded, the demo org and users, signatures stored in a temporary media root."""
    from salesservice.core.policy_defaults import seed_policy_defaults

    settings.MEDIA_ROOT = tmp_path / "media"
    seed_policy_defaults()
