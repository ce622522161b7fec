"""Posts 岗位说明书 and recruitment 招聘 (PPL-1; seeds 000 招聘標準, 004 §4.3.2.1).

- `Post`: the post description — duties, requirements (education, experience, skills, certificates) and the
  recruitment criteria; company-wide, read by everyone with the permission.
- `Candidate`: someone applying for a post in an org unit (the scope): applied → interviewed → written_test →
  background_check → hired | rejected; hired only with the three steps passed.
- `CandidateStepRecord`: the record of one step — who assessed, when, score/result, notes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesservice.core.choices import OrgUnitKind
from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from ..choices import CandidateSource, CandidateStatus, RecruitmentStep

USER = settings.AUTH_USER_MODEL


class Post(VersionedModel):
    """岗位说明书 (PPL-1; 004 §4.3.2.1): a post's duties, requirements and recruitment criteria."""

    name = models.CharField(_("岗位名称"), max_length=60)
    code = models.SlugField(_("岗位代码"), max_length=40, unique=True)
    level = models.CharField(_("所属层级"), max_length=20, choices=OrgUnitKind.choices, default=OrgUnitKind.STORE)
    reports_to = models.CharField(_("直接上级"), max_length=60, blank=True)
    duties = models.TextField(_("岗位职责"), max_length=5000)
    education = models.CharField(_("学历要求"), max_length=200, blank=True)
    experience = models.CharField(_("工作经验"), max_length=200, blank=True)
    skills = models.TextField(_("技能要求"), max_length=2000, blank=True)
    certificates = models.CharField(_("资格证书"), max_length=300, blank=True)
    criteria = models.TextField(_("招聘标准"), max_length=3000, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Candidate(VersionedModel):
    """应聘者 (PPL-1): interviewed, written-tested and background-checked before being hired (000 招聘標準).

    Phone and ID number are personal data: masked unless the role may reveal them; a full read is logged."""

    number = models.CharField(_("应聘编号"), max_length=30, unique=True)
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("应聘岗位"))
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("用人单位"))
    name = models.CharField(_("姓名"), max_length=60)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=30, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=CandidateSource.choices, default=CandidateSource.OTHER)
    status = models.CharField(
        _("状态"), max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.APPLIED
    )
    applied_on = models.DateField(_("报名日期"))
    notes = models.TextField(_("备注"), blank=True, max_length=2000)
    decided_at = models.DateTimeField(_("录用/不录用时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("决定人")
    )
    reject_reason = models.CharField(_("不录用原因"), max_length=500, blank=True)
    hired_user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("入职账号")
    )

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"
    personal_data_fields = ("phone", "id_number")
    reveal_permission = "people.reveal_candidate"

    class Meta:
        verbose_name = _("应聘者")
        verbose_name_plural = _("应聘者")
        ordering = ["-applied_on", "-id"]
        permissions = [("reveal_candidate", _("查看应聘者完整个人信息")), ("decide_candidate", _("录用/不录用"))]
        indexes = [models.Index(fields=["status", "applied_on"], name="people_candidate_status")]

    def __str__(self):
        return f"{self.number} {self.name}"

    def passed_steps(self) -> set[str]:
        """The steps with a passing record (PPL-1: a hire needs all three)."""
        return {record.step for record in self.step_records.all() if record.passed}


class CandidateStepRecord(models.Model):
    """The record of one recruitment step of a candidate: assessor, date, score and result, notes (PPL-1)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="step_records")
    step = models.CharField(_("环节"), max_length=20, choices=RecruitmentStep.choices)
    assessor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("面试/评估人"))
    held_on = models.DateField(_("日期"))
    score = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    passed = models.BooleanField(_("是否通过"))
    notes = models.TextField(_("记录"), blank=True, max_length=2000)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("招聘环节记录")
        verbose_name_plural = _("招聘环节记录")
        ordering = ["candidate", "held_on", "id"]

    def __str__(self):
        return f"{self.candidate} · {self.get_step_display()}"
