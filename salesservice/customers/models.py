"""Customers, their contacts, buyer qualifications, entrusted property and consents.

Every row is scoped through the owning store (INF-1): a customer by `store`, its child
records by `customer__store`. Personal data (phone, email, address, ID) is masked by default
and revealed one value at a time with an access-log row (SRV-10).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from .choices import (
    ConsentChannel,
    ConsentPurpose,
    CustomerType,
    IncidentKind,
    InformChannel,
    PropertyKind,
    PropertyStatus,
    QualificationKind,
    QualificationState,
)

REVEAL_PERMISSION = "customers.reveal_customer_contact"


class CustomerTag(models.Model):
    """A free label for grouping customers (e.g. 团购, 老客户, 医保定点)."""

    name = models.CharField(_("名称"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("客户标签")
        verbose_name_plural = _("客户标签")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Customer(VersionedModel):
    """A customer of a store: person, enterprise, hospital or dealer (INF-1; seed 000 客户信息管理).

    Records what seed 000 asks to collect — basic data, preferences and pre-sales special
    needs (售前特殊要求) — kept accurate and confidential. Searchable by Chinese name, full
    pinyin and pinyin initials. Anonymisation (PIPL) replaces the identity but keeps the row,
    so sales, service and qualification records stay traceable (TRC-4).
    """

    code = models.CharField(_("客户编码"), max_length=30, unique=True)
    customer_type = models.CharField(_("客户类型"), max_length=20, choices=CustomerType.choices)
    name = models.CharField(_("名称"), max_length=100)
    pinyin_full = models.CharField(_("全拼"), max_length=400, blank=True, db_index=True, editable=False)
    pinyin_initials = models.CharField(_("拼音首字母"), max_length=100, blank=True, db_index=True, editable=False)
    store = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="customers", verbose_name=_("所属门店")
    )
    sales_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customers",
        verbose_name=_("负责销售"),
    )
    is_key_account = models.BooleanField(_("重点客户"), default=False)
    tags = models.ManyToManyField(CustomerTag, blank=True, related_name="customers", verbose_name=_("标签"))
    preferences = models.TextField(_("偏好"), blank=True)
    special_needs = models.TextField(_("特殊需求"), blank=True, help_text=_("售前咨询中记录的特殊要求"))
    notes = models.TextField(_("备注"), blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True, db_index=True)
    email = models.EmailField(_("邮箱"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    id_number = models.CharField(_("证件号码"), max_length=40, blank=True, help_text=_("身份证号或统一社会信用代码"))
    is_active = models.BooleanField(_("启用"), default=True)
    is_anonymised = models.BooleanField(_("已匿名化"), default=False)
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "store"
    personal_data_fields = ("phone", "email", "address", "id_number")
    reveal_permission = REVEAL_PERMISSION

    class Meta:
        verbose_name = _("客户")
        verbose_name_plural = _("客户")
        ordering = ["-id"]
        indexes = [models.Index(fields=["store", "name"])]
        permissions = [
            ("reveal_customer_contact", _("可查看客户完整联系方式")),
            ("export_customer_data", _("可导出客户个人数据")),
            ("anonymise_customer", _("可匿名化客户")),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class Contact(VersionedModel):
    """A person to talk to at a customer (an enterprise's buyer, a hospital's equipment department)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("客户"))
    name = models.CharField(_("姓名"), max_length=60)
    phone = models.CharField(_("电话"), max_length=30, blank=True, db_index=True)
    email = models.EmailField(_("邮箱"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    position = models.CharField(_("职务"), max_length=60, blank=True)
    is_primary = models.BooleanField(_("主要联系人"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope_field = "customer__store"
    personal_data_fields = ("phone", "email", "address")
    reveal_permission = REVEAL_PERMISSION

    class Meta:
        verbose_name = _("联系人")
        verbose_name_plural = _("联系人")
        ordering = ["-is_primary", "id"]

    def __str__(self):
        return self.name


class Qualification(VersionedModel):
    """A buyer-qualification document (购货者资格审查, BUY-1; seed 004 §4.1.3).

    Business licence, medical-device operating licence (class III) or filing (class II),
    medical-institution licence. `valid_until` empty means long-term (长期). `reminded_for`
    holds the expiry date last reminded about, so the daily reminder runs at most once per expiry.
    """

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="qualifications", verbose_name=_("客户")
    )
    kind = models.CharField(_("资格类型"), max_length=40, choices=QualificationKind.choices)
    number = models.CharField(_("证号"), max_length=80)
    scope_classes = models.CharField(
        _("经营范围（器械类别）"), max_length=20, blank=True, help_text=_("逗号分隔：I,II,III")
    )
    issuing_authority = models.CharField(_("发证机关"), max_length=100, blank=True)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("留空表示长期有效"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审核人"),
    )
    verified_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    reminded_for = models.DateField(_("已提醒的到期日"), null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope_field = "customer__store"

    class Meta:
        verbose_name = _("购货资格")
        verbose_name_plural = _("购货资格")
        ordering = ["customer_id", "kind", "-valid_from"]
        indexes = [models.Index(fields=["valid_until"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    @property
    def classes(self) -> set[str]:
        return {part.strip() for part in self.scope_classes.split(",") if part.strip()}

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def state_on(self, day: dt.date, reminder_days: int = 30) -> str:
        if day < self.valid_from:
            return QualificationState.NOT_YET_VALID
        if self.valid_until is not None and day > self.valid_until:
            return QualificationState.EXPIRED
        if self.valid_until is not None and (self.valid_until - day).days <= reminder_days:
            return QualificationState.EXPIRING
        return QualificationState.VALID


class CustomerProperty(VersionedModel):
    """Something a customer entrusted to the company (顾客财产, CPR-1; seed 004 §4.5).

    Registered and identified on arrival, with where it is, its condition and who holds it;
    loss, damage or unfitness is reported to the customer and kept on record (`PropertyIncident`).
    """

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="property", verbose_name=_("客户"))
    kind = models.CharField(_("类别"), max_length=30, choices=PropertyKind.choices)
    description = models.CharField(_("名称/描述"), max_length=200)
    identifier = models.CharField(_("标识/序列号"), max_length=80, blank=True)
    received_at = models.DateTimeField(_("接收时间"))
    location = models.CharField(_("存放位置"), max_length=100, blank=True)
    condition = models.CharField(_("接收时状况"), max_length=200, blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("保管人"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=PropertyStatus.choices, default=PropertyStatus.HELD)
    returned_at = models.DateTimeField(_("归还时间"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "customer__store"

    class Meta:
        verbose_name = _("顾客财产")
        verbose_name_plural = _("顾客财产")
        ordering = ["-received_at", "-id"]
        permissions = [("report_property_incident", _("可报告顾客财产丢失/损坏"))]

    def __str__(self):
        return f"{self.description} {self.identifier}".strip()


class PropertyIncident(models.Model):
    """A loss/damage report on customer property, with when and how the customer was told (CPR-1)."""

    property = models.ForeignKey(
        CustomerProperty, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("顾客财产")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=IncidentKind.choices)
    description = models.TextField(_("经过说明"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("报告人")
    )
    reported_at = models.DateTimeField(_("报告时间"), auto_now_add=True)
    customer_informed_at = models.DateTimeField(_("告知客户时间"), null=True, blank=True)
    informed_how = models.CharField(_("告知方式"), max_length=20, choices=InformChannel.choices, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "property__customer__store"

    class Meta:
        verbose_name = _("顾客财产事件")
        verbose_name_plural = _("顾客财产事件")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.property}"


class Consent(models.Model):
    """A customer's consent to a use of their data (INF-1: no disclosure without consent; PIPL).

    Withdrawn, never deleted: the history of what was agreed and when is itself a record.
    """

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="consents", verbose_name=_("客户"))
    purpose = models.CharField(_("用途"), max_length=30, choices=ConsentPurpose.choices)
    channel = models.CharField(_("方式"), max_length=20, choices=ConsentChannel.choices)
    given_at = models.DateTimeField(_("同意时间"))
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("撤回登记人"),
    )
    notes = models.CharField(_("说明"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "customer__store"

    class Meta:
        verbose_name = _("同意记录")
        verbose_name_plural = _("同意记录")
        ordering = ["-given_at", "-id"]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.customer_id})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
