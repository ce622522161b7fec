import pytest


@pytest.fixture
def qa(users):
    return users["qa_inspector"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
