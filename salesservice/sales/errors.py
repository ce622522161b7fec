"""Every error code the sales app raises (CONVENTIONS: a per-app error-code enum).

The value is the `code` the API returns and tests assert — it never changes; the label says, in Chinese,
when it is raised (docs/sales.md lists them). Buyer-qualification and sellability refusals carry their own
reasons' codes in `fields.reasons` (customer.*, qualification.*, product.*).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SalesErrorCode(models.TextChoices):
    NOT_FOUND = "sales.not_found", _("单据不存在或不在您的范围内（404）")
    CUSTOMER_OUT_OF_SCOPE = "sales.customer_out_of_scope", _("客户不在您的范围内")
    NO_LINES = "sales.no_lines", _("没有明细")
    INVALID_LINE = "sales.invalid_line", _("明细无效（商品、数量、单价）")
    NOT_EDITABLE = "sales.not_editable", _("只有草稿可以修改（409）")
    REASON_REQUIRED = "sales.reason_required", _("须填写理由")
    SELF_APPROVAL = "sales.self_approval", _("不能审批自己编制的单据（403）")
    APPROVAL_LIMIT = "sales.approval_limit", _("超出您的审批权限（403）")
    QUOTATION_EXPIRED = "quotation.expired", _("报价已过有效期（409）")
    QUOTATION_NOT_APPROVED = "quotation.not_approved", _("报价未批准或未被客户接受，不能转合同/订单（409）")
    QUOTATION_VALIDITY = "quotation.validity", _("有效期不能早于今天")
    CONTRACT_TERMS_REQUIRED = "contract.terms_required", _("交付、验收、付款条款须写明后才能提交评审（SAL-1）")
    CONTRACT_REVIEW_INCOMPLETE = "contract.review_incomplete", _("合同评审未完成或有不通过项，不能批准（SAL-1，409）")
    CONTRACT_REVIEW_NOT_YOURS = "contract.review_not_yours", _("该评审项不属于您的部门（403）")
    CONTRACT_REVIEW_DONE = "contract.review_done", _("该评审项已评审")
    CONTRACT_DEPOSIT_MISSING = "contract.deposit_missing", _("约定定金未收齐，不能签订（SAL-2，409）")
    CONTRACT_SIGNATORY_REQUIRED = "contract.signatory_required", _("须填写客户签约人和签订日期")
    CONTRACT_NOT_SIGNED = "contract.not_signed", _("合同未签订，不能下单（SAL-2，409）")
    CONTRACT_AMEND_REASON = "contract.amend_reason", _("合同变更须写明原因和变更内容（SAL-8）")
    ORDER_REVIEW_REFUSED = "sales_order.review_refused", _("订单评审未通过：购货资格、禁售、价格或库存（SAL-5，409）")
    ORDER_BUYER_UNQUALIFIED = "sales_order.buyer_unqualified", _("购货单位资格不符（BUY-1，409）")
    ORDER_UNSELLABLE = "sales_order.unsellable", _("商品禁止销售（PRD-1，409）")
    ORDER_PRICE_UNAPPROVED = (
        "sales_order.price_unapproved",
        _("单价低于可自行决定的折扣，且无已批准的报价或合同（409）"),
    )
    ORDER_SELF_REVIEW = "sales_order.self_review", _("不能评审自己录入的订单（403）")
    ORDER_CONFIRM_REQUIRED = "sales_order.confirm_required", _("须记录与客户确认的人和方式（SAL-5）")
    ORDER_WAREHOUSE_INACTIVE = "sales_order.warehouse_inactive", _("发货仓库已停用")
    ORDER_EXCEEDS_CONTRACT = "sales_order.exceeds_contract", _("订单数量超过合同未执行数量（409）")
    PAYMENT_OUTSTANDING = "sales_order.unpaid", _("尚有未收款，不能关闭订单（DEL-5，409）")
    PAYMENT_INVALID = "payment.invalid", _("收款金额须大于 0 且不超过未收金额")
    INSUFFICIENT_STOCK = "inventory.insufficient_stock", _("可用库存不足，不能分配（绝不超卖）")
    GSP_INCOMPLETE = "sales_record.incomplete", _("医疗器械销售记录缺少必填项（TRC-1，409）")
