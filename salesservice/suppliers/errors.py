"""Every error code the suppliers app raises or answers with (CONVENTIONS: a per-app error-code enum).

Two kinds: the refusals of a service (400 unless noted: 403, 404, 409), and the reasons of
`services.order_check` / `order_warnings` (SUP-1, SUP-2), which never raise — purchasing turns the first
blocking reason into its own refusal. docs/suppliers.md lists them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SuppliersErrorCode(models.TextChoices):
    # --- services: the dossier ---
    NOT_FOUND = "suppliers.not_found", _("供应商不存在或不在您的范围内（404）")
    DOCUMENT_NOT_FOUND = "suppliers.document_not_found", _("资质文件不存在或不在您的范围内（404）")
    LIST_NOT_FOUND = "suppliers.list_not_found", _("合格供方名单不存在或不在您的范围内（404）")
    NAME_REQUIRED = "suppliers.name_required", _("未填写供应商名称")
    DUPLICATE = "suppliers.duplicate", _("同名或同一统一社会信用代码的供应商已存在")
    INVALID_CREDIT_CODE = "suppliers.invalid_credit_code", _("统一社会信用代码须为 18 位数字或大写字母")
    INVALID_ORG_UNIT = "suppliers.invalid_org_unit", _("所属部门无效或不在您的范围内")
    UNKNOWN_FIELDS = "suppliers.unknown_fields", _("不可修改的字段")
    REASON_REQUIRED = "suppliers.reason_required", _("暂停或退回未填写理由")
    ALREADY_SUSPENDED = "suppliers.already_suspended", _("供应商已暂停（409）")
    NOT_SUSPENDED = "suppliers.not_suspended", _("供应商未暂停（409）")
    INVALID_KIND = "suppliers.invalid_kind", _("无效的资质文件类型")
    DOCUMENT_NUMBER_REQUIRED = "suppliers.document_number_required", _("未填写证件/协议编号")
    INVALID_DATES = "suppliers.invalid_dates", _("有效期至早于有效期起")

    # --- services: evaluation (SUP-1) ---
    INVALID_PERIOD = "suppliers.invalid_period", _("评价期间无效（结束早于开始，或在未来）")
    EVALUATION_EXISTS = "suppliers.evaluation_exists", _("该供应商该期间已评价（409）")
    INVALID_SCORE = "suppliers.invalid_score", _("评分须在 0–100 之间，且只能给七项评价指标打分")
    WEIGHTS_INVALID = "suppliers.weights_invalid", _("评价权重须覆盖七项指标且合计为 100（政策参数）")

    # --- services: the qualified list (SUP-2) ---
    LIST_NOT_DRAFT = "suppliers.list_not_draft", _("只有草稿状态的名单可以修改（409）")
    LIST_EMPTY = "suppliers.list_empty", _("名单没有任何条目，不能提交（409）")
    ENTRY_SCOPE_REQUIRED = "suppliers.entry_scope_required", _("名单条目须至少选择一个商品或商品类别")
    ENTRY_NOT_FOUND = "suppliers.entry_not_found", _("名单中没有该供应商")
    SUPPLIER_NOT_ELIGIBLE = "suppliers.supplier_not_eligible", _("已暂停或评价不合格的供应商不能列入名单")
    NAIVE_DATETIME = "suppliers.naive_datetime", _("登记的时间不带时区")
    FUTURE_TIME = "suppliers.future_time", _("登记的时间晚于当前时间")
    TIME_BEFORE_RECEIPT = "suppliers.time_before_receipt", _("登记的时间早于名单编制时间")

    # --- order_check: blocking reasons (SUP-1, SUP-2, SUP-3) ---
    SUSPENDED = "supplier.suspended", _("供应商已暂停采购")
    NOT_LISTED = "supplier.not_listed", _("供应商不在现行合格供方名单上")
    NO_APPROVED_LIST = "supplier.no_approved_list", _("尚无已批准的合格供方名单")
    PRODUCT_NOT_QUALIFIED = "supplier.product_not_qualified", _("供应商在名单上，但未获准供应该商品")
    DISQUALIFIED = "supplier.disqualified", _("供应商评价不合格")
    DOCUMENT_MISSING = "supplier.document_missing", _("缺少必需的资质文件")
    DOCUMENT_EXPIRED = "supplier.document_expired", _("必需的资质文件已过期")
    INACTIVE = "supplier.inactive", _("供应商已停用")

    # --- order_warnings: non-blocking ---
    CONDITIONAL = "supplier.conditional", _("供应商评价为有条件合格（观察）")
    DOCUMENT_EXPIRING = "supplier.document_expiring", _("资质文件即将到期")
    QUALITY_AGREEMENT_MISSING = "supplier.quality_agreement_missing", _("未签订有效的质量保证协议")
