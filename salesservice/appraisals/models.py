"""Appraisals: the KPI engine and appraisal cycles (issue 15 §4–5; KPI-1…KPI-6).

- `KpiDefinition` 考核指标 (KPI-1, KPI-2, KPI-6): for one post (a role code such as `cs_rep`), a metric of the
  registry (`metrics.py`) with its weight, target and direction; the weights of a post's active definitions sum
  to 100.
- `AppraisalCycle` 考核周期 (KPI-3): monthly, quarterly or annual over a period, with a deadline.
- `Appraisal` 考核 (KPI-4, KPI-5): one person's appraisal in a cycle — the KPI lines snapshotted at opening,
  the self, supervisor (with the judged attitude and ability scores) and customer evaluations, the final score,
  grade and the consequences decided (bonus tier, promotion proposal, targeted training).
- `KpiLine`: one KPI of an appraisal as computed when the cycle opened (value, numerator, denominator, target,
  score 0–100, weight).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from .choices import AppraisalStatus, BonusTier, CustomerSource, CycleKind, CycleStatus, Grade

USER = settings.AUTH_USER_MODEL
SCORE = dict(max_digits=5, decimal_places=1, null=True, blank=True)


class KpiDefinition(VersionedModel):
    """A KPI of a post 岗位考核指标 (KPI-1, KPI-2, KPI-6): metric key, weight %, target and direction."""

    post = models.CharField(_("岗位"), max_length=40, db_index=True, help_text=_("角色编码，如 cs_rep"))
    code = models.SlugField(_("编码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    metric = models.CharField(_("指标"), max_length=40)
    weight = models.PositiveSmallIntegerField(_("权重（%）"))
    target = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2)
    higher_is_better = models.BooleanField(_("越高越好"), default=True)
    active = models.BooleanField(_("启用"), default=True)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["post", "-weight", "code"]
        constraints = [models.UniqueConstraint(fields=["post", "code"], name="kpi_post_code_unique")]

    def __str__(self):
        return f"{self.post}/{self.code}"


class AppraisalCycle(VersionedModel):
    """An appraisal cycle 考核周期 (KPI-3): kind and period (inclusive), the deadline of its appraisals."""

    kind = models.CharField(_("类型"), max_length=20, choices=CycleKind.choices)
    period_start = models.DateField(_("期间开始"))
    period_end = models.DateField(_("期间结束"))
    deadline = models.DateField(_("完成期限"))
    status = models.CharField(_("状态"), max_length=20, choices=CycleStatus.choices, default=CycleStatus.OPEN)
    opened_at = models.DateTimeField(_("开启时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核周期")
        verbose_name_plural = _("考核周期")
        ordering = ["-period_start", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "period_start"], name="cycle_kind_period_unique")]
        permissions = [("close_appraisalcycle", "可结束考核周期")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.label}"

    @property
    def label(self) -> str:
        if self.kind == CycleKind.MONTHLY:
            return f"{self.period_start:%Y-%m}"
        if self.kind == CycleKind.QUARTERLY:
            return f"{self.period_start.year} Q{(self.period_start.month - 1) // 3 + 1}"
        return f"{self.period_start.year}"


class AppraisalQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Managers, HR and auditors: the appraisals of the units in their scope; everyone else: their own."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.has_perm("appraisals.view_appraisal"):
            return super().visible_to(user)
        return self.filter(appraisee=user)


class Appraisal(VersionedModel):
    """One person's appraisal in a cycle 考核表 (KPI-4, KPI-5): pending_self → pending_supervisor → evaluated →
    finalised. Scoped to the appraisee's unit at opening."""

    cycle = models.ForeignKey(AppraisalCycle, on_delete=models.PROTECT, related_name="appraisals")
    appraisee = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="appraisals", verbose_name=_("被考核人"))
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    post = models.CharField(_("岗位"), max_length=40)
    status = models.CharField(
        _("状态"), max_length=20, choices=AppraisalStatus.choices, default=AppraisalStatus.PENDING_SELF
    )
    kpi_score = models.DecimalField(_("KPI 加权得分"), **SCORE)
    # KPI-4: self-evaluation
    self_score = models.DecimalField(_("自评分"), **SCORE)
    self_comment = models.TextField(_("自评说明"), blank=True)
    self_evaluated_at = models.DateTimeField(_("自评时间"), null=True, blank=True)
    # KPI-4: supervisor evaluation; KPI-2: judged attitude and ability
    supervisor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("评价人")
    )
    supervisor_score = models.DecimalField(_("上级评分"), **SCORE)
    attitude_score = models.DecimalField(_("工作态度（评定）"), **SCORE)
    ability_score = models.DecimalField(_("工作能力（评定）"), **SCORE)
    supervisor_comment = models.TextField(_("上级评语"), blank=True)
    customer_score = models.DecimalField(_("客户评价分"), **SCORE)
    customer_source = models.CharField(_("客户评价来源"), max_length=20, choices=CustomerSource.choices, blank=True)
    evaluated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    # KPI-5: result and consequences
    final_score = models.DecimalField(_("最终得分"), **SCORE)
    grade = models.CharField(_("等级"), max_length=1, choices=Grade.choices, blank=True)
    bonus_tier = models.CharField(_("奖金档次"), max_length=20, choices=BonusTier.choices, blank=True)
    promotion_proposed = models.BooleanField(_("建议晋升"), default=False)
    training_course = models.ForeignKey(
        "people.Course", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("针对性培训")
    )
    result_note = models.TextField(_("结果说明（奖惩、调薪等）"), blank=True)
    finalised_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("定稿人")
    )
    finalised_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    reminded_on = models.DateField(_("最近提醒日期"), null=True, blank=True)

    objects = AppraisalQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("考核")
        verbose_name_plural = _("考核")
        ordering = ["-cycle__period_start", "appraisee_id"]
        constraints = [models.UniqueConstraint(fields=["cycle", "appraisee"], name="appraisal_cycle_person_unique")]
        indexes = [models.Index(fields=["status", "cycle"], name="appraisal_status_cycle")]
        permissions = [
            ("view_own_appraisal", "可查看本人考核"),
            ("self_evaluate_appraisal", "可自评"),
            ("evaluate_appraisal", "可评价下属考核"),
            ("finalise_appraisal", "可考核定稿"),
        ]

    def __str__(self):
        return f"{self.cycle} · {self.appraisee}"

    @property
    def post_label(self) -> str:
        from salesservice.core.roles import ROLES_BY_CODE

        role = ROLES_BY_CODE.get(self.post)
        return str(role.label) if role else self.post


class KpiLine(models.Model):
    """One KPI of an appraisal, snapshotted at opening (KPI-1, KPI-2, KPI-6): value, target, score 0–100, weight."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="lines")
    code = models.CharField(_("编码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    metric = models.CharField(_("指标"), max_length=40)
    weight = models.PositiveSmallIntegerField(_("权重（%）"))
    target = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2)
    higher_is_better = models.BooleanField(_("越高越好"), default=True)
    value = models.DecimalField(_("实际值"), max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(_("分子"), max_digits=16, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(_("分母"), max_digits=16, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("得分"), **SCORE)

    class Meta:
        verbose_name = _("KPI 明细")
        verbose_name_plural = _("KPI 明细")
        ordering = ["appraisal", "-weight", "code"]

    def __str__(self):
        return self.code
