"""Every error code the appraisals app raises (CONVENTIONS: a per-app error-code enum).

The value is the `code` the API returns and tests assert; the label says, in Chinese, when it is raised
(docs/appraisals.md lists them). Finalising before the supervisor evaluated answers the kernel's
`status.invalid_transition` (409); a stale version `conflict.stale` (409).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppraisalsErrorCode(models.TextChoices):
    KPI_NOT_FOUND = "appraisals.kpi_not_found", _("考核指标不存在（404）")
    CYCLE_NOT_FOUND = "appraisals.cycle_not_found", _("考核周期不存在（404）")
    APPRAISAL_NOT_FOUND = "appraisals.appraisal_not_found", _("考核不存在或不在您的范围内（404）")
    KPI_INVALID = "appraisals.kpi_invalid", _("请填写岗位、编码、名称、指标、权重（1–100）和目标值（400）")
    UNKNOWN_POST = "appraisals.unknown_post", _("岗位不是系统中的角色（400）")
    UNKNOWN_METRIC = "appraisals.unknown_metric", _("指标不在指标库中（400）")
    DUPLICATE_CODE = "appraisals.duplicate_code", _("该岗位已有相同编码的指标（409）")
    WEIGHTS_OVER_100 = "appraisals.weights_over_100", _("该岗位启用指标的权重合计超过 100%（KPI-1，409）")
    WEIGHTS_NOT_100 = "appraisals.weights_not_100", _("开启考核前，每个岗位启用指标的权重合计须为 100%（KPI-1，409）")
    NOT_APPRAISEE = "appraisals.not_appraisee", _("只有被考核人本人可以自评（KPI-4，403）")
    SELF_APPRAISAL = "appraisals.self_appraisal", _("不能评价或定稿自己的考核（KPI-4，403）")
    SCORE_INVALID = "appraisals.score_invalid", _("评分须在 0–100 之间（400）")
    CUSTOMER_SOURCE_REQUIRED = "appraisals.customer_source_required", _("填写客户评价分时须注明来源（KPI-4，400）")
    COURSE_UNKNOWN = "appraisals.course_unknown", _("所选培训课程不存在（400）")
    CYCLE_HAS_PENDING = "appraisals.cycle_has_pending", _("还有未定稿的考核，不能结束周期（409）")
