"""Follow-up visits 回访, satisfaction surveys 满意度问卷 and the suggestion box 意见箱 (FBK-1 … FBK-4).

Seeds: 000 客户回访 / 客户评价渠道; 002 §6.7 (satisfaction by phone, email, letters, questionnaires,
analysed); 003 客户监督 (意见箱、在线评价平台); 004 通程 (100 % follow-up of service customers).

Follow-ups, survey links/responses and suggestions are scoped to their store (INF-1). Survey
templates are company-wide and versioned: a template that has answers is never edited — a new
revision is created, so old answers keep pointing at the questions they answered.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from .choices import (
    OPEN_FOLLOW_UP_STATUSES,
    AttemptChannel,
    FollowUpKind,
    FollowUpStatus,
    QuestionKind,
    SourceKind,
    SuggestionKind,
    SuggestionStatus,
)


class FollowUp(VersionedModel):
    """A follow-up visit 回访 of a customer (FBK-1, FBK-2).

    Scheduled automatically for every closed service request (coverage target: policy
    `feedback.follow_up_coverage_target`, 100 %), every closed complaint and periodically for key
    accounts; or created by staff (after a delivery …). The source is a generic reference
    (`source_kind` + `source_id` + `source_number`) with a real FK for service requests; it is unique
    per source (and cadence window for key accounts) so scheduling twice never doubles a follow-up.
    Attempts record each try; completing records the outcome, satisfaction and issues raised, which
    can open a new service request or complaint in one click (linked back here).
    """

    number = models.CharField(_("回访单号"), max_length=30, unique=True)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("客户")
    )
    store = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("门店"))
    kind = models.CharField(_("回访类型"), max_length=30, choices=FollowUpKind.choices)
    service_request = models.ForeignKey(
        "service.ServiceRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("来源服务单"),
    )
    source_kind = models.CharField(_("来源类型"), max_length=20, choices=SourceKind.choices, default=SourceKind.NONE)
    source_id = models.PositiveBigIntegerField(_("来源 ID"), null=True, blank=True)
    source_number = models.CharField(_("来源单号"), max_length=40, blank=True)
    period_key = models.CharField(_("周期"), max_length=20, blank=True, help_text=_("重点客户定期回访的周期编号"))
    due_at = models.DateTimeField(_("应回访时间"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("回访人"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.SCHEDULED
    )
    attempt_count = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_attempt_at = models.DateTimeField(_("最近尝试"), null=True, blank=True)
    outcome = models.TextField(_("回访结果"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    issues_raised = models.TextField(_("客户反映的问题"), blank=True)
    completed_at = models.DateTimeField(_("回访完成时间"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("完成人"),
    )
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    close_reason = models.CharField(_("关闭说明"), max_length=300, blank=True)
    reminded_at = models.DateTimeField(_("到期提醒时间"), null=True, blank=True)
    opened_service_request = models.ForeignKey(
        "service.ServiceRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opened_by_follow_ups",
        verbose_name=_("转出的服务单"),
    )
    opened_complaint_id = models.PositiveBigIntegerField(_("转出的投诉 ID"), null=True, blank=True)
    opened_complaint_number = models.CharField(_("转出的投诉单号"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope_field = "store"

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["store", "status", "due_at"], name="fu_store_status_due"),
            models.Index(fields=["assignee", "status", "due_at"], name="fu_assignee_status_due"),
            # The reminder job's work list: open, not yet reminded (FBK-1 remind).
            models.Index(
                fields=["due_at"],
                name="fu_remind_due",
                condition=Q(status="scheduled", reminded_at__isnull=True),
            ),
        ]
        constraints = [
            # Idempotent scheduling (FBK-2): one follow-up per source (and per cadence window).
            models.UniqueConstraint(
                fields=["source_kind", "source_id", "period_key"],
                condition=Q(source_id__isnull=False),
                name="uniq_follow_up_source",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="fu_satisfaction_range",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_FOLLOW_UP_STATUSES

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at <= (now or timezone.now())


class FollowUpChildQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(follow_up__in=FollowUp.objects.visible_to(user).values("pk"))


class FollowUpAttempt(models.Model):
    """One try to reach the customer (FBK-1): when, how, reached or not, what was said."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("回访"))
    attempted_at = models.DateTimeField(_("时间"))
    channel = models.CharField(_("方式"), max_length=20, choices=AttemptChannel.choices)
    reached = models.BooleanField(_("已联系上"))
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = FollowUpChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("回访尝试")
        verbose_name_plural = _("回访尝试")
        ordering = ["follow_up", "attempted_at", "id"]

    def __str__(self):
        return f"{self.follow_up_id} @ {self.attempted_at:%Y-%m-%d %H:%M}"


class SurveyTemplateQuerySet(models.QuerySet):
    """Templates are company-wide: whoever may view them sees all."""

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.has_perm("feedback.view_surveytemplate"):
            return self.none()
        return self

    def current(self):
        return self.filter(is_current=True)


class SurveyTemplate(VersionedModel):
    """A satisfaction questionnaire 满意度问卷 (FBK-3, FBK-4), one revision of a family (`key`).

    Revisions are immutable once answered: `survey_template_revise` edits in place only while no
    response points at it, otherwise it creates revision n+1 (`is_current`) and the old one keeps
    its questions for the answers already given.
    """

    key = models.SlugField(_("问卷编码"), max_length=40)
    revision = models.PositiveIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    is_current = models.BooleanField(_("当前版本"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("上一版本")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = SurveyTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("满意度问卷")
        verbose_name_plural = _("满意度问卷")
        ordering = ["key", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["key", "revision"], name="uniq_survey_template_revision"),
            models.UniqueConstraint(fields=["key"], condition=Q(is_current=True), name="uniq_survey_template_current"),
        ]

    def __str__(self):
        return f"{self.name} v{self.revision}"


class SurveyQuestion(models.Model):
    """A question of one template revision: rating 1–5, NPS 0–10, single/multiple choice or text."""

    template = models.ForeignKey(
        SurveyTemplate, on_delete=models.PROTECT, related_name="questions", verbose_name=_("问卷")
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("题型"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("题目"), max_length=300)
    options = models.JSONField(_("选项"), default=list, blank=True)
    required = models.BooleanField(_("必答"), default=True)

    class Meta:
        verbose_name = _("问卷题目")
        verbose_name_plural = _("问卷题目")
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "order"], name="uniq_survey_question_order")]

    def __str__(self):
        return f"{self.order}. {self.text}"


class SurveyLink(models.Model):
    """A tokenised survey invitation (FBK-3): only the token's sha256 is stored; one answer; expiry.

    Its subject — a service request (FK), or a complaint / delivery by generic reference — plus the
    customer, store, staff involved and product, so the answers can be analysed by each (FBK-4).
    """

    token_hash = models.CharField(max_length=64, unique=True)
    template = models.ForeignKey(
        SurveyTemplate, on_delete=models.PROTECT, related_name="links", verbose_name=_("问卷版本")
    )
    service_request = models.ForeignKey(
        "service.ServiceRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_links",
        verbose_name=_("服务单"),
    )
    source_kind = models.CharField(_("来源类型"), max_length=20, choices=SourceKind.choices, default=SourceKind.NONE)
    source_id = models.PositiveBigIntegerField(_("来源 ID"), null=True, blank=True)
    source_number = models.CharField(_("来源单号"), max_length=40, blank=True)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="survey_links", verbose_name=_("客户")
    )
    store = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("门店"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("服务人员"),
    )
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("商品")
    )
    sent_at = models.DateTimeField(_("发送时间"))
    sent_via = models.CharField(_("发送方式"), max_length=40, blank=True)
    expires_at = models.DateTimeField(_("有效期至"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope_field = "store"

    class Meta:
        verbose_name = _("问卷链接")
        verbose_name_plural = _("问卷链接")
        ordering = ["-sent_at", "-id"]
        constraints = [
            # Idempotent sending: one invitation per subject.
            models.UniqueConstraint(
                fields=["source_kind", "source_id"], condition=Q(source_id__isnull=False), name="uniq_survey_source"
            )
        ]

    def __str__(self):
        return f"{self.source_number or self.pk} → {self.expires_at:%Y-%m-%d}"


class SurveyResponse(models.Model):
    """A customer's answers to one link (FBK-4) — exactly one per link (unique + row lock).

    Copies the link's subject (customer, store, staff, product, source) so results are scoped and
    grouped without joins through the link.
    """

    link = models.OneToOneField(SurveyLink, on_delete=models.PROTECT, related_name="response", verbose_name=_("链接"))
    template = models.ForeignKey(
        SurveyTemplate, on_delete=models.PROTECT, related_name="responses", verbose_name=_("问卷版本")
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="survey_responses", verbose_name=_("客户")
    )
    store = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("门店"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("服务人员"),
    )
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("商品")
    )
    service_request = models.ForeignKey(
        "service.ServiceRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("服务单"),
    )
    source_kind = models.CharField(_("来源类型"), max_length=20, choices=SourceKind.choices, default=SourceKind.NONE)
    source_id = models.PositiveBigIntegerField(_("来源 ID"), null=True, blank=True)
    source_number = models.CharField(_("来源单号"), max_length=40, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "store"

    class Meta:
        verbose_name = _("问卷答复")
        verbose_name_plural = _("问卷答复")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["store", "-submitted_at"], name="sresp_store_submitted")]

    def __str__(self):
        return f"{self.customer_id} @ {self.submitted_at:%Y-%m-%d}"


class SurveyAnswer(models.Model):
    """One answer: `score` for rating/NPS, `choices` for choice questions, `text` for text (FBK-4).

    `kind` copies the question's kind so CSAT/NPS aggregate without a join.
    """

    response = models.ForeignKey(SurveyResponse, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    kind = models.CharField(_("题型"), max_length=20, choices=QuestionKind.choices)
    score = models.SmallIntegerField(_("分值"), null=True, blank=True)
    choices = models.JSONField(_("选择"), default=list, blank=True)
    text = models.TextField(_("文字"), blank=True)

    class Meta:
        verbose_name = _("问卷答案")
        verbose_name_plural = _("问卷答案")
        ordering = ["response", "question__order"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="uniq_survey_answer"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=10), name="survey_answer_score_range"
            ),
        ]
        indexes = [models.Index(fields=["kind", "score"], name="sanswer_kind_score")]

    def __str__(self):
        return f"{self.response_id}/{self.question_id}"


class Suggestion(VersionedModel):
    """An entry of the public suggestion box / online evaluation 意见箱、在线评价 (FBK-3; seed 003 客户监督).

    Anyone may submit (rate-limited); staff triage it into a suggestion, convert it into a complaint
    (through the complaints app's service when installed) or close it.
    """

    number = models.CharField(_("编号"), max_length=30, unique=True)
    name = models.CharField(_("姓名"), max_length=60)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    store = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("门店"))
    kind = models.CharField(_("类型"), max_length=20, choices=SuggestionKind.choices)
    rating = models.PositiveSmallIntegerField(
        _("评价"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("内容"))
    status = models.CharField(_("状态"), max_length=30, choices=SuggestionStatus.choices, default=SuggestionStatus.NEW)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    triage_note = models.TextField(_("处理说明"), blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    triaged_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    complaint_id = models.PositiveBigIntegerField(_("投诉 ID"), null=True, blank=True)
    complaint_number = models.CharField(_("投诉单号"), max_length=40, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "store"
    personal_data_fields = ("phone",)

    class Meta:
        verbose_name = _("客户意见")
        verbose_name_plural = _("客户意见")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["store", "status", "-submitted_at"], name="sugg_store_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="suggestion_rating_range"
            )
        ]

    def __str__(self):
        return self.number
