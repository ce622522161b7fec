"""Builders for supervision tests: a check taken through the services (their rules are behaviour)."""

import datetime as dt

from django.utils import timezone

from salesservice.core.models import OrgUnit, User

from .. import services
from ..choices import CheckMethod


def user(username: str) -> User:
    return User.objects.get(username=username)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def planned_check(*, actor=None, store="sh-xuhui", method=CheckMethod.MYSTERY_SHOPPING, items=None):
    actor = actor or user("auditor")
    return services.check_plan(
        actor=actor,
        org_unit=unit(store),
        method=method,
        title="神秘顾客暗访",
        planned_on=timezone.localdate(),
        items=items or ["接待及时", "保修政策讲解准确"],
    )


def completed_check_with_failure(*, owner=None, deadline=None):
    """A mystery-shopping check of 上海徐汇店 with its second item failed: one open finding."""
    auditor = user("auditor")
    check = planned_check(actor=auditor)
    services.check_start(actor=auditor, check_id=check.pk)
    first, second = check.items.order_by("position")
    services.check_complete(
        actor=auditor,
        check_id=check.pk,
        results=[
            {"item": first.pk, "result": "pass"},
            {"item": second.pk, "result": "fail", "note": "未说明保修期起算日"},
        ],
        summary="保修政策讲解不准确",
        improvements="组织培训",
        finding_owner=owner,
        rectification_deadline=deadline or timezone.localdate() + dt.timedelta(days=5),
    )
    check.refresh_from_db()
    return check, check.findings.get()


def store_manager_of(code: str, username: str = "tianhe_manager") -> User:
    """A store manager of another store (the demo has one only, at 上海徐汇店)."""
    from django.contrib.auth.models import Group

    from salesservice.core.models import Membership

    manager = User.objects.create_user(username=username, password="x-pass-2026", display_name="黄天河店长")
    Membership.objects.create(user=manager, org_unit=unit(code), role=Group.objects.get(name="store_manager"))
    return manager
