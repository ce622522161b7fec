"""Choices of the sales app: statuses of the pre-sales and sales documents, check results, timeline events.

PRE-1…3 (inquiries), SAL-1…8 (quotations, tenders, contracts and their review, sales orders), DEL-5
(receivables), TRC-1 (the GSP sales record), BUY-2 (sales-rep authorisation). The moves between statuses
are declared in workflows.py.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InquiryChannel(models.TextChoices):
    PHONE = "phone", _("电话")
    ONLINE = "online", _("网上")
    WALK_IN = "walk_in", _("来店")
    EMAIL = "email", _("邮件")


class Department(models.TextChoices):
    """The departments an inquiry is routed to and that sign off a contract review (SAL-1)."""

    SALES = "sales", _("销售部")
    SERVICE = "service", _("售后服务部")
    QUALITY = "quality", _("质量部")
    WAREHOUSE = "warehouse", _("仓储部")
    PURCHASING = "purchasing", _("采购部")
    COMMERCE = "commerce", _("商务部")


class InquiryStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")
    QUOTED = "quoted", _("已报价")
    CLOSED = "closed", _("已关闭")


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("待质量部审核")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    WITHDRAWN = "withdrawn", _("已撤回")


class QuotationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING_APPROVAL = "pending_approval", _("待价格审批")
    APPROVED = "approved", _("有效")
    ACCEPTED = "accepted", _("客户接受")
    CONVERTED = "converted", _("已转合同/订单")
    LOST = "lost", _("未成交")
    EXPIRED = "expired", _("已过期")
    CANCELLED = "cancelled", _("已取消")


class TenderStatus(models.TextChoices):
    ANNOUNCED = "announced", _("已登记")
    REPORTED = "reported", _("已报总经理")
    BID_SUBMITTED = "bid_submitted", _("已投标")
    WON = "won", _("中标")
    LOST = "lost", _("未中标")
    WITHDRAWN = "withdrawn", _("放弃")
    CONTRACTED = "contracted", _("已签合同")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("合同评审")
    APPROVED = "approved", _("已批准")
    SIGNED = "signed", _("已签订")
    EXECUTING = "executing", _("执行中")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class ReviewItem(models.TextChoices):
    """SAL-1: what a contract review checks (002 §6.4.3; 004 §4.3.2.2), each by its department."""

    REQUIREMENTS = "requirements", _("顾客要求明确（品种、数量、交付、验收）")
    DELIVERY = "delivery", _("交付能力（库存、货期、运输、安装）")
    PRICE_TERMS = "price_terms", _("价格与付款条件")
    QUALIFICATION = "qualification", _("购货方资格与产品资质（BUY-1、PRD-1）")


class ReviewResult(models.TextChoices):
    PENDING = "pending", _("待评审")
    PASS = "pass", _("通过")
    FAIL = "fail", _("不通过")


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEWED = "reviewed", _("已评审")
    CONFIRMED = "confirmed", _("已确认")
    ALLOCATED = "allocated", _("已配货")
    SHIPPED = "shipped", _("已发货")
    DELIVERED = "delivered", _("已交付")
    CLOSED = "closed", _("已关闭")
    CANCELLED = "cancelled", _("已取消")


class ConfirmChannel(models.TextChoices):
    PHONE = "phone", _("电话")
    IN_PERSON = "in_person", _("当面")
    EMAIL = "email", _("邮件")
    SIGNED = "signed", _("书面签字")


class ProgressStep(models.TextChoices):
    """SAL-7: the progress schedule of an order (004 §4.3.1), each step owned by a department."""

    REVIEW = "review", _("订单评审")
    CONFIRM = "confirm", _("与客户确认")
    ALLOCATE = "allocate", _("配货")
    SHIP = "ship", _("发货")
    DELIVER = "deliver", _("交付验收")
    PAYMENT = "payment", _("回款")


class ReceivableKind(models.TextChoices):
    DEPOSIT = "deposit", _("定金/预付款")
    DELIVERY = "delivery", _("发货款")
    ACCEPTANCE = "acceptance", _("验收款")
    RETENTION = "retention", _("质保金")


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("银行转账")
    CASH = "cash", _("现金")
    CARD = "card", _("刷卡")
    CHEQUE = "cheque", _("支票")
    OTHER = "other", _("其他")


class EventType(models.TextChoices):
    """Typed timeline events of the sales app (registered by the app registry)."""

    INQUIRY_CREATED = "sales.inquiry_created", _("登记咨询")
    INQUIRY_ROUTED = "sales.inquiry_routed", _("咨询转交部门")
    INQUIRY_ANSWERED = "sales.inquiry_answered", _("答复咨询")
    INQUIRY_CLOSED = "sales.inquiry_closed", _("关闭咨询")
    CLAIM_SUBMITTED = "sales.claim_submitted", _("提交产品宣传用语")
    CLAIM_DECIDED = "sales.claim_decided", _("审核产品宣传用语")
    QUOTATION_CREATED = "sales.quotation_created", _("新建报价单")
    QUOTATION_SUBMITTED = "sales.quotation_submitted", _("报价提交审批")
    QUOTATION_APPROVED = "sales.quotation_approved", _("报价批准")
    QUOTATION_REJECTED = "sales.quotation_rejected", _("报价退回")
    QUOTATION_ACCEPTED = "sales.quotation_accepted", _("客户接受报价")
    QUOTATION_LOST = "sales.quotation_lost", _("报价未成交")
    QUOTATION_CONVERTED = "sales.quotation_converted", _("报价转合同/订单")
    QUOTATION_EXPIRED = "sales.quotation_expired", _("报价过期")
    QUOTATION_CANCELLED = "sales.quotation_cancelled", _("取消报价")
    TENDER_CREATED = "sales.tender_created", _("登记招标")
    TENDER_REPORTED = "sales.tender_reported", _("招标报总经理")
    TENDER_BID = "sales.tender_bid", _("投标")
    TENDER_AWARDED = "sales.tender_awarded", _("开标结果")
    TENDER_WITHDRAWN = "sales.tender_withdrawn", _("放弃投标")
    TENDER_CONTRACTED = "sales.tender_contracted", _("中标签约")
    CONTRACT_CREATED = "sales.contract_created", _("新建合同")
    CONTRACT_SUBMITTED = "sales.contract_submitted", _("提交合同评审")
    CONTRACT_REVIEWED = "sales.contract_reviewed", _("合同评审意见")
    CONTRACT_APPROVED = "sales.contract_approved", _("合同批准")
    CONTRACT_RETURNED = "sales.contract_returned", _("合同退回修改")
    CONTRACT_SIGNED = "sales.contract_signed", _("合同签订")
    CONTRACT_AMENDED = "sales.contract_amended", _("合同变更")
    CONTRACT_EXECUTING = "sales.contract_executing", _("合同开始执行")
    CONTRACT_COMPLETED = "sales.contract_completed", _("合同履行完毕")
    CONTRACT_CANCELLED = "sales.contract_cancelled", _("取消合同")
    ORDER_CREATED = "sales.order_created", _("新建销售订单")
    ORDER_UPDATED = "sales.order_updated", _("修改销售订单")
    ORDER_REVIEWED = "sales.order_reviewed", _("订单评审")
    ORDER_REVIEW_REFUSED = "sales.order_review_refused", _("订单评审未通过")
    ORDER_CONFIRMED = "sales.order_confirmed", _("与客户确认订单")
    ORDER_ALLOCATED = "sales.order_allocated", _("配货并通知仓库发货")
    ORDER_SHIPPED = "sales.order_shipped", _("订单发货")
    ORDER_DELIVERED = "sales.order_delivered", _("订单交付")
    ORDER_CLOSED = "sales.order_closed", _("订单关闭")
    ORDER_CANCELLED = "sales.order_cancelled", _("取消订单")
    STEP_DONE = "sales.step_done", _("进度节点完成")
    STEP_LATE = "sales.step_late", _("进度节点逾期提醒")
    PAYMENT_RECORDED = "sales.payment_recorded", _("登记回款")
    PAYMENT_OVERDUE = "sales.payment_overdue", _("回款逾期提醒")
    AUTHORISATION_ISSUED = "sales.authorisation_issued", _("签发销售授权书")
    AUTHORISATION_REVOKED = "sales.authorisation_revoked", _("收回销售授权书")
    PLAN_CREATED = "sales.plan_created", _("编制年度销售计划")
    PLAN_APPROVED = "sales.plan_approved", _("批准年度销售计划")
