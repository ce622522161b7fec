"""Products and their regulatory master data (PRD-1, PRD-2, PRD-3).

Products are company-wide master data: not org-scoped, but every read needs
`catalog.view_product`. Whether a product may be sold is answered by `catalog.sellability`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import VersionedModel

from .choices import DeviceClass, InspectionGroup, RestrictionReason, TrackingMode


class ProductCategory(VersionedModel):
    """A node of the product category tree (家用电器 / 医疗器械 → 第二类 …).

    `path` is the materialised path of ids ("/1/4/") so a filter on a category includes its
    subcategories with one `path__startswith`. The parent is fixed at creation.
    """

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级分类")
    )
    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("商品分类")
        verbose_name_plural = _("商品分类")
        ordering = ["path"]

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)


class InspectionTemplate(VersionedModel):
    """An acceptance standard (验收标准): the checklist a receipt or delivery is inspected against.

    Seed 000 商品验收: "明确各类商品的外观、性能、规格、数量等验收要点".
    """

    name = models.CharField(_("名称"), max_length=100, unique=True)
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("验收标准")
        verbose_name_plural = _("验收标准")
        ordering = ["name"]

    def __str__(self):
        return self.name


class InspectionItem(models.Model):
    """One checklist point of an acceptance standard, in one of the four groups of seed 000."""

    template = models.ForeignKey(
        InspectionTemplate, on_delete=models.CASCADE, related_name="items", verbose_name=_("验收标准")
    )
    group = models.CharField(_("类别"), max_length=20, choices=InspectionGroup.choices)
    text = models.CharField(_("验收要点"), max_length=300)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("验收要点")
        verbose_name_plural = _("验收要点")
        ordering = ["template", "order", "id"]

    def __str__(self):
        return f"{self.get_group_display()}: {self.text}"


class Product(VersionedModel):
    """A product the company sells, with the attributes the seeds require to be recorded.

    PRD-1: the attributes from which sellability is derived (certificate of conformity,
    production licence, name/manufacturer/origin, registration and its expiry).
    PRD-2: identification and Chinese labelling of medical devices.
    PRD-3: the product registry by product code (manufacturer, standard) for traceability.
    `code` is the natural key (imports match on it) and does not change after creation.
    """

    code = models.CharField(_("商品编码"), max_length=40, unique=True)
    name = models.CharField(_("商品名称"), max_length=200)
    specification = models.CharField(_("规格型号"), max_length=200, blank=True)
    category = models.ForeignKey(
        ProductCategory, on_delete=models.PROTECT, related_name="products", verbose_name=_("分类")
    )
    unit = models.CharField(_("单位"), max_length=20, default="台")
    brand = models.CharField(_("品牌"), max_length=100, blank=True)
    price = models.DecimalField(
        _("单价（元）"), max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    warranty_months = models.PositiveSmallIntegerField(_("保修期（月）"), default=12)
    tracking_mode = models.CharField(
        _("追踪方式"), max_length=10, choices=TrackingMode.choices, default=TrackingMode.NONE
    )
    shelf_life_tracked = models.BooleanField(_("管理有效期"), default=False)
    shelf_life_days = models.PositiveIntegerField(_("有效期（天）"), null=True, blank=True)
    storage_temp_min = models.DecimalField(
        _("储存温度下限（°C）"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    storage_temp_max = models.DecimalField(
        _("储存温度上限（°C）"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    storage_humidity_min = models.PositiveSmallIntegerField(
        _("储存湿度下限（%）"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    storage_humidity_max = models.PositiveSmallIntegerField(
        _("储存湿度上限（%）"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    acceptance_template = models.ForeignKey(
        InspectionTemplate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("验收标准"),
    )
    manufacturer = models.CharField(_("生产企业"), max_length=200, blank=True)
    manufacturer_licence_no = models.CharField(_("生产企业许可证号"), max_length=100, blank=True)
    device_class = models.CharField(
        _("医疗器械类别"), max_length=5, choices=DeviceClass.choices, default=DeviceClass.NONE
    )
    is_implantable = models.BooleanField(
        _("植入类医疗器械"), default=False, help_text=_("进货查验记录和销售记录永久保存（TRC-4）")
    )
    registration_no = models.CharField(_("注册证号/备案凭证号"), max_length=100, blank=True)
    registration_expiry = models.DateField(_("注册证有效期至"), null=True, blank=True)
    production_licence_required = models.BooleanField(_("实施生产许可证管理"), default=False)
    production_licence_no = models.CharField(_("生产许可证号"), max_length=100, blank=True)
    has_certificate_of_conformity = models.BooleanField(_("有合格证"), default=True)
    has_chinese_label = models.BooleanField(_("有中文标签"), default=True)
    origin = models.CharField(_("产地"), max_length=100, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("商品")
        verbose_name_plural = _("商品")
        ordering = ["code"]
        permissions = [("set_product_restriction", "可标记禁止销售")]
        indexes = [
            models.Index(fields=["category", "is_active"], name="catalog_product_cat_active"),
            models.Index(fields=["device_class"], name="catalog_product_devclass"),
            models.Index(fields=["tracking_mode"], name="catalog_product_tracking"),
            models.Index(fields=["registration_expiry"], name="catalog_product_reg_expiry"),
            models.Index(fields=["name"], name="catalog_product_name"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_medical_device(self) -> bool:
        return self.device_class != DeviceClass.NONE

    def clean(self):
        errors = {}
        if (
            self.storage_temp_min is not None
            and self.storage_temp_max is not None
            and self.storage_temp_min > self.storage_temp_max
        ):
            errors["storage_temp_max"] = _("温度上限不能低于下限")
        if (
            self.storage_humidity_min is not None
            and self.storage_humidity_max is not None
            and self.storage_humidity_min > self.storage_humidity_max
        ):
            errors["storage_humidity_max"] = _("湿度上限不能低于下限")
        if self.shelf_life_tracked and not self.shelf_life_days:
            errors["shelf_life_days"] = _("管理有效期的商品须填写有效期天数")
        if errors:
            raise ValidationError(errors)


class ProductRestrictionQuerySet(models.QuerySet):
    def active_at(self, at):
        """Flags in force on local date `at`: set on or before that day and not lifted by then."""
        from .sellability import day_end

        end = day_end(at)
        return self.filter(set_at__lt=end).filter(Q(lifted_at__isnull=True) | Q(lifted_at__gte=end))


class ProductRestriction(models.Model):
    """A QA flag "禁止销售" on a product (PRD-1, seed 002 §6.2): one of the cases only an
    inspection can establish, with the reason and evidence. Never deleted: lifting records who,
    when and why, so the product's sellability on any past date can be answered.
    """

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="restrictions", verbose_name=_("商品"))
    reason_code = models.CharField(_("禁售原因"), max_length=40, choices=RestrictionReason.choices)
    reason = models.TextField(_("说明"))
    evidence = models.ForeignKey(
        "core.Attachment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("证据"),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("标记人")
    )
    set_at = models.DateTimeField(_("标记时间"), default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("解除人"),
    )
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    lift_reason = models.TextField(_("解除原因"), blank=True)

    objects = ProductRestrictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("禁售标记")
        verbose_name_plural = _("禁售标记")
        ordering = ["-set_at", "-id"]
        indexes = [models.Index(fields=["product", "lifted_at"], name="catalog_restr_product_lifted")]

    def __str__(self):
        return f"{self.product_id}: {self.get_reason_code_display()}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None
