"""Engineer certifications (上岗资格): the PPL-4 gate of after-sales dispatch.

Seed 001 第十九条 and seed 004 §4.1.4: only staff who passed the exam after training take up
the post. A certification covers one product category and all its subcategories; it is never
deleted, only revoked with who, when and why, so the gate can be answered for any past day.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from ..choices import AnswerOption, CertificationState, ExamAttemptStatus, ExamKind


def moment_and_day(at=None) -> tuple[dt.datetime, dt.date]:
    """`at` (None = now, an aware datetime, or a local date) as (moment, local date).

    A date means "by the end of that day": a revocation made that day already counts.
    """
    if at is None:
        now = timezone.now()
        return now, timezone.localdate(now)
    if isinstance(at, dt.datetime):
        return at, timezone.localdate(at)
    end = timezone.make_aware(dt.datetime.combine(at + dt.timedelta(days=1), dt.time.min))
    return end, at


class MemberScopedQuerySet(ScopedQuerySet):
    """Rows about a person (`user`): visible where the person has a membership (INF-1)."""

    def visible_to(self, user):
        """HQ sees all; others the rows of users with a membership in their units (INF-1)."""
        from salesservice.core.models import Membership
        from salesservice.core.scoping import visible_unit_ids

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        unit_ids = visible_unit_ids(user)
        if unit_ids is None:
            return self
        members = Membership.objects.filter(org_unit__in=unit_ids).values("user_id")
        return self.filter(user__in=members)


class CertificationQuerySet(MemberScopedQuerySet):
    def valid_on(self, at=None):
        """Issued by `at`, not expired on its local date, and not revoked by that moment (PPL-4)."""
        moment, day = moment_and_day(at)
        return self.filter(issued_at__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
            Q(revoked_at__isnull=True) | Q(revoked_at__gt=moment),
        )

    def not_valid_on(self, at=None):
        """Expired, revoked or not yet in force on `at`."""
        return self.exclude(pk__in=Certification.objects.valid_on(at).values("pk"))

    def covering(self, category):
        """Certifications whose category is `category` or one of its ancestors."""
        return self.filter(category_id__in=category_ancestor_ids(category))


def category_ancestor_ids(category) -> list[int]:
    """The category itself and every category above it, from its materialised path ("/1/4/")."""
    ids = [int(part) for part in (category.path or "").strip("/").split("/") if part]
    return ids or [category.pk]


class Certification(VersionedModel):
    """An engineer's 上岗资格证 for a product category (PPL-4 / SRV dispatch gate).

    Covers `category` and all its subcategories. `valid_until` empty = long-term. Revoked,
    never deleted (seed 001 第十九条: only those who pass take up the post).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certifications", verbose_name=_("工程师")
    )
    category = models.ForeignKey(
        "catalog.ProductCategory", on_delete=models.PROTECT, related_name="certifications", verbose_name=_("商品分类")
    )
    certificate_no = models.CharField(_("证书编号"), max_length=60)
    issued_by = models.CharField(_("发证机构"), max_length=100, blank=True)
    issued_at = models.DateField(_("发证日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("留空表示长期有效"))
    evidence = models.ForeignKey(
        "core.Attachment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("证书扫描件"),
    )
    notes = models.TextField(_("备注"), blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("吊销人"),
    )
    revoked_reason = models.TextField(_("吊销原因"), blank=True)
    exam_attempt = models.ForeignKey(
        "people.ExamAttempt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certifications",
        verbose_name=_("颁发/延续依据的考试"),
        help_text=_("空：手工登记（历史证书导入）"),
    )
    expiry_reminded_for = models.DateField(
        _("已提醒到期日"), null=True, blank=True, help_text=_("已就此到期日发出到期提醒（每个到期日只提醒一次）")
    )

    objects = CertificationQuerySet.as_manager()
    scope_field = "user__memberships__org_unit"

    class Meta:
        verbose_name = _("上岗资格")
        verbose_name_plural = _("上岗资格")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["user", "revoked_at", "valid_until"], name="people_cert_user_valid"),
            models.Index(fields=["category", "revoked_at", "valid_until"], name="people_cert_cat_valid"),
            models.Index(fields=["certificate_no"], name="people_cert_no"),
            models.Index(fields=["valid_until"], name="people_cert_valid_until"),
        ]

    def __str__(self):
        return f"{self.certificate_no} {self.user}"

    def state_on(self, at=None) -> str:
        moment, day = moment_and_day(at)
        if self.revoked_at is not None and self.revoked_at <= moment:
            return CertificationState.REVOKED
        if self.issued_at > day:
            return CertificationState.NOT_YET_VALID
        if self.valid_until is not None and self.valid_until < day:
            return CertificationState.EXPIRED
        return CertificationState.VALID

    @property
    def state(self) -> str:
        return self.state_on()

    def get_state_display(self) -> str:
        return str(CertificationState(self.state).label)


class Course(VersionedModel):
    """培训课程 (PPL-2/PPL-4): the training that leads to a certification for a product category.

    Passing its exam (score ≥ `pass_mark`) issues or renews the engineer's certification for `category`,
    valid for `validity_months` (seed 001 第十九条: only those who pass take up the post).
    """

    title = models.CharField(_("课程名称"), max_length=120)
    category = models.ForeignKey(
        "catalog.ProductCategory", on_delete=models.PROTECT, related_name="courses", verbose_name=_("认证商品分类")
    )
    kind = models.CharField(_("考核方式"), max_length=20, choices=ExamKind.choices, default=ExamKind.WRITTEN)
    validity_months = models.PositiveSmallIntegerField(_("证书有效期（月）"), default=24)
    pass_mark = models.PositiveSmallIntegerField(_("合格分数"), default=80, help_text=_("满分 100"))
    content = models.TextField(_("课程内容与资料"), blank=True, max_length=10000)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")
        ordering = ["title", "id"]

    def __str__(self):
        return self.title


class Question(models.Model):
    """A single-choice question of a course's question bank (PPL-4). Removed questions are kept, inactive."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="questions", verbose_name=_("课程"))
    text = models.TextField(_("题干"), max_length=2000)
    option_a = models.CharField(_("选项 A"), max_length=300)
    option_b = models.CharField(_("选项 B"), max_length=300)
    option_c = models.CharField(_("选项 C"), max_length=300)
    option_d = models.CharField(_("选项 D"), max_length=300)
    answer = models.CharField(_("正确答案"), max_length=1, choices=AnswerOption.choices)
    position = models.PositiveIntegerField(_("序号"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("考题")
        verbose_name_plural = _("考题")
        ordering = ["course", "position", "id"]

    def __str__(self):
        return self.text[:40]

    @property
    def options(self) -> list[tuple[str, str]]:
        return [("A", self.option_a), ("B", self.option_b), ("C", self.option_c), ("D", self.option_d)]


class ExamAttemptQuerySet(MemberScopedQuerySet):
    pass


class ExamAttempt(VersionedModel):
    """One exam of one engineer on one course (PPL-4; seed 001 第十九条, 004 §4.1.4).

    Written: the engineer answers the questions on a page and the system scores them — a score is never
    typed in. Practical: the trainer records the score and a note. Scored attempts are immutable;
    `failure_streak` is the number of failed attempts in a row on this course ending with this one.
    """

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("课程"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exam_attempts", verbose_name=_("工程师")
    )
    kind = models.CharField(_("考核方式"), max_length=20, choices=ExamKind.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=ExamAttemptStatus.choices, default=ExamAttemptStatus.STARTED
    )
    started_at = models.DateTimeField(_("开始时间"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起人")
    )
    question_ids = models.JSONField(_("考题"), default=list, blank=True)
    answers = models.JSONField(_("答案"), default=dict, blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("合格分数"))
    score = models.PositiveSmallIntegerField(_("成绩"), null=True, blank=True)
    passed = models.BooleanField(_("是否合格"), null=True, blank=True)
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("评分人"),
    )
    note = models.TextField(_("考核说明"), blank=True, max_length=2000)
    failure_streak = models.PositiveSmallIntegerField(_("连续不合格次数"), default=0)

    objects = ExamAttemptQuerySet.as_manager()
    scope_field = "user__memberships__org_unit"

    class Meta:
        verbose_name = _("考试记录")
        verbose_name_plural = _("考试记录")
        ordering = ["-started_at", "-id"]
        permissions = [("take_exam", _("参加考试")), ("grade_examattempt", _("录入实操考核成绩"))]
        indexes = [models.Index(fields=["user", "course", "scored_at"], name="people_attempt_user_course")]

    def __str__(self):
        return f"{self.course} · {self.user}"
