"""Every error code the delivery app raises (CONVENTIONS: a per-app error-code enum).

The value is the `code` the API returns and tests assert — it never changes; the label says, in Chinese,
when it is raised (docs/delivery.md lists them). Refusals at shipment that belong to the sales gate carry the
sales app's codes (`sales_order.buyer_unqualified`, `sales_order.unsellable`, `sales_record.incomplete`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryErrorCode(models.TextChoices):
    NOT_FOUND = "delivery.not_found", _("交付单不存在或不在您的范围内（404）")
    CARRIER_REQUIRED = "delivery.carrier_required", _("请填写承运方和运单号（DEL-1）")
    PACKING_REQUIRED = "delivery.packing_required", _("请填写包装方式（适合运输）和件数（DEL-1）")
    NOTHING_TO_SHIP = "delivery.nothing_to_ship", _("订单没有待出库的配货（409）")
    ALLOCATION_MISMATCH = "delivery.allocation_mismatch", _("配货与订单明细不符，请重新配货（409）")
    CHECKLIST_INCOMPLETE = "delivery.checklist_incomplete", _("验收清单每一项都须给出结论（DEL-3）")
    INSTALLATION_REQUIRED = "delivery.installation_required", _("合同要求安装调试：安装调试项须为合格（DEL-3，409）")
    CHECK_FAILED = "delivery.check_failed", _("有不合格项：须以库存更换缺陷品后再验收（DEL-3，409）")
    SIGNATURE_REQUIRED = "delivery.signature_required", _("请客户签名；客户拒绝签字时须填写未签字原因（DEL-3）")
    INVALID_SIGNATURE = "delivery.invalid_signature", _("签名不是不超过 1 MB 的 PNG 图片")
    REPLACEMENT_INVALID = "delivery.replacement_invalid", _("更换明细无效（交付明细、数量）")
    REPLACEMENT_NO_STOCK = "delivery.replacement_no_stock", _("库存不足，不能更换缺陷品（409）")
    TRAINING_INCOMPLETE = (
        "delivery.training_incomplete",
        _("培训记录须写明日期、培训人、受训人员、内容，并由客户签字或签名（DEL-4）"),
    )
    TRAINING_DATE_INVALID = "delivery.training_date_invalid", _("培训日期不能晚于今天或早于发货日期")
    INCIDENT_INVALID = "delivery.incident_invalid", _("请填写异常类型与情况说明（DEL-2）")
    INCIDENT_INFORM_INCOMPLETE = "delivery.incident_inform_incomplete", _("告知客户须写明时间、方式和补救措施（DEL-2）")
    INCIDENT_NOT_FOUND = "delivery.incident_not_found", _("该交付单没有此异常记录")
    INCIDENT_ALREADY_INFORMED = "delivery.incident_already_informed", _("该异常已告知客户")
    CONCESSION_NOT_NEEDED = "delivery.concession_not_needed", _("规定活动均已完成，无需让步放行（409）")
    CONCESSION_INCOMPLETE = (
        "delivery.concession_incomplete",
        _("让步放行须写明客户代表、理由，并确认合法且可追回（DEL-6）"),
    )
    CONCESSION_SELF_APPROVAL = "delivery.concession_self_approval", _("发货人不能批准自己发出货物的让步放行（403）")
    RELEASE_BLOCKED = "delivery.release_blocked", _("规定活动未完成且无客户批准的让步，不得放行（DEL-6，409）")
    NAIVE_DATETIME = "delivery.naive_datetime", _("时间必须带时区")
    FUTURE_TIME = "delivery.future_time", _("时间不能晚于当前时间")
    TIME_BEFORE_RECEIPT = "delivery.time_before_receipt", _("时间不能早于发货时间")
