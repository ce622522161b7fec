"""Inventory 库存 (INV-1…INV-4, SUP-7, PRD-3, TRC-3).

- `Warehouse` 仓库, scoped to an org unit (INF-1), with its `Location`s 库位: one quarantine 待验区, one staging
  合格待上架区 and one rejected 不合格品区 created with it, and any number of storage locations 储位.
- `Lot` 批次: a product's lot / serial number with production and expiry dates and the supplier it came from
  (PRD-3: product registry by number). A lot held by a nonconformance (storage excursion) is never allocated.
- `StockMove` 库存流水: the append-only ledger — every movement one signed row (TRC-3, INV-4).
- `StockQuant` 库存: on hand and reserved per lot and location, changed only in the same transaction as the
  move that explains it, under a row lock; never negative, never reserved beyond what is there.
- `Allocation` 分配: stock reserved FEFO for a business document (never oversold).
- `StockCount` 盘点单 with its `StockCountLine`s (INV-2): a variance waits for a reason and an approval.
- `StorageReading` 储存环境记录 (INV-1): temperature / humidity of a location; out of a product's range →
  a nonconformance and a hold on the lots there.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from .choices import AllocationStatus, LocationKind, MoveKind, ReadingSource, StockCountStatus


class WarehouseScopedQuerySet(ScopedQuerySet):
    """Scoped through the warehouse's org unit: a to-one path, so a plain join (no pk subquery)."""

    def visible_to(self, user):
        from salesservice.core.scoping import visible_unit_ids

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        unit_ids = visible_unit_ids(user)
        if unit_ids is None:
            return self
        return self.filter(**{f"{self.model.scope_field}_id__in": unit_ids})


class Warehouse(VersionedModel):
    """A warehouse 仓库 of an org unit (INV-4). Its quarantine, staging and rejected locations are created with
    it (`services.warehouse_create`), so received goods always have a 待验区 to land in (SUP-7)."""

    code = models.CharField(_("仓库编码"), max_length=30, unique=True)
    name = models.CharField(_("仓库名称"), max_length=100)
    org_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="warehouses", verbose_name=_("所属单位")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("仓库")
        verbose_name_plural = _("仓库")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Location(models.Model):
    """A location 库位 of a warehouse. Only `storage` locations hold allocatable stock (SUP-7); the special
    kinds exist once per warehouse."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="locations", verbose_name=_("仓库"))
    code = models.CharField(_("库位编码"), max_length=30)
    name = models.CharField(_("库位名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=LocationKind.choices, default=LocationKind.STORAGE)
    conditions = models.CharField(_("储存条件说明"), max_length=200, blank=True, help_text=_("如：阴凉库 2–20°C"))
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WarehouseScopedQuerySet.as_manager()
    scope_field = "warehouse__org_unit"

    class Meta:
        verbose_name = _("库位")
        verbose_name_plural = _("库位")
        ordering = ["warehouse_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "code"], name="inv_location_code_unique"),
            models.UniqueConstraint(
                fields=["warehouse", "kind"], condition=~Q(kind="storage"), name="inv_location_special_once"
            ),
        ]

    def __str__(self):
        return f"{self.warehouse.code}/{self.code} {self.name}"


class LotQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Lots that are or were in a warehouse the user may see (HQ: all)."""
        from salesservice.core.scoping import visible_unit_ids

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        unit_ids = visible_unit_ids(user)
        if unit_ids is None:
            return self
        seen = StockQuant.objects.filter(warehouse__org_unit_id__in=unit_ids).values("lot_id")
        return self.filter(pk__in=seen)


class Lot(models.Model):
    """A lot / serial 批次 of a product (PRD-3: by number — supplier, production and expiry dates).

    `supplier_id` is the supplier's id as a plain number: inventory does not import the suppliers app.
    `held`: frozen by a nonconformance (`hold_nonconformance`, e.g. a storage excursion, INV-1) — a held or
    expired lot is never allocated.
    """

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="lots", verbose_name=_("商品")
    )
    lot_number = models.CharField(_("批号"), max_length=80, blank=True)
    serial_number = models.CharField(_("序列号"), max_length=80, blank=True)
    production_date = models.DateField(_("生产日期"), null=True, blank=True)
    expiry_date = models.DateField(_("有效期至"), null=True, blank=True)
    supplier_id = models.PositiveBigIntegerField(_("供应商 ID"), null=True, blank=True)
    held = models.BooleanField(_("冻结"), default=False)
    hold_reason = models.CharField(_("冻结原因"), max_length=300, blank=True)
    hold_nonconformance = models.ForeignKey(
        "inspection.Nonconformance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="held_lots",
        verbose_name=_("冻结依据（不合格品）"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LotQuerySet.as_manager()

    class Meta:
        verbose_name = _("批次")
        verbose_name_plural = _("批次")
        ordering = ["product_id", "expiry_date", "lot_number", "serial_number"]
        constraints = [
            models.UniqueConstraint(fields=["product", "lot_number", "serial_number"], name="inv_lot_unique"),
        ]
        indexes = [
            models.Index(fields=["lot_number"], name="inv_lot_number"),
            models.Index(fields=["serial_number"], name="inv_lot_serial"),
            models.Index(fields=["expiry_date"], name="inv_lot_expiry"),
        ]
        permissions = [("hold_lot", _("可冻结/解冻批次"))]

    def __str__(self):
        number = self.lot_number or "—"
        return f"{number} / {self.serial_number}" if self.serial_number else number

    @property
    def expired(self) -> bool:
        return self.expiry_date is not None and self.expiry_date < timezone.localdate()

    @property
    def allocatable(self) -> bool:
        return not self.held and not self.expired

    @property
    def state_label(self) -> str:
        if self.held:
            return str(_("冻结"))
        if self.expired:
            return str(_("已过期"))
        return str(_("正常"))


class StockQuant(models.Model):
    """On hand 库存 of one lot at one location (INV-4). Changed only by `services` inside the transaction
    that writes the explaining `StockMove`, under `select_for_update`; `reserved` ≤ `quantity`, never negative."""

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="quants", verbose_name=_("批次"))
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="quants", verbose_name=_("库位"))
    # Copies of lot.product and location.warehouse (never change): the availability and scope filters
    # need no join.
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("商品"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="quants", verbose_name=_("仓库"))
    quantity = models.PositiveIntegerField(_("数量"), default=0)
    reserved = models.PositiveIntegerField(_("已分配"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WarehouseScopedQuerySet.as_manager()
    scope_field = "warehouse__org_unit"

    class Meta:
        verbose_name = _("库存")
        verbose_name_plural = _("库存")
        ordering = ["product_id", "lot_id", "location_id"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "location"], name="inv_quant_lot_location"),
            models.CheckConstraint(condition=Q(reserved__lte=F("quantity")), name="inv_quant_reserved_le_qty"),
        ]
        indexes = [
            models.Index(fields=["product", "warehouse"], name="inv_quant_product_wh"),
            models.Index(fields=["location", "lot"], name="inv_quant_location"),
        ]

    def __str__(self):
        return f"{self.lot} @ {self.location_id}: {self.quantity}"

    @property
    def available(self) -> int:
        return self.quantity - self.reserved


class StockMove(models.Model):
    """One movement of the ledger 库存流水 (INV-4), append-only: never updated, never deleted (TRC-4 records).

    `from_location` None: goods came in (receipt); `to_location` None: goods left (ship, return to supplier,
    scrap, a count shortfall). `actor` is the responsible person who signs it (TRC-3). `reference_*` names the
    business document (any app's: content type + id + its number as shown then); `nonconformance` links the
    NC a rejection or disposition belongs to (SUP-8).
    """

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="moves", verbose_name=_("批次"))
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("商品"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="moves", verbose_name=_("仓库"))
    from_location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="moves_out", verbose_name=_("从库位")
    )
    to_location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="moves_in", verbose_name=_("到库位")
    )
    quantity = models.PositiveIntegerField(_("数量"))
    kind = models.CharField(_("类型"), max_length=20, choices=MoveKind.choices)
    reference_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference_id = models.CharField(_("来源单据 ID"), max_length=64, blank=True)
    reference_number = models.CharField(_("来源单号"), max_length=80, blank=True)
    nonconformance = models.ForeignKey(
        "inspection.Nonconformance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_moves",
        verbose_name=_("不合格品"),
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("经办人"),
    )
    at = models.DateTimeField(_("发生时间"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WarehouseScopedQuerySet.as_manager()
    scope_field = "warehouse__org_unit"

    class Meta:
        verbose_name = _("库存流水")
        verbose_name_plural = _("库存流水")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inv_move_quantity_positive"),
            models.CheckConstraint(
                condition=Q(from_location__isnull=False) | Q(to_location__isnull=False), name="inv_move_has_location"
            ),
        ]
        indexes = [
            models.Index(fields=["lot", "at"], name="inv_move_lot_at"),
            models.Index(fields=["warehouse", "-at"], name="inv_move_wh_at"),
            models.Index(fields=["product", "-at"], name="inv_move_product_at"),
            models.Index(fields=["reference_type", "reference_id"], name="inv_move_reference"),
        ]
        permissions = [
            ("move_stock", _("可办理收货、上架与出库")),
            ("release_stock", _("可按检验结果放行或隔离待验库存")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.quantity} · {self.lot}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(_("库存流水只能追加，不能修改"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("库存流水只能追加，不能删除"))


class Allocation(models.Model):
    """Stock reserved for a business document 分配 (FEFO over storage locations; never oversold).

    open → released (given back) or issued (shipped): the workflow in workflows.py.
    """

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("批次"))
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("库位"))
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("商品"))
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("仓库")
    )
    quantity = models.PositiveIntegerField(_("数量"))
    reference_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference_id = models.CharField(_("来源单据 ID"), max_length=64, blank=True)
    reference_number = models.CharField(_("来源单号"), max_length=80, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=AllocationStatus.choices, default=AllocationStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("分配人"),
    )
    created_at = models.DateTimeField(_("分配时间"))
    closed_at = models.DateTimeField(_("释放/出库时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = WarehouseScopedQuerySet.as_manager()
    scope_field = "warehouse__org_unit"

    class Meta:
        verbose_name = _("库存分配")
        verbose_name_plural = _("库存分配")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="inv_alloc_quantity_positive")]
        indexes = [
            models.Index(fields=["reference_type", "reference_id"], name="inv_alloc_reference"),
            models.Index(fields=["product", "status"], name="inv_alloc_product_status"),
        ]

    def __str__(self):
        return f"{self.reference_number or self.pk} · {self.lot} × {self.quantity}"


class StockCount(VersionedModel):
    """A stock count 库存盘点单 (INV-2: 定期盘点，账实相符；短缺、损坏查明原因并处理).

    draft → counting (the system quantities are snapshot into lines) → submitted (every line counted, every
    variance with a reason) → approved (the variances are posted as `count` moves) — or returned to counting,
    or cancelled before approval. Whoever submitted may not approve.
    """

    number = models.CharField(_("盘点单号"), max_length=30, unique=True)
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="stock_counts", verbose_name=_("仓库")
    )
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_counts",
        verbose_name=_("库位"),
        help_text=_("空：整个仓库"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=StockCountStatus.choices, default=StockCountStatus.DRAFT
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("创建人"),
    )
    started_at = models.DateTimeField(_("开始盘点时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("盘点人"),
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审批人"),
    )
    approval_note = models.CharField(_("审批/退回意见"), max_length=300, blank=True)

    objects = WarehouseScopedQuerySet.as_manager()
    scope_field = "warehouse__org_unit"

    class Meta:
        verbose_name = _("盘点单")
        verbose_name_plural = _("盘点单")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_stockcount", _("可审批盘点差异"))]
        indexes = [models.Index(fields=["warehouse", "status"], name="inv_count_wh_status")]

    def __str__(self):
        return self.number


class StockCountLine(models.Model):
    """One lot at one location on a count sheet 盘点表: the system quantity when counting started, the counted
    quantity, and the reason of any variance (INV-2)."""

    count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines", verbose_name=_("盘点单"))
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("库位"))
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="+", verbose_name=_("批次"))
    system_quantity = models.PositiveIntegerField(_("账面数"))
    counted_quantity = models.PositiveIntegerField(_("实盘数"), null=True, blank=True)
    reason = models.CharField(_("差异原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("盘点行")
        verbose_name_plural = _("盘点行")
        ordering = ["location_id", "lot_id"]
        constraints = [models.UniqueConstraint(fields=["count", "location", "lot"], name="inv_count_line_unique")]

    def __str__(self):
        return f"{self.count_id}: {self.lot_id}@{self.location_id}"

    @property
    def difference(self) -> int | None:
        if self.counted_quantity is None:
            return None
        return self.counted_quantity - self.system_quantity


class StorageReading(models.Model):
    """A storage environment reading 储存环境记录 of a location (INV-1), entered, imported or posted by a sensor
    gateway; `excursion` when out of the range of a product stored there — then nonconformances are raised and
    the lots held. Signed by who recorded it (TRC-3)."""

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="readings", verbose_name=_("库位"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="readings", verbose_name=_("仓库"))
    temperature = models.DecimalField(_("温度（°C）"), max_digits=5, decimal_places=1, null=True, blank=True)
    humidity = models.PositiveSmallIntegerField(_("湿度（%）"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("记录人"),
    )
    source = models.CharField(_("来源"), max_length=20, choices=ReadingSource.choices, default=ReadingSource.MANUAL)
    excursion = models.BooleanField(_("超限"), default=False)
    excursion_detail = models.CharField(_("超限说明"), max_length=500, blank=True)
    nonconformances = models.ManyToManyField(
        "inspection.Nonconformance", blank=True, related_name="storage_readings", verbose_name=_("不合格品")
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)

    objects = WarehouseScopedQuerySet.as_manager()
    scope_field = "warehouse__org_unit"

    class Meta:
        verbose_name = _("储存环境记录")
        verbose_name_plural = _("储存环境记录")
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["location", "-recorded_at"], name="inv_reading_location"),
            models.Index(fields=["warehouse", "excursion", "-recorded_at"], name="inv_reading_excursion"),
        ]

    def __str__(self):
        return f"{self.location_id} {self.recorded_at:%Y-%m-%d %H:%M}"
