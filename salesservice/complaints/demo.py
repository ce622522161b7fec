"""Demo records of the complaints app for `manage.py load_demo` (idempotent: skipped once any complaint exists).

Built through the services with past times, so numbers, clocks, events and the ledger are real:
- the after-sales fund topped up with ¥50,000 (CMP-8);
- ~36 closed complaints over the last six months across the four stores, with root causes, responsible
  parties (manufacturer, provider, staff, our department, customer), improvement actions (some done),
  payouts within the store limit and recoveries (some settled) — so the analytics have trends;
- open complaints in every status at all three levels: store, passed to the region, major ones at HQ;
  a ¥800 payout above the store limit approved by the region, another still waiting for approval;
- one cancelled and one withdrawn; then the sweep runs as of now (first-response breaches, escalations).
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from salesservice.catalog.models import Product
from salesservice.core.models import OrgUnit, User
from salesservice.customers.models import Customer

from . import compensation, services
from .choices import ComplaintChannel, ResponsibleParty
from .models import Complaint

STORES = ["sh-xuhui", "hz-xihu", "gz-tianhe", "sz-nanshan"]
# who takes complaints and who closes them at each store (demo users of core)
DESK = {"sh-xuhui": "xuhui_cs", "hz-xihu": "east_manager", "gz-tianhe": "tianhe_cs", "sz-nanshan": "hq_service_manager"}
CLOSER = {
    "sh-xuhui": "xuhui_manager",
    "hz-xihu": "east_manager",
    "gz-tianhe": "hq_service_manager",
    "sz-nanshan": "hq_service_manager",
}

CASES = [
    # subject, description, demand, solution, root cause, party, detail
    ("空调安装后漏水", "安装后第三天室内机漏水，地板泡坏。", "修复地板并重新安装", "重新安装并补偿地板修复费",
     "安装未做排水坡度", ResponsibleParty.PROVIDER, ""),
    ("冰箱送货磕碰", "送货时门体磕出凹坑，当场未发现。", "换新机", "更换门体并赠送延保一年",
     "搬运未使用护角", ResponsibleParty.STAFF, ""),
    ("洗衣机新机故障", "新机第一次使用即报 E2 故障。", "退货", "厂家确认质量问题，整机换新",
     "批次控制板缺陷", ResponsibleParty.MANUFACTURER, "海澜电器有限公司"),
    ("维修工程师迟到", "预约上午上门，下午四点才到。", "道歉并补偿误工", "致歉并补偿误工费",
     "派工未核对工程师当日行程", ResponsibleParty.OUR_DEPARTMENT, "售后服务部"),
    ("血压计读数偏高", "家用血压计与医院测量相差 20。", "退货", "上门指导正确佩戴袖带，复测一致",
     "客户袖带佩戴位置不当", ResponsibleParty.CUSTOMER, ""),
    ("热水器维修后仍不点火", "外协网点维修两次仍无法点火。", "换新", "改派自营工程师更换点火器",
     "外协网点误判故障", ResponsibleParty.PROVIDER, ""),
    ("促销赠品未兑现", "购机承诺赠送的电饭煲未收到。", "补发赠品", "补发赠品并致歉",
     "赠品出库漏登记", ResponsibleParty.OUR_DEPARTMENT, "仓储部"),
    ("制氧机噪音大", "夜间噪音影响休息。", "换货", "检测后更换减震垫，噪音恢复正常",
     "产品设计噪音在标准范围内", ResponsibleParty.NONE, ""),
]  # fmt: skip


def load_demo() -> None:
    if Complaint.objects.exists():
        return
    users = {
        u.username: u for u in User.objects.filter(username__in={*DESK.values(), *CLOSER.values(), "xuhui_engineer"})
    }
    stores = {u.code: u for u in OrgUnit.objects.filter(code__in=STORES)}
    if len(stores) < 4 or len(users) < 5:
        return
    with transaction.atomic():
        _load(users, stores)


def _load(users, stores):
    from salesservice.network.models import ServiceProvider

    rng = random.Random(20261123)
    now = timezone.now()
    products = list(Product.objects.filter(is_active=True).order_by("code")[:12])
    providers = {p.org_unit_id: p for p in ServiceProvider.objects.order_by("pk")}
    customers = {code: list(Customer.objects.filter(store=store, is_active=True).order_by("pk")[:30])
                 for code, store in stores.items()}  # fmt: skip
    if not all(customers.values()):
        return
    compensation.fund_top_up(actor=users["hq_service_manager"], amount=Decimal("50000"),
                             note="2026 年度售后服务基金预算拨入", at=now - dt.timedelta(days=190))  # fmt: skip

    def provider_for(store):
        return providers.get(store.pk) or providers.get(store.parent_id) or next(iter(providers.values()), None)

    def create(store_code, received_at, case, **extra):
        store = stores[store_code]
        subject, description, demand = case[:3]
        return services.complaint_create(
            actor=users[DESK[store_code]], customer=rng.choice(customers[store_code]), channel=extra.pop(
                "channel", rng.choice([ComplaintChannel.HOTLINE, ComplaintChannel.WALK_IN, ComplaintChannel.STORE])),
            subject=subject, description=description, customer_demand=demand, store=store,
            product=rng.choice(products) if products else None, received_at=received_at,
            promised_by=received_at + dt.timedelta(days=3), **extra,
        )  # fmt: skip

    def step(complaint, to, case, at, actor, *, refuse=False, gap=(0.5, 3)):
        order = ["received", "verifying", "solution_proposed", "agreed", "implementing", "feedback_given"]
        complaint.refresh_from_db()
        t = at
        for status in order[order.index(complaint.status) + 1 : order.index(to) + 1]:
            t += dt.timedelta(hours=rng.uniform(*gap))
            if status == "verifying":
                if complaint.first_responded_at is None:
                    services.complaint_respond(actor=actor, complaint_id=complaint.pk, note="已致电客户致歉，告知处理时限",
                                               at=complaint.received_at + dt.timedelta(minutes=rng.randint(10, 50)))  # fmt: skip
                services.complaint_verify(actor=actor, complaint_id=complaint.pk, notes="与相关部门核实，情况属实",
                                          departments="售后服务部、仓储部", at=t)  # fmt: skip
            elif status == "solution_proposed":
                services.complaint_propose(actor=actor, complaint_id=complaint.pk, solution=case[3], at=t)
                if refuse:
                    t += dt.timedelta(hours=gap[0])
                    services.complaint_refuse(actor=actor, complaint_id=complaint.pk, reason="客户认为补偿不足", at=t)
                    t += dt.timedelta(hours=gap[0])
                    services.complaint_propose(actor=actor, complaint_id=complaint.pk,
                                               solution=case[3] + "，另赠送延保一年", at=t)  # fmt: skip
            elif status == "agreed":
                services.complaint_agree(actor=actor, complaint_id=complaint.pk, note="客户电话确认", at=t)
            elif status == "implementing":
                services.complaint_implement(actor=actor, complaint_id=complaint.pk, at=t)
            else:
                services.complaint_feedback(actor=actor, complaint_id=complaint.pk, feedback="已按方案处理完毕并回访",
                                            satisfaction=rng.choice([3, 4, 4, 5, 5]), at=t)  # fmt: skip
        return t

    def close(complaint, case, at, store_code, *, action_done=False):
        party, detail = case[5], case[6]
        kwargs = {"responsible_detail": detail}
        if party == ResponsibleParty.PROVIDER:
            kwargs["responsible_provider"] = provider_for(stores[store_code])
            if kwargs["responsible_provider"] is None:
                party, kwargs["responsible_detail"] = ResponsibleParty.OUR_DEPARTMENT, "售后服务部"
        if party == ResponsibleParty.STAFF:
            kwargs["responsible_user"] = users["xuhui_engineer"]
        closer = users[CLOSER[store_code]]
        services.complaint_close(
            actor=closer, complaint_id=complaint.pk, root_cause=case[4], responsible_party=party,
            improvement_actions=[{"description": f"针对“{case[4]}”开展专项整改", "owner": closer,
                                  "due_date": timezone.localdate() + dt.timedelta(days=rng.randint(3, 30))}],
            at=at, **kwargs,
        )  # fmt: skip
        if action_done:
            action = complaint.improvement_actions.first()
            services.improvement_action_done(actor=closer, action_id=action.pk, note="整改已完成并培训", at=at)

    # 1. closed complaints over six months (chronological, so the ledger's running balance reads in order)
    start = now - dt.timedelta(days=180)
    for index in range(36):
        received = start + dt.timedelta(days=index * 4.8, hours=rng.randint(0, 8))
        store_code = STORES[index % 4]
        case = CASES[index % len(CASES)]
        actor = users[DESK[store_code]]
        complaint = create(store_code, received, case)
        t = step(complaint, "agreed", case, received, actor, refuse=index % 7 == 0)
        if index % 3 == 0:  # advance compensation within the store's authority
            compensation.compensation_pay(actor=actor, complaint_id=complaint.pk,
                                          amount=Decimal(rng.choice([100, 200, 300, 450])), note="先行赔付",
                                          at=t + dt.timedelta(minutes=20))  # fmt: skip
        t = step(complaint, "feedback_given", case, t, actor)
        close(complaint, case, t + dt.timedelta(hours=2), store_code, action_done=index < 24)

    # 2. open complaints in every status at all three levels (received within the last day)
    recent = now - dt.timedelta(hours=30)
    statuses = ["received", "verifying", "solution_proposed", "agreed", "implementing", "feedback_given"]
    open_rows = []
    for index, status in enumerate(statuses * 2):
        store_code = STORES[index % 4]
        case = CASES[(index + 3) % len(CASES)]
        received = recent + dt.timedelta(minutes=index * 60)
        extra = {}
        if index in (4, 9):
            extra = {"media_exposure": True} if index == 4 else {"claimed_amount": Decimal("8000")}
        complaint = create(store_code, received, case, **extra)
        if status != "received":
            step(complaint, status, case, received, users[DESK[store_code]], refuse=index == 2, gap=(0.05, 0.3))
        open_rows.append((complaint, store_code))
    # passed to the region by hand
    for complaint, store_code in open_rows[1:4]:
        complaint.refresh_from_db()
        if complaint.level == 0:
            services.complaint_escalate(actor=users[DESK[store_code]], complaint_id=complaint.pk,
                                        reason="客户要求区部介入协调")  # fmt: skip

    # 3. a ¥800 payout above the store limit, approved by the region; another still waiting
    xuhui = list(
        Complaint.objects.filter(
            pk__in=[c.pk for c, code in open_rows if code == "sh-xuhui"],
            status__in=("verifying", "solution_proposed", "agreed", "implementing"),
        ).order_by("pk")
    )
    if xuhui:
        first = compensation.compensation_pay(actor=users["xuhui_cs"], complaint_id=xuhui[0].pk, amount="800",
                                              note="地板修复费（超门店权限）")  # fmt: skip
        if first.pending:
            compensation.compensation_approve(actor=users["east_manager"], request_id=first.pending.pk,
                                              note="同意先行垫付，事后向网点追偿")  # fmt: skip
        compensation.compensation_pay(actor=users["xuhui_cs"], complaint_id=xuhui[-1].pk, amount="300", note="误工补偿")
        compensation.compensation_pay(actor=users["xuhui_cs"], complaint_id=xuhui[-1].pk, amount="1200",
                                      note="整机差价补偿（待区部审批）")  # fmt: skip

    # 4. one cancelled, one withdrawn
    cancelled = create("gz-tianhe", now - dt.timedelta(hours=5), CASES[6])
    services.complaint_cancel(actor=users["tianhe_cs"], complaint_id=cancelled.pk, reason="与已受理投诉重复登记")
    withdrawn = create("sh-xuhui", now - dt.timedelta(hours=6), CASES[7])
    services.complaint_verify(actor=users["xuhui_cs"], complaint_id=withdrawn.pk, notes="核实中", at=None)
    services.complaint_withdraw(actor=users["xuhui_cs"], complaint_id=withdrawn.pk, reason="客户表示已自行解决")

    # 5. settle part of the recoveries (money back into the fund)
    from .choices import RecoveryStatus
    from .models import Recovery

    for recovery in Recovery.objects.filter(status=RecoveryStatus.OPEN).order_by("pk")[::2]:
        compensation.recovery_settle(actor=users["hq_service_manager"], recovery_id=recovery.pk, note="已从结算款扣回")

    from .sweep import complaints_sweep

    complaints_sweep(now)
