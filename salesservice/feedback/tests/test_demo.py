"""The demo loader is idempotent and fills the dashboard (FBK-4: ~300 responses over 6 months)."""

import pytest

from .. import demo as demo_module
from ..demo import load_demo
from ..models import FollowUp, Suggestion, SurveyResponse, SurveyTemplate
from .factories import CustomerFactory, closed_request, store

pytestmark = pytest.mark.django_db


def test_load_demo_twice(demo, monkeypatch):
    monkeypatch.setattr(demo_module, "TARGET_RESPONSES", 60)  # the real 300 only cost time here
    for code in ("sh-xuhui", "hz-xihu", "gz-tianhe", "sz-nanshan"):
        CustomerFactory(store=store(code))
    requests = [closed_request(code) for code in ("sh-xuhui", "gz-tianhe")]
    load_demo()
    counts = (
        SurveyTemplate.objects.count(),
        FollowUp.objects.count(),
        SurveyResponse.objects.count(),
        Suggestion.objects.count(),
    )
    load_demo()
    assert counts == (
        SurveyTemplate.objects.count(),
        FollowUp.objects.count(),
        SurveyResponse.objects.count(),
        Suggestion.objects.count(),
    )
    assert counts[0] == 1 and counts[2] == 60 and counts[3] == 5
    assert FollowUp.objects.filter(service_request__in=requests).count() == 2
    months = {r.submitted_at.strftime("%Y-%m") for r in SurveyResponse.objects.all()}
    assert len(months) >= 6
    assert SurveyResponse.objects.values("store").distinct().count() == 4
