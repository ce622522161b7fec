import datetime as dt
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The fixed clock of the scheduler tests: Monday 2026-11-30 07:00 — last week is 2026-11-23 … 2026-11-29.
MONDAY = dt.datetime(2026, 11, 30, 7, 0, tzinfo=SHANGHAI)
FIRST = dt.datetime(2026, 12, 1, 7, 30, tzinfo=SHANGHAI)  # the 1st: the monthly reports of November


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Report files go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


def at(day: int, hour: int, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)
