"""Builders for complaint tests. Complaints are made through the service (their clocks, numbers and levels
are behaviour); customers and products come from the other apps' factories."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from salesservice.catalog.tests.factories import ProductFactory  # noqa: F401 — re-exported for tests
from salesservice.core.models import OrgUnit, User
from salesservice.customers.tests.factories import CustomerFactory

from .. import compensation, services
from ..choices import ComplaintChannel, ResponsibleParty


def user(username: str) -> User:
    return User.objects.get(username=username)


def store(code: str = "sh-xuhui") -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def make_complaint(*, actor="xuhui_cs", store_code="sh-xuhui", received_at=None, **extra):
    """CMP-1: a hotline complaint with a promised handling deadline."""
    received = received_at or timezone.now()
    extra.setdefault("channel", ComplaintChannel.HOTLINE)
    extra.setdefault("promised_by", received + dt.timedelta(days=3))
    customer = extra.pop("customer", "new")
    if customer == "new":
        customer = CustomerFactory(store=store(store_code))
    return services.complaint_create(
        actor=user(actor) if isinstance(actor, str) else actor,
        customer=customer,
        subject=extra.pop("subject", "空调安装后漏水，地板泡坏"),
        description=extra.pop("description", "安装师傅未做排水坡度，三天后室内机漏水，木地板起拱。"),
        customer_demand=extra.pop("customer_demand", "赔偿地板损失并重新安装"),
        received_at=received_at,
        **extra,
    )


def advance(complaint, to: str, *, actor="xuhui_cs"):
    """Walk a complaint along the happy path until it reaches status `to`."""
    who = user(actor)
    steps = [
        ("verifying", lambda c: services.complaint_verify(actor=who, complaint_id=c.pk, notes="与安装部核实属实",
                                                          departments="安装部")),
        ("solution_proposed", lambda c: services.complaint_propose(actor=who, complaint_id=c.pk,
                                                                    solution="重新安装并赔偿地板修复费")),
        ("agreed", lambda c: services.complaint_agree(actor=who, complaint_id=c.pk)),
        ("implementing", lambda c: services.complaint_implement(actor=who, complaint_id=c.pk)),
        ("feedback_given", lambda c: services.complaint_feedback(actor=who, complaint_id=c.pk,
                                                                  feedback="已重新安装，地板已修复", satisfaction=4)),
    ]  # fmt: skip
    for status, step in steps:
        if complaint.status == to:
            break
        complaint = step(complaint)
        if status == to:
            break
    return complaint


def close_kwargs(**overrides):
    kwargs = {
        "root_cause": "安装未按规范做排水坡度",
        "responsible_party": ResponsibleParty.STAFF,
        "responsible_user": user("xuhui_engineer"),
        "improvement_actions": [
            {"description": "安装工排水规范复训", "owner": user("xuhui_manager"),
             "due_date": timezone.localdate() + dt.timedelta(days=14)}
        ],
    }  # fmt: skip
    kwargs.update(overrides)
    return kwargs


def top_up(amount="50000"):
    return compensation.fund_top_up(actor=user("hq_service_manager"), amount=Decimal(amount), note="年度预算拨入")
