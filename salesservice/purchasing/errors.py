"""Every error code the purchasing app raises (CONVENTIONS: a per-app error-code enum).

The value is the `code` the API returns and tests assert — it never changes; the label says, in Chinese,
when it is raised (docs/purchasing.md lists them). SUP-2 refusals carry the suppliers app's own
`supplier.*` codes (the first reason of `suppliers.services.order_check`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PurchasingErrorCode(models.TextChoices):
    REQUISITION_NOT_FOUND = "requisition.not_found", _("采购申请不存在或不在您的范围内（404）")
    REQUISITION_NO_LINES = "requisition.no_lines", _("采购申请没有明细")
    REQUISITION_INVALID_LINE = "requisition.invalid_line", _("采购申请明细无效（商品、数量）")
    REQUISITION_UNIT_OUT_OF_SCOPE = "requisition.unit_out_of_scope", _("申请单位不在您的管辖范围内")
    REQUISITION_REASON_REQUIRED = "requisition.reason_required", _("驳回或取消须填写理由")
    REQUISITION_SELF_APPROVAL = "requisition.self_approval", _("不能审批自己提交的采购申请")
    ORDER_NOT_FOUND = "purchase_order.not_found", _("采购订单不存在或不在您的范围内（404）")
    ORDER_NO_LINES = "purchase_order.no_lines", _("采购订单没有明细")
    ORDER_INVALID_LINE = "purchase_order.invalid_line", _("订单明细无效（商品、数量、单价、交期）")
    ORDER_NO_PURCHASING_UNIT = "purchase_order.no_purchasing_unit", _("未配置采购部组织单位")
    ORDER_TERMS_REQUIRED = "purchase_order.terms_required", _("未写明质量标准、验收方式或退换货条款（SUP-4，409）")
    ORDER_NOT_EDITABLE = "purchase_order.not_editable", _("只有草稿状态的采购订单可以修改（409）")
    ORDER_SELF_APPROVAL = "purchase_order.self_approval", _("不能审批自己编制或提交的采购订单（403）")
    ORDER_APPROVAL_LIMIT = "purchase_order.approval_limit", _("订单金额超出您的审批权限（403）")
    ORDER_REASON_REQUIRED = "purchase_order.reason_required", _("退回、取消或提前关闭须填写理由")
    ORDER_REQUISITION_NOT_APPROVED = "purchase_order.requisition_not_approved", _("所引用的采购申请未批准")
    ORDER_WAREHOUSE_INACTIVE = "purchase_order.warehouse_inactive", _("收货仓库已停用")
    RECEIPT_NOT_FOUND = "receipt.not_found", _("入库验收单不存在或不在您的范围内（404）")
    RECEIPT_ORDER_NOT_OPEN = "receipt.order_not_open", _("采购订单未批准或已到齐、关闭（409）")
    RECEIPT_NO_LINES = "receipt.no_lines", _("到货单没有明细")
    RECEIPT_INVALID_LINE = "receipt.invalid_line", _("到货明细无效（订单明细、数量）")
    RECEIPT_OVER_OUTSTANDING = "receipt.over_outstanding", _("到货数量超过订单未到数量（409）")
    RECEIPT_LOT_REQUIRED = "receipt.lot_required", _("按批号追踪的商品须填写批号（PRD-3）")
    RECEIPT_SERIALS_REQUIRED = "receipt.serials_required", _("按序列号追踪的商品须逐件填写序列号，件数等于数量")
    RECEIPT_SERIAL_DUPLICATE = "receipt.serial_duplicate", _("序列号重复")
    RECEIPT_EXPIRY_REQUIRED = "receipt.expiry_required", _("管理有效期的商品须填写生产日期和有效期至")
    RECEIPT_EXPIRED = "receipt.expired", _("商品已过有效期，拒收")
    RECEIPT_DATES_INVALID = "receipt.dates_invalid", _("生产日期晚于有效期或晚于今天")
    RECEIPT_WAREHOUSE_REQUIRED = "receipt.warehouse_required", _("未指定收货仓库")
    RECEIPT_QUANTITY_MISMATCH = "receipt.quantity_mismatch", _("合格数 + 不合格数须等于到货数（SUP-7）")
    RECEIPT_CHECKLIST_INCOMPLETE = "receipt.checklist_incomplete", _("验收标准的每一项都须给出结论（SUP-6）")
    RECEIPT_REJECT_NOTE_REQUIRED = "receipt.reject_note_required", _("有不合格数量时须写明不合格描述")
    RECEIPT_REJECTED_SERIALS = "receipt.rejected_serials", _("不合格的序列号须逐一列出，且属于本行到货")
    RECEIPT_NOT_INSPECTED = "receipt.not_inspected", _("未经验收不能上架（SUP-7，409）")
    RECEIPT_LOCATION_REQUIRED = "receipt.location_required", _("须为每行选择本仓库的货位")
