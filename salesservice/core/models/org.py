"""Org units (company → region → store, plus departments), users and their role memberships."""

from django.contrib.auth.models import AbstractUser, Group
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import OrgUnitKind
from .base import ScopedQuerySet, VersionedModel


class OrgUnitQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from salesservice.core.scoping import visible_unit_ids

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        unit_ids = visible_unit_ids(user)
        return self if unit_ids is None else self.filter(pk__in=unit_ids)


class OrgUnit(VersionedModel):
    """A node of the organisation tree: the company (HQ), a region (区部), a store (门店) or a department.

    `path` is the materialised chain of ids ("/1/3/7/") so a subtree is one indexed prefix query.
    INF-1: org units are the boundary of what a user may see.
    """

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = OrgUnitQuerySet.as_manager()
    scope_field = "pk"

    class Meta:
        verbose_name = _("组织单元")
        verbose_name_plural = _("组织单元")
        ordering = ["path"]

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class UserQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from salesservice.core.scoping import visible_unit_ids

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        unit_ids = visible_unit_ids(user)
        if unit_ids is None:
            return self
        members = Membership.objects.filter(org_unit__in=unit_ids).values("user_id")
        return self.filter(models.Q(pk=user.pk) | models.Q(pk__in=members))


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True


class User(AbstractUser):
    """A staff member or an outsourced provider's dispatcher. Roles come from memberships."""

    display_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("手机号"), max_length=30, blank=True)
    employee_no = models.CharField(_("工号"), max_length=30, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = UserManager()
    scope_field = "memberships__org_unit"
    personal_data_fields = ("phone", "email")

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        permissions = [
            ("reveal_personal_data", _("可查看完整个人信息")),
            ("export_personal_data", _("可导出个人信息")),
        ]

    def __str__(self):
        return self.display_name or self.username

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Membership(models.Model):
    """User U holds role R (a Group) in org unit O. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("用户"))
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("组织单元")
    )
    role = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("角色"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("岗位任职")
        verbose_name_plural = _("岗位任职")
        constraints = [models.UniqueConstraint(fields=["user", "org_unit", "role"], name="uniq_membership")]

    def __str__(self):
        return f"{self.user} · {self.role} @ {self.org_unit}"
