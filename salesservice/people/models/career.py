"""Career path 职业发展 (PPL-6; seed 003): the ladder 客服专员 → 客服主管 → 客服经理 as data, the post a person
holds since when, and development talks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import VersionedModel

from .exams import MemberScopedQuerySet

USER = settings.AUTH_USER_MODEL


class CareerStep(VersionedModel):
    """One rung of the ladder (PPL-6): from `from_post` to `to_post`, with its criteria — months in post,
    the minimum appraisal grade, the certifications (product categories) and courses passed required."""

    from_post = models.ForeignKey("people.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("现岗位"))
    to_post = models.ForeignKey("people.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("晋升岗位"))
    months_in_post = models.PositiveSmallIntegerField(_("现岗位最少任职月数"), default=12)
    min_grade = models.CharField(_("最低考核等级"), max_length=10, blank=True, help_text=_("如 A、B；留空不要求"))
    required_courses = models.ManyToManyField(
        "people.Course", blank=True, related_name="+", verbose_name=_("须考试合格的课程")
    )
    required_categories = models.ManyToManyField(
        "catalog.ProductCategory", blank=True, related_name="+", verbose_name=_("须持有有效上岗资格的商品分类")
    )
    notes = models.TextField(_("说明"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("职业发展阶梯")
        verbose_name_plural = _("职业发展阶梯")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["from_post", "to_post"], name="people_career_step_unique")]

    def __str__(self):
        return f"{self.from_post} → {self.to_post}"


class PostHolding(models.Model):
    """Who holds which post since when (PPL-6: months in post); `ended_on` empty = current."""

    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="post_holdings", verbose_name=_("人员"))
    post = models.ForeignKey("people.Post", on_delete=models.PROTECT, related_name="holdings", verbose_name=_("岗位"))
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)

    objects = MemberScopedQuerySet.as_manager()
    scope_field = "user__memberships__org_unit"

    class Meta:
        verbose_name = _("任职记录")
        verbose_name_plural = _("任职记录")
        ordering = ["user", "-started_on", "-id"]

    def __str__(self):
        return f"{self.user} · {self.post}"


class DevelopmentTalk(VersionedModel):
    """职业发展面谈 (PPL-6; 003): the manager and the person agree goals and actions; the next talk is set."""

    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="development_talks", verbose_name=_("员工"))
    manager = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("面谈上级"))
    held_on = models.DateField(_("面谈日期"))
    goals = models.TextField(_("发展目标"), max_length=3000)
    actions = models.TextField(_("约定的行动"), max_length=3000, blank=True)
    next_talk_on = models.DateField(_("下次面谈"), null=True, blank=True)

    objects = MemberScopedQuerySet.as_manager()
    scope_field = "user__memberships__org_unit"

    class Meta:
        verbose_name = _("职业发展面谈")
        verbose_name_plural = _("职业发展面谈")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.user} {self.held_on}"
