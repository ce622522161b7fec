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

from .choices import CertificationState


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


class CertificationQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """HQ sees all; others the certifications of users with a membership in their units (INF-1)."""
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
