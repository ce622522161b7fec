"""Every error code the inventory app raises (CONVENTIONS: a per-app error-code enum, as Saleor's).

The value is the `code` the API returns and tests assert; the label says, in Chinese, when it is raised
(docs/inventory.md lists them). Refusals of a stock rule are 409 (`StockRefused`), bad input 400, out of
scope 404. Codes every app shares come from `core`: `permission_denied` (403), `conflict.stale` (409),
`status.invalid_transition` (409).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InventoryErrorCode(models.TextChoices):
    # --- records not found / out of scope (404) ---
    WAREHOUSE_NOT_FOUND = "inventory.warehouse_not_found", _("仓库不存在或不在您的范围内（404）")
    LOCATION_NOT_FOUND = "inventory.location_not_found", _("库位不存在或不在您的范围内（404）")
    LOT_NOT_FOUND = "inventory.lot_not_found", _("批次不存在或不在您的范围内（404）")
    ALLOCATION_NOT_FOUND = "inventory.allocation_not_found", _("分配记录不存在或不在您的范围内（404）")
    COUNT_NOT_FOUND = "inventory.count_not_found", _("盘点单不存在或不在您的范围内（404）")
    UNIT_OUT_OF_SCOPE = "inventory.unit_out_of_scope", _("所选组织单位不在您的管辖范围内（403）")

    # --- the moment recorded (core.guards.checked_moment with prefix "inventory") ---
    NAIVE_DATETIME = "inventory.naive_datetime", _("登记的时间不带时区")
    FUTURE_TIME = "inventory.future_time", _("登记的时间晚于当前时间")
    TIME_BEFORE_RECEIPT = "inventory.time_before_receipt", _("登记的时间早于单据时间")

    # --- warehouses and locations ---
    CODE_REQUIRED = "inventory.code_required", _("未填写编码")
    NAME_REQUIRED = "inventory.name_required", _("未填写名称")
    DUPLICATE_CODE = "inventory.duplicate_code", _("编码已存在")
    INVALID_LOCATION_KIND = (
        "inventory.invalid_location_kind",
        _("只能新建储位；待验区、合格待上架区、不合格品区随仓库自动建立"),
    )

    # --- lots (PRD-3: what the product's tracking mode demands) ---
    PRODUCT_REQUIRED = "inventory.product_required", _("未选择商品")
    LOT_NUMBER_REQUIRED = "inventory.lot_number_required", _("按批号追踪的商品未填写批号")
    SERIAL_NUMBER_REQUIRED = "inventory.serial_number_required", _("按序列号追踪的商品未填写序列号")
    SERIAL_NOT_TRACKED = "inventory.serial_not_tracked", _("不按序列号追踪的商品填写了序列号")
    EXPIRY_REQUIRED = "inventory.expiry_required", _("管理有效期的商品未填写有效期至")
    EXPIRY_BEFORE_PRODUCTION = "inventory.expiry_before_production", _("有效期至早于生产日期")
    PRODUCTION_IN_FUTURE = "inventory.production_in_future", _("生产日期晚于今天")
    LOT_DATES_CONFLICT = "inventory.lot_dates_conflict", _("同一批次已登记了不同的生产日期或有效期")

    # --- movements (SUP-7, INV-4, TRC-3) ---
    INVALID_QUANTITY = "inventory.invalid_quantity", _("数量必须为正整数")
    REFERENCE_REQUIRED = "inventory.reference_required", _("未指明业务单据（来源单号）")
    SERIAL_QUANTITY = "inventory.serial_quantity", _("序列号商品每个序列号只能有 1 件库存")
    WRONG_WAREHOUSE = "inventory.wrong_warehouse", _("库位不属于该仓库")
    PUT_AWAY_FROM_QUARANTINE = "inventory.put_away_from_quarantine", _("待验区的货物未经检验，不得上架（SUP-7）")
    PUT_AWAY_TARGET_NOT_STORAGE = "inventory.put_away_target_not_storage", _("上架目标必须是储位")
    INSUFFICIENT_QUARANTINE = "inventory.insufficient_quarantine", _("待验区数量不足以放行或隔离")
    INSUFFICIENT_STAGING = "inventory.insufficient_staging", _("合格待上架区数量不足（未检验合格的货物不得上架）")
    INSUFFICIENT_STOCK = "inventory.insufficient_stock", _("可用库存不足，不能分配（绝不超卖）")
    NEGATIVE_STOCK = "inventory.negative_stock", _("库存不能为负")
    BELOW_RESERVED = "inventory.below_reserved", _("调整后数量低于已分配数量")
    LOT_HELD = "inventory.lot_held", _("批次已冻结（待处置），不能操作")
    NOTHING_TO_RELEASE = "inventory.nothing_to_release", _("合格与不合格数量均为 0")
    NONCONFORMANCE_REQUIRED = "inventory.nonconformance_required", _("不合格数量须关联不合格品记录（SUP-8）")

    # --- stock count 库存盘点 (INV-2) ---
    COUNT_NO_LINES = "inventory.count_no_lines", _("盘点范围内没有库存记录")
    COUNT_LINE_NOT_FOUND = "inventory.count_line_not_found", _("盘点行不属于该盘点单")
    COUNT_NOT_COUNTING = "inventory.count_not_counting", _("盘点单不在盘点中，不能录入实盘数")
    COUNT_INCOMPLETE = "inventory.count_incomplete", _("还有盘点行未录入实盘数")
    COUNT_REASON_REQUIRED = "inventory.count_reason_required", _("有差异的盘点行须填写差异原因（INV-2）")
    COUNT_SELF_APPROVAL = "inventory.count_self_approval", _("盘点人不能审批自己提交的盘点差异")
    COUNT_RETURN_REASON_REQUIRED = "inventory.count_return_reason_required", _("退回重盘须填写理由")

    # --- storage environment (INV-1) ---
    READING_EMPTY = "inventory.reading_empty", _("温度与湿度至少填写一项")
    READING_OUT_OF_BOUNDS = "inventory.reading_out_of_bounds", _("读数超出可能范围（温度 -80~80°C，湿度 0~100%）")

    # --- stock analysis 库存分析 (INV-3) ---
    INVALID_PERIOD = "inventory.invalid_period", _("分析期间无效（日期格式、开始晚于结束、结束晚于今天或超过 3 年）")

    # --- opening stock import 期初库存导入 ---
    OPENING_NOT_STORAGE = "inventory.opening_not_storage", _("期初库存只能导入储位")
