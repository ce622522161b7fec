"""Choices of the appraisals app: cycle kinds and statuses (KPI-3), appraisal statuses (KPI-4), grades and bonus
tiers (KPI-5), and the timeline events. The moves between statuses are declared in workflows.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CycleKind(models.TextChoices):
    """KPI-3: monthly (in the first days of the next month), quarterly, annual (in January)."""

    MONTHLY = "monthly", _("月度")
    QUARTERLY = "quarterly", _("季度")
    ANNUAL = "annual", _("年度")


class CycleStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class AppraisalStatus(models.TextChoices):
    """KPI-4: self-evaluation → supervisor (and customer) evaluation → finalised with consequences (KPI-5)."""

    PENDING_SELF = "pending_self", _("待自评")
    PENDING_SUPERVISOR = "pending_supervisor", _("待上级评价")
    EVALUATED = "evaluated", _("待定稿")
    FINALISED = "finalised", _("已定稿")


class Grade(models.TextChoices):
    """KPI-5: A ≥ 90, B ≥ 75, C ≥ 60, else D (of the final score)."""

    A = "A", _("A 优秀")
    B = "B", _("B 良好")
    C = "C", _("C 合格")
    D = "D", _("D 待改进")


class BonusTier(models.TextChoices):
    """KPI-5: the bonus tier the result drives (奖金档次)."""

    FULL_PLUS = "plus", _("上浮（120%）")
    FULL = "full", _("全额（100%）")
    REDUCED = "reduced", _("减发（80%）")
    NONE = "none", _("不发（0）")


class CustomerSource(models.TextChoices):
    """KPI-4: where the customer evaluation comes from."""

    SURVEY = "survey", _("回访调查")
    SERVICE_RATING = "service_rating", _("服务单满意度")
    COMPLAINT = "complaint", _("投诉/表扬记录")
    OTHER = "other", _("其他")


class EventType(models.TextChoices):
    """Typed timeline events of the appraisals app (registered by the app registry)."""

    KPI_DEFINED = "appraisals.kpi_defined", _("新增考核指标")
    KPI_CHANGED = "appraisals.kpi_changed", _("修改考核指标")
    CYCLE_OPENED = "appraisals.cycle_opened", _("开启考核周期")
    CYCLE_CLOSED = "appraisals.cycle_closed", _("结束考核周期")
    SELF_EVALUATED = "appraisals.self_evaluated", _("员工自评")
    EVALUATED = "appraisals.evaluated", _("上级评价")
    FINALISED = "appraisals.finalised", _("考核定稿")
    REMINDED = "appraisals.reminded", _("考核截止提醒")
