"""Training needs, the annual plan, its sessions and their effect (PPL-2, PPL-3, PPL-5; seeds 000 培訓,
001 第十七/十八条, 003 培訓計劃 / 培訓效果評估).

- `TrainingNeed`: a gap of a post or a person, from an appraisal, a new hire, a new product, a complaint or a
  session's effect evaluation; open → planned → closed.
- `TrainingPlan`: a unit's annual plan, draft → approved; scoped to its unit.
- `TrainingSession`: one session of a plan — a course or a topic, kind, date, trainer, method; participants
  enrolled (`SessionParticipant`) and their attendance.
- `EffectEvaluation`: after a session — reaction, exam results of its course, behaviour change; it may raise a
  new training need (fed back).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from ..choices import Attendance, NeedPriority, NeedSource, NeedStatus, PlanStatus, SessionKind, SessionMethod

USER = settings.AUTH_USER_MODEL


class TrainingNeed(VersionedModel):
    """培训需求 (PPL-3; 003 培訓需求分析): the gap of a post or a person, its source and priority."""

    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    post = models.ForeignKey(
        "people.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("岗位")
    )
    user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("人员")
    )
    gap = models.TextField(_("能力差距"), max_length=2000)
    source = models.CharField(_("来源"), max_length=20, choices=NeedSource.choices)
    priority = models.CharField(_("优先级"), max_length=10, choices=NeedPriority.choices, default=NeedPriority.MEDIUM)
    status = models.CharField(_("状态"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    evaluation = models.ForeignKey(
        "people.EffectEvaluation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="raised_needs",
        verbose_name=_("来自效果评估"),
    )
    raised_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("培训需求")
        verbose_name_plural = _("培训需求")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.gap[:40]


class TrainingPlan(VersionedModel):
    """年度培训计划 (PPL-3): one unit's plan for a year, draft → approved. Scoped to its unit."""

    year = models.PositiveSmallIntegerField(_("年度"))
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    title = models.CharField(_("计划名称"), max_length=120)
    status = models.CharField(_("状态"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    notes = models.TextField(_("说明"), blank=True, max_length=3000)
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("批准人")
    )
    created_by = models.ForeignKey(
        USER, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("编制人")
    )

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("年度培训计划")
        verbose_name_plural = _("年度培训计划")
        ordering = ["-year", "org_unit__path", "id"]
        permissions = [("approve_trainingplan", _("批准年度培训计划"))]
        constraints = [models.UniqueConstraint(fields=["year", "org_unit"], name="people_plan_year_unit")]

    def __str__(self):
        return self.title


class TrainingSession(VersionedModel):
    """培训场次 (PPL-2): a course or a topic, its kind, date, trainer and method; participants enrolled.

    `attendance_recorded_at` empty after `planned_on`: HR is reminded (PPL-3)."""

    plan = models.ForeignKey(TrainingPlan, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("计划"))
    course = models.ForeignKey(
        "people.Course",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("课程"),
    )
    topic = models.CharField(_("培训主题"), max_length=200)
    kind = models.CharField(_("培训类别"), max_length=20, choices=SessionKind.choices)
    planned_on = models.DateField(_("计划日期"))
    trainer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("培训讲师"))
    method = models.CharField(
        _("培训方式"), max_length=20, choices=SessionMethod.choices, default=SessionMethod.LECTURE
    )
    location = models.CharField(_("地点"), max_length=200, blank=True)
    participants = models.ManyToManyField(
        USER, through="people.SessionParticipant", related_name="training_sessions", verbose_name=_("参训人员")
    )
    attendance_recorded_at = models.DateTimeField(_("出勤登记时间"), null=True, blank=True)
    reminded_on = models.DateField(_("已提醒（培训前）"), null=True, blank=True)
    overdue_reminded_on = models.DateField(_("已提醒（未登记出勤）"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "plan__org_unit"

    class Meta:
        verbose_name = _("培训场次")
        verbose_name_plural = _("培训场次")
        ordering = ["planned_on", "id"]
        indexes = [models.Index(fields=["planned_on", "attendance_recorded_at"], name="people_session_due")]

    def __str__(self):
        return f"{self.planned_on} {self.topic}"


class SessionParticipant(models.Model):
    """One person enrolled in a session, and their attendance (blank until recorded) (PPL-2)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="training_enrolments", verbose_name=_("人员"))
    attendance = models.CharField(_("出勤"), max_length=10, choices=Attendance.choices, blank=True)

    class Meta:
        verbose_name = _("参训人员")
        verbose_name_plural = _("参训人员")
        ordering = ["session", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="people_participant_unique")]
        indexes = [models.Index(fields=["user", "attendance"], name="people_participant_user")]

    def __str__(self):
        return f"{self.session} · {self.user}"


class EffectEvaluation(VersionedModel):
    """培训效果评估 (PPL-5; 003): reaction (1–5), exam results of the session's course, behaviour change
    assessed by the trainer or manager; may raise a new training need (fed back)."""

    session = models.OneToOneField(
        TrainingSession, on_delete=models.PROTECT, related_name="evaluation", verbose_name=_("培训场次")
    )
    reaction_score = models.DecimalField(_("学员满意度（1–5）"), max_digits=3, decimal_places=2)
    behaviour_change = models.TextField(_("行为改变评估"), max_length=3000)
    exam_takers = models.PositiveIntegerField(_("参加考试人数"), default=0)
    exam_passed = models.PositiveIntegerField(_("考试合格人数"), default=0)
    evaluated_on = models.DateField(_("评估日期"))
    evaluated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("评估人"))

    class Meta:
        verbose_name = _("培训效果评估")
        verbose_name_plural = _("培训效果评估")
        ordering = ["-evaluated_on", "-id"]

    def __str__(self):
        return f"{self.session}"
