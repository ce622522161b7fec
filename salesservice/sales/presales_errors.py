"""Every error code the pre-sales part of the sales app raises (CONVENTIONS: a per-app error-code enum).

Inquiries (PRE-1, PRE-3), product claims (PRE-2), tenders (SAL-3), sales-rep authorisation letters (BUY-2)
and annual sales plans (SAL-4). The value is the `code` the API returns and tests assert — it never changes;
the label says, in Chinese, when it is raised (docs/sales-presales.md lists them).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PresalesErrorCode(models.TextChoices):
    REASON_REQUIRED = "presales.reason_required", _("须填写理由")
    UNIT_OUT_OF_SCOPE = "presales.unit_out_of_scope", _("单位不在您的管辖范围内（403）")
    INQUIRY_NOT_FOUND = "inquiry.not_found", _("咨询单不存在或不在您的范围内（404）")
    INQUIRY_CONTACT_REQUIRED = "inquiry.contact_required", _("须选择客户，或填写咨询人姓名和电话（PRE-1）")
    INQUIRY_CUSTOMER_OUT_OF_SCOPE = "inquiry.customer_out_of_scope", _("客户不在您的范围内")
    INQUIRY_NEEDS_REQUIRED = "inquiry.needs_required", _("须记录客户需求（PRE-1）")
    INQUIRY_REPLY_REQUIRED = "inquiry.reply_required", _("须填写答复内容（PRE-1）")
    INQUIRY_ROUTE_UNCHANGED = "inquiry.route_unchanged", _("转交部门和负责人均未改变")
    INQUIRY_NAIVE_DATETIME = "inquiry.naive_datetime", _("咨询时间必须带时区")
    INQUIRY_FUTURE_TIME = "inquiry.future_time", _("咨询时间不能晚于当前时间")
    INQUIRY_TIME_BEFORE_RECEIPT = "inquiry.time_before_receipt", _("时间早于咨询登记时间")
    INQUIRY_NOT_QUOTABLE = "inquiry.not_quotable", _("咨询已关闭或已报价，不能再生成报价（409）")
    CLAIM_NOT_FOUND = "product_claim.not_found", _("宣传用语不存在（404）")
    CLAIM_TEXT_REQUIRED = "product_claim.text_required", _("须填写宣传内容（PRE-2）")
    CLAIM_SELF_APPROVAL = "product_claim.self_approval", _("不能审核自己提交的宣传用语（PRE-2，409）")
    TENDER_NOT_FOUND = "tender.not_found", _("招投标不存在或不在您的范围内（404）")
    TENDER_CUSTOMER_OUT_OF_SCOPE = "tender.customer_out_of_scope", _("招标单位不在您的范围内")
    TENDER_DEADLINE = "tender.deadline_before_announcement", _("投标截止时间不能早于公告日期")
    TENDER_NOT_REPORTED = "tender.not_reported", _("招标未报总经理，不能投标（SAL-3，409）")
    TENDER_NO_GENERAL_MANAGER = "tender.no_general_manager", _("未找到总经理，无法报告（SAL-3，409）")
    TENDER_BID_AMOUNT = "tender.bid_amount", _("投标报价须大于 0")
    TENDER_RESULT = "tender.result", _("开标结果须为中标或未中标，并填写日期")
    TENDER_NOT_WON = "tender.not_won", _("只有中标的招投标可以签合同（409）")
    AUTHORISATION_NOT_FOUND = "rep_authorisation.not_found", _("授权书不存在或不在您的范围内（404）")
    AUTHORISATION_DATES = "rep_authorisation.dates", _("有效期至不能早于有效期起")
    AUTHORISATION_REP_INVALID = "rep_authorisation.rep_invalid", _("被授权人须为在职的销售人员")
    AUTHORISATION_REVOKED = "rep_authorisation.revoked", _("授权书已收回（409）")
    PLAN_NOT_FOUND = "sales_plan.not_found", _("销售计划不存在或不在您的范围内（404）")
    PLAN_EXISTS = "sales_plan.exists", _("该单位该年度已有销售计划（409）")
    PLAN_TARGET = "sales_plan.target", _("计划销售额须大于 0")
    PLAN_MONTHS = "sales_plan.months", _("12 个月度目标须为非负数且合计等于计划销售额（SAL-4）")
    PLAN_SELF_APPROVAL = "sales_plan.self_approval", _("不能批准自己编制的销售计划（409）")
    PLAN_APPROVED = "sales_plan.approved", _("销售计划已批准，不能修改或再次批准（409）")
