"""Demo records of the pre-sales part for `manage.py load_demo` (called by sales/demo.py). Idempotent — each
story is skipped once its records exist — and it never crashes: a story whose demo users, customers or
products are missing is skipped. Built on the core demo users, the customers demo (上海市徐汇区中心医院,
广州天河区中医院, 张伟) and the catalog demo (MD2-2002 医用制氧机):

- inquiries (PRE-1, PRE-3): one overdue and unanswered, one answered with the needs confirmed, one from a
  prospect routed to after-sales, one closed;
- product claims (PRE-2) for the oxygen concentrator: two approved by QA, one pending;
- tenders (SAL-3): one won (reported → bid → won) and one lost;
- authorisation letters (BUY-2): `sales_rep` valid this year, `xuhui_cs` expired last year;
- the annual sales plan (SAL-4) of 华东区 for this year, approved by the general manager, and 上海徐汇店's
  waiting for approval.
"""

import datetime as dt
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from salesservice.core.exceptions import DomainError

from . import presales as services
from .choices import Department, InquiryChannel, TenderStatus
from .models import Inquiry, ProductClaim, RepAuthorisation, SalesPlan, Tender

log = logging.getLogger(__name__)
USERS = ("xuhui_cs", "xuhui_manager", "sales_rep", "qa_inspector", "gm", "east_manager")
PRODUCT_CODE = "MD2-2002"


def load_demo() -> None:
    from salesservice.catalog.models import Product
    from salesservice.core.models import OrgUnit, User
    from salesservice.customers.models import Customer

    users = {u.username: u for u in User.objects.filter(username__in=USERS)}
    if len(users) < len(USERS):
        return
    product = Product.objects.filter(code=PRODUCT_CODE).first()
    customers = {
        c.name: c for c in Customer.objects.filter(name__in=["上海市徐汇区中心医院", "广州天河区中医院", "张伟"])
    }
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=["east", "sh-xuhui"])}
    for story in (_inquiries, _claims, _tenders, _letters, _plans):
        try:
            with transaction.atomic():
                story(users, product, customers, units)
        except DomainError as error:  # a demo story must never stop the others
            log.warning("presales demo %s skipped: %s", story.__name__, error)


def _inquiries(users, product, customers, units):
    if Inquiry.objects.exists() or "张伟" not in customers:
        return
    cs, now = users["xuhui_cs"], timezone.now()
    services.inquiry_create(
        actor=cs,
        channel=InquiryChannel.PHONE,
        customer=customers["张伟"],
        product=product,
        needs="家中老人慢阻肺，想了解 5L 制氧机的噪音和耗电",
        special_requirements="老人独居，送货时需家属在场",
        assignee=users["sales_rep"],
        received_at=now - dt.timedelta(hours=7),
    )
    answered = services.inquiry_create(
        actor=cs,
        channel=InquiryChannel.WALK_IN,
        customer=customers["张伟"],
        product=product,
        needs="比较两款制氧机，关注雾化功能",
        special_requirements="需开具发票给单位报销",
        received_at=now - dt.timedelta(hours=2),
    )
    services.inquiry_answer(
        actor=cs,
        inquiry_id=answered.pk,
        reply="推荐 8F-5AW（带雾化），已现场演示；报价单随后发送",
        needs_confirmed=True,
    )
    prospect = services.inquiry_create(
        actor=cs,
        channel=InquiryChannel.ONLINE,
        prospect_name="陈女士",
        prospect_phone="13761234567",
        needs="已购血压计读数偏高，咨询校准和上门服务",
        special_requirements="工作日 18 点后方便接听",
        received_at=now - dt.timedelta(minutes=40),
    )
    services.inquiry_route(
        actor=cs, inquiry_id=prospect.pk, department=Department.SERVICE, note="属售后问题，请售后服务部跟进"
    )
    closed = services.inquiry_create(
        actor=cs,
        channel=InquiryChannel.EMAIL,
        prospect_name="周先生",
        prospect_phone="13601230000",
        needs="咨询按摩椅价格",
        received_at=now - dt.timedelta(days=3),
    )
    services.inquiry_close(actor=cs, inquiry_id=closed.pk, reason="客户已在其他渠道购买")


def _claims(users, product, customers, units):
    if product is None or ProductClaim.objects.filter(product=product).exists():
        return
    rep, qa = users["sales_rep"], users["qa_inspector"]
    for text, evidence in (
        ("第二类医疗器械注册证：苏械注准20172540567", "医疗器械注册证"),
        ("氧浓度 93%±3%，流量 1–5 L/min 可调", "产品技术要求及检验报告"),
    ):
        claim = services.claim_submit(actor=rep, product=product, text=text, evidence=evidence)
        services.claim_approve(actor=qa, claim_id=claim.pk, note="与注册证及检验报告一致")
    services.claim_submit(actor=rep, product=product, text="运行噪音全行业最低", evidence="")


def _tenders(users, product, customers, units):
    if Tender.objects.exists() or "上海市徐汇区中心医院" not in customers:
        return
    manager, today = users["xuhui_manager"], timezone.localdate()
    won = services.tender_create(
        actor=manager,
        customer=customers["上海市徐汇区中心医院"],
        title="呼吸科制氧及雾化设备采购项目",
        tender_no="SHXH-2026-017",
        announced_on=today - dt.timedelta(days=30),
        deadline=timezone.now() - dt.timedelta(days=10),
        budget=Decimal("360000"),
    )
    services.tender_report(actor=manager, tender_id=won.pk, note="重点客户，建议投标")
    services.tender_bid(actor=manager, tender_id=won.pk, bid_amount=Decimal("338000"))
    services.tender_award(
        actor=manager,
        tender_id=won.pk,
        result=TenderStatus.WON,
        awarded_on=today - dt.timedelta(days=5),
        note="综合评分第一",
    )
    if "广州天河区中医院" not in customers:
        return
    rep = users["sales_rep"]
    lost = services.tender_create(
        actor=rep,
        customer=customers["广州天河区中医院"],
        title="中医理疗设备年度采购",
        tender_no="GZTH-2026-009",
        announced_on=today - dt.timedelta(days=40),
        deadline=timezone.now() - dt.timedelta(days=20),
        budget=Decimal("150000"),
    )
    services.tender_report(actor=rep, tender_id=lost.pk)
    services.tender_bid(actor=rep, tender_id=lost.pk, bid_amount=Decimal("149000"))
    services.tender_award(
        actor=rep,
        tender_id=lost.pk,
        result=TenderStatus.LOST,
        awarded_on=today - dt.timedelta(days=12),
        note="价格分落后",
    )


def _letters(users, product, customers, units):
    if RepAuthorisation.objects.exists():
        return
    today = timezone.localdate()
    services.authorisation_issue(
        actor=users["gm"],
        rep=users["sales_rep"],
        scope="全国范围家用电器及第一、二、三类医疗器械销售",
        valid_from=dt.date(today.year, 1, 1),
        valid_until=dt.date(today.year, 12, 31),
    )
    services.authorisation_issue(
        actor=users["xuhui_manager"],
        rep=users["xuhui_cs"],
        scope="上海徐汇店家用电器销售",
        valid_from=dt.date(today.year - 1, 1, 1),
        valid_until=dt.date(today.year - 1, 12, 31),
    )


def _plans(users, product, customers, units):
    year = timezone.localdate().year
    if SalesPlan.objects.filter(year=year).exists() or len(units) < 2:
        return
    east = services.plan_create(
        actor=users["east_manager"],
        org_unit=units["east"],
        year=year,
        company_target=Decimal("6000000"),
        target=Decimal("6600000"),
        basis="上年实际按订单统计；公司下达 600 万，区域加压 10%",
    )
    services.plan_approve(actor=users["gm"], plan_id=east.pk, note="同意，季度复盘")
    services.plan_create(
        actor=users["xuhui_manager"],
        org_unit=units["sh-xuhui"],
        year=year,
        company_target=Decimal("2400000"),
        target=Decimal("2640000"),
        basis="医院渠道增长，制氧机旺季在 11–2 月",
    )
