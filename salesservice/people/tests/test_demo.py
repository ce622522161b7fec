"""The demo loader of the people app: certified and uncertified engineers (PPL-4); idempotent."""

import pytest
from django.utils import timezone

from salesservice.catalog.demo import load_demo as load_catalog
from salesservice.catalog.models import Product
from salesservice.core.events import Event
from salesservice.core.models import User
from salesservice.people.demo import load_demo
from salesservice.people.models import Certification
from salesservice.people.selectors import certified_engineers
from salesservice.people.services import certification_check

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_without_changes(demo):
    load_catalog()
    load_demo()
    counts = (User.objects.count(), Certification.objects.count(), Event.objects.count())
    load_demo()
    assert (User.objects.count(), Certification.objects.count(), Event.objects.count()) == counts
    users = {u.username: u for u in User.objects.filter(username__contains="_")}
    appliance = Product.objects.filter(category__code__startswith="appliance").first()
    assert certification_check(users["xuhui_engineer"], appliance) == []
    assert certification_check(users["tianhe_engineer"], appliance) == []
    assert [r.code for r in certification_check(users["xihu_engineer"], appliance)] == ["dispatch.uncertified"]
    assert [r.code for r in certification_check(users["xuhui_trainee"])] == ["dispatch.uncertified"]
    assert users["xuhui_trainee"].check_password("demo-pass-2026")
    assert list(certified_engineers(appliance, unit_ids=[demo["sh-xuhui"].pk])) == [users["xuhui_engineer"]]
    assert Certification.objects.filter(valid_until__lt=timezone.localdate()).count() == 1


def test_demo_has_posts_candidates_plan_ladder_and_two_failed_exams(demo):
    """Demo (PPL-1…PPL-6): four posts, a candidate mid-process and one hired, this year's plan with past
    sessions (attendance, one evaluated) and upcoming ones, the ladder, a talk; 孙工 with two failed exams."""
    from salesservice.people.models import (
        Candidate,
        CareerStep,
        DevelopmentTalk,
        ExamAttempt,
        Post,
        TrainingNeed,
        TrainingPlan,
    )

    load_catalog()
    load_demo()
    assert set(Post.objects.values_list("name", flat=True)) >= {"客服专员", "客服主管", "客服经理", "维修工程师"}
    assert dict(Candidate.objects.values_list("name", "status")) == {"王应聘": "written_test", "赵入职": "hired"}
    plan = TrainingPlan.objects.get(year=timezone.localdate().year, org_unit__code="sh-xuhui")
    assert plan.status == "approved" and plan.sessions.count() == 4
    assert plan.sessions.filter(attendance_recorded_at__isnull=False).count() >= 1
    assert TrainingNeed.objects.filter(source="evaluation").count() == 1
    assert CareerStep.objects.count() == 2 and DevelopmentTalk.objects.count() == 1
    failed = ExamAttempt.objects.filter(user__username="xihu_engineer", passed=False).order_by("scored_at")
    assert [a.failure_streak for a in failed] == [1, 2]
