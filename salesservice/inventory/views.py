"""Inventory pages: stock on hand by warehouse / location / lot / product (filters, search, pagination, Excel
export), lots with their move ledger (PRD-3), the ledger itself (INV-4), warehouses, stock counts with
their workflow actions (INV-2) and storage readings (INV-1). Every read is scoped to the user's warehouses
(out of scope → 404); every write calls one service and shows a refusal in Chinese."""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from salesservice.core.exceptions import DomainError
from salesservice.core.forms import apply_domain_error
from salesservice.core.input_guards import parse_id
from salesservice.core.views.generic import Column, ImportPageView, ListPageView
from salesservice.core.views.pages import audit_history

from . import counts, environment, reports, services
from .choices import LocationKind
from .filtersets import (
    LotFilterSet,
    StockCountFilterSet,
    StockMoveFilterSet,
    StockQuantFilterSet,
    StorageReadingFilterSet,
    WarehouseFilterSet,
    near_expiry_days,
)
from .forms import AnalysisForm, ReadingForm, StockCountForm
from .imports import opening_stock_import_spec
from .models import Lot, StockCount, StockMove, StockQuant, StorageReading, Warehouse
from .workflows import STOCK_COUNT_WORKFLOW


def _lot_badge(lot: Lot):
    if lot.held:
        return format_html('<span class="badge bg-red-lt" data-state="held">{}</span>', _("冻结"))
    if lot.expired:
        return format_html('<span class="badge bg-dark-lt" data-state="expired">{}</span>', _("已过期"))
    days = getattr(lot, "near_expiry_days", None)
    if days is None:
        days = near_expiry_days()
    if lot.expiry_date and (lot.expiry_date - timezone.localdate()).days <= days:
        return format_html('<span class="badge bg-orange-lt" data-state="near_expiry">{}</span>', _("近效期"))
    return format_html('<span class="badge bg-green-lt" data-state="ok">{}</span>', _("正常"))


# --- stock on hand ---------------------------------------------------------------------------------


class StockListView(ListPageView):
    """Stock on hand per lot and location, in the user's warehouses; quarantine, held and expired shown."""

    permission_required = "inventory.view_stockquant"
    title = gettext_lazy("库存")
    filterset_class = StockQuantFilterSet
    default_sort = "product__code"
    export_filename = "stock"
    actions = [
        (gettext_lazy("批次"), "inventory:lots", "inventory.view_lot"),
        (gettext_lazy("库存流水"), "inventory:moves", "inventory.view_stockmove"),
        (gettext_lazy("库存分析"), "inventory:analysis", "inventory.view_stockquant"),
        (gettext_lazy("导入期初库存"), "inventory:opening-import", "inventory.move_stock"),
    ]
    columns = [
        Column(gettext_lazy("商品编码"), "product.code", sort="product__code"),
        Column(gettext_lazy("商品"), "product.name"),
        Column(
            gettext_lazy("批号/序列号"),
            lambda q: format_html('<a href="{}">{}</a>', reverse("inventory:lot-detail", args=[q.lot_id]), q.lot),
            export=lambda q: str(q.lot),
        ),
        Column(gettext_lazy("有效期至"), "lot.expiry_date", sort="lot__expiry_date"),
        Column(gettext_lazy("仓库"), "warehouse.name", sort="warehouse__code"),
        Column(gettext_lazy("库位"), lambda q: f"{q.location.code} {q.location.name}", sort="location__code"),
        Column(gettext_lazy("库位类型"), "location.get_kind_display"),
        Column(gettext_lazy("数量"), "quantity", sort="quantity"),
        Column(gettext_lazy("已分配"), "reserved"),
        # Only stock in a storage location can be allocated (SUP-7): elsewhere "可用" would mislead.
        Column(gettext_lazy("可用"), lambda q: q.available if q.location.kind == LocationKind.STORAGE else None),
        Column(gettext_lazy("批次状态"), lambda q: _lot_badge(q.lot), export=lambda q: q.lot.state_label),
    ]

    def base_queryset(self):
        return StockQuant.objects.visible_to(self.request.user).select_related(
            "product", "lot", "location", "warehouse"
        )

    def prepare_rows(self, rows) -> None:
        days = near_expiry_days()  # one policy read per page, not per row
        for row in rows:
            row.lot.near_expiry_days = days


# --- lots and the ledger (PRD-3, INV-4) -----------------------------------------------------------------


class LotListView(ListPageView):
    permission_required = "inventory.view_lot"
    title = gettext_lazy("批次")
    filterset_class = LotFilterSet
    default_sort = "expiry_date"
    export_filename = "lots"
    detail_url_name = "inventory:lot-detail"
    columns = [
        Column(gettext_lazy("批号"), lambda lot: lot.lot_number or "—", sort="lot_number", link=True),
        Column(gettext_lazy("序列号"), "serial_number"),
        Column(gettext_lazy("商品"), lambda lot: f"{lot.product.code} {lot.product.name}", sort="product__code"),
        Column(gettext_lazy("生产日期"), "production_date", sort="production_date"),
        Column(gettext_lazy("有效期至"), "expiry_date", sort="expiry_date"),
        Column(gettext_lazy("在库数量"), "on_hand"),
        Column(gettext_lazy("状态"), _lot_badge, export="state_label"),
    ]

    def base_queryset(self):
        return (
            Lot.objects.visible_to(self.request.user)
            .select_related("product")
            .annotate(on_hand=Sum("quants__quantity"))
        )

    def prepare_rows(self, rows) -> None:
        days = near_expiry_days()
        for row in rows:
            row.near_expiry_days = days


def _visible_lot(request, pk) -> Lot:
    if not request.user.has_perm("inventory.view_lot"):
        raise PermissionDenied
    return get_object_or_404(
        Lot.objects.visible_to(request.user).select_related("product", "hold_nonconformance"), pk=pk
    )


@login_required
def lot_detail(request, pk):
    """PRD-3: a lot's registry — product, supplier, dates, where it is, and every movement (signed, TRC-3)."""
    lot = _visible_lot(request, pk)
    user = request.user
    quants = (
        StockQuant.objects.visible_to(user)
        .filter(lot=lot)
        .select_related("location", "warehouse")
        .order_by("warehouse__code", "location__code")
    )
    moves = (
        StockMove.objects.visible_to(user)
        .filter(lot=lot)
        .select_related("from_location", "to_location", "actor", "warehouse", "nonconformance")
        .order_by("-at", "-id")[:200]
    )
    context = {
        "lot": lot,
        "title": f"{_('批次')} {lot} · {lot.product.name}",
        "quants": quants,
        "moves": moves,
        "badge": _lot_badge(lot),
        "can_hold": user.has_perm("inventory.hold_lot"),
        **audit_history(lot),
    }
    return render(request, "inventory/lot_detail.html", context)


@login_required
@require_POST
def lot_hold_toggle(request, pk):
    """QA holds a lot by hand, or releases a hand-made hold (a nonconformance's hold ends with its close)."""
    lot = _visible_lot(request, pk)
    try:
        if lot.held:
            services.lot_release_hold(actor=request.user, lot=lot, note=request.POST.get("reason", ""))
            messages.success(request, _("已解除冻结"))
        else:
            services.lot_hold(actor=request.user, lot=lot, reason=request.POST.get("reason", ""))
            messages.success(request, _("已冻结，该批次不再分配"))
    except DomainError as error:
        messages.error(request, error.message, extra_tags=f"code:{error.code}")
    return redirect("inventory:lot-detail", lot.pk)


def _location_label(location):
    return f"{location.code}" if location else "—"


class MoveListView(ListPageView):
    """INV-4/TRC-3: the ledger — every movement, who signed it and the document it belongs to."""

    permission_required = "inventory.view_stockmove"
    title = gettext_lazy("库存流水")
    filterset_class = StockMoveFilterSet
    default_sort = "-at"
    export_filename = "stock-moves"
    columns = [
        Column(gettext_lazy("时间"), "at", sort="at"),
        Column(gettext_lazy("类型"), "get_kind_display", sort="kind"),
        Column(gettext_lazy("商品"), "product.name"),
        Column(
            gettext_lazy("批次"),
            lambda m: format_html('<a href="{}">{}</a>', reverse("inventory:lot-detail", args=[m.lot_id]), m.lot),
            export=lambda m: str(m.lot),
        ),
        Column(gettext_lazy("仓库"), "warehouse.code"),
        Column(gettext_lazy("从"), lambda m: _location_label(m.from_location)),
        Column(gettext_lazy("到"), lambda m: _location_label(m.to_location)),
        Column(gettext_lazy("数量"), "quantity", sort="quantity"),
        Column(gettext_lazy("来源单号"), "reference_number", sort="reference_number"),
        Column(gettext_lazy("经办人"), lambda m: m.actor.name if m.actor_id else _("系统")),
    ]

    def base_queryset(self):
        return StockMove.objects.visible_to(self.request.user).select_related(
            "product", "lot", "warehouse", "from_location", "to_location", "actor"
        )


class WarehouseListView(ListPageView):
    permission_required = "inventory.view_warehouse"
    title = gettext_lazy("仓库与库位")
    filterset_class = WarehouseFilterSet
    default_sort = "code"
    export_filename = "warehouses"
    columns = [
        Column(
            gettext_lazy("仓库编码"),
            lambda w: format_html('<a href="{}?warehouse={}">{}</a>', reverse("inventory:stock"), w.pk, w.code),
            sort="code",
            export="code",
        ),
        Column(gettext_lazy("名称"), "name", sort="name"),
        Column(gettext_lazy("所属单位"), "org_unit.name"),
        Column(gettext_lazy("储位数"), "storage_count"),
        Column(gettext_lazy("在库数量"), "on_hand"),
        Column(gettext_lazy("地址"), "address"),
    ]

    def base_queryset(self):
        return (
            Warehouse.objects.visible_to(self.request.user)
            .select_related("org_unit")
            .annotate(
                storage_count=Count("locations", filter=Q(locations__kind="storage"), distinct=True),
                on_hand=Sum("quants__quantity"),
            )
        )


# --- stock counts (INV-2) --------------------------------------------------------------------------


def _count_badge(count):
    return STOCK_COUNT_WORKFLOW.badge(count.status)


class StockCountListView(ListPageView):
    permission_required = "inventory.view_stockcount"
    title = gettext_lazy("盘点")
    filterset_class = StockCountFilterSet
    default_sort = "-created_at"
    export_filename = "stock-counts"
    detail_url_name = "inventory:count-detail"
    actions = [(gettext_lazy("新建盘点"), "inventory:count-create", "inventory.add_stockcount")]
    columns = [
        Column(gettext_lazy("盘点单号"), "number", sort="number", link=True),
        Column(gettext_lazy("仓库"), "warehouse.name"),
        Column(gettext_lazy("库位"), lambda c: c.location.code if c.location_id else _("整个仓库")),
        Column(gettext_lazy("状态"), _count_badge, sort="status", export="get_status_display"),
        Column(gettext_lazy("创建时间"), "created_at", sort="created_at"),
        Column(gettext_lazy("盘点人"), lambda c: c.submitted_by.name if c.submitted_by_id else ""),
        Column(gettext_lazy("审批人"), lambda c: c.approved_by.name if c.approved_by_id else ""),
    ]

    def base_queryset(self):
        return StockCount.objects.visible_to(self.request.user).select_related(
            "warehouse", "location", "submitted_by", "approved_by"
        )


@login_required
@permission_required("inventory.add_stockcount", raise_exception=True)
def count_create(request):
    form = StockCountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            created = counts.stock_count_create(
                actor=request.user,
                warehouse=form.cleaned_data["warehouse"],
                location=form.cleaned_data["location"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已新建盘点单：%(number)s") % {"number": created.number})
            return redirect("inventory:count-detail", created.pk)
    return render(
        request,
        "inventory/form_page.html",
        {"form": form, "title": _("新建盘点"), "back": "inventory:counts", "form_id": "count-form"},
    )


@login_required
def count_detail(request, pk):
    """The count sheet 盘点表: system vs counted quantity, variance and reason per line, and the actions the
    user may take now (`{% workflow_actions %}`)."""
    if not request.user.has_perm("inventory.view_stockcount"):
        raise PermissionDenied
    count = get_object_or_404(
        StockCount.objects.visible_to(request.user).select_related(
            "warehouse", "location", "created_by", "submitted_by", "approved_by"
        ),
        pk=pk,
    )
    lines = list(count.lines.select_related("lot", "lot__product", "location").order_by("location__code", "pk"))
    context = {
        "count": count,
        "title": f"{count.number} · {count.warehouse.name}",
        "lines": lines,
        "variances": sum(1 for line in lines if line.difference),
        **audit_history(count),
    }
    return render(request, "inventory/count_detail.html", context)


# --- storage readings (INV-1) ---------------------------------------------------------------------


def _excursion_badge(reading):
    if reading.excursion:
        return format_html('<span class="badge bg-red-lt" data-excursion="true">{}</span>', _("超限"))
    return format_html('<span class="badge bg-green-lt" data-excursion="false">{}</span>', _("正常"))


class ReadingListView(ListPageView):
    permission_required = "inventory.view_storagereading"
    title = gettext_lazy("储存环境")
    filterset_class = StorageReadingFilterSet
    default_sort = "-recorded_at"
    export_filename = "storage-readings"
    actions = [(gettext_lazy("记录读数"), "inventory:reading-create", "inventory.add_storagereading")]
    columns = [
        Column(gettext_lazy("记录时间"), "recorded_at", sort="recorded_at"),
        Column(gettext_lazy("仓库"), "warehouse.name"),
        Column(gettext_lazy("库位"), lambda r: f"{r.location.code} {r.location.name}"),
        Column(gettext_lazy("温度（°C）"), "temperature"),
        Column(gettext_lazy("湿度（%）"), "humidity"),
        Column(gettext_lazy("结果"), _excursion_badge, sort="excursion", export="excursion"),
        Column(gettext_lazy("超限说明"), "excursion_detail"),
        Column(gettext_lazy("来源"), "get_source_display"),
        Column(gettext_lazy("记录人"), lambda r: r.recorded_by.name if r.recorded_by_id else _("系统")),
    ]

    def base_queryset(self):
        return StorageReading.objects.visible_to(self.request.user).select_related(
            "warehouse", "location", "recorded_by"
        )


@login_required
@permission_required("inventory.add_storagereading", raise_exception=True)
def reading_create(request):
    form = ReadingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reading = environment.reading_record(
                actor=request.user,
                location=data["location"],
                temperature=data["temperature"],
                humidity=data["humidity"],
                note=data["note"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if reading.excursion:
                messages.warning(request, _("读数超出商品储存范围：已登记不合格品并冻结相关批次"))
            else:
                messages.success(request, _("已记录"))
            return redirect("inventory:readings")
    return render(
        request,
        "inventory/form_page.html",
        {"form": form, "title": _("记录储存环境读数"), "back": "inventory:readings", "form_id": "reading-form"},
    )


# --- stock analysis (INV-3) -------------------------------------------------------------------------


def _flag_badges(row):
    colors = {"slow": "bg-secondary-lt", "risk": "bg-red-lt", "reorder": "bg-orange-lt"}
    if not row.flags:
        return format_html('<span class="badge bg-green-lt" data-flag="ok">{}</span>', _("正常"))
    return format_html_join(
        " ",
        '<span class="badge {}" data-flag="{}">{}</span>',
        ((colors[code], code, reports.FLAGS[code]) for code in row.flags),
    )


def _none_last(value):
    return (value is None, value if value is not None else 0)


class StockAnalysisView(ListPageView):
    """INV-3: per product in the user's warehouses — on hand, issued in the period, turnover, days of cover,
    slow movers, stock-out risk and the reorder suggestion (`reports.stock_analysis`); Excel export. A bad
    period is a 400 with the report's Chinese message."""

    permission_required = "inventory.view_stockquant"
    title = gettext_lazy("库存分析")
    template_name = "inventory/analysis.html"
    partial_template_name = "inventory/analysis.html"
    export_filename = "stock-analysis"
    default_sort = "code"
    columns = [
        Column(
            gettext_lazy("商品编码"),
            lambda r: format_html(
                '<a href="{}?q={}">{}</a>', reverse("inventory:stock"), r.product.code, r.product.code
            ),
            sort="code",
            export=lambda r: r.product.code,
        ),
        Column(gettext_lazy("商品"), "product.name"),
        Column(gettext_lazy("在库"), "on_hand", sort="on_hand"),
        Column(gettext_lazy("期初"), "opening"),
        Column(gettext_lazy("期末"), "closing"),
        Column(gettext_lazy("期间出库"), "issued", sort="issued"),
        Column(gettext_lazy("周转次数"), "turnover", sort="turnover"),
        Column(gettext_lazy("可供天数"), "cover", sort="cover"),
        Column(gettext_lazy("最近出库"), "last_issue"),
        Column(gettext_lazy("提示"), _flag_badges, export="flag_labels"),
        Column(gettext_lazy("建议补货"), "reorder", sort="reorder"),
    ]
    SORT_KEYS = {
        "code": lambda r: (r.product.code,),
        "on_hand": lambda r: (r.on_hand,),
        "issued": lambda r: (r.issued,),
        "turnover": lambda r: _none_last(r.turnover),
        "cover": lambda r: _none_last(r.cover),
        "reorder": lambda r: (r.reorder,),
    }

    def filtered(self):
        if getattr(self, "_filtered", None) is None:
            data = self.request.GET
            raw_warehouse = (data.get("warehouse") or "").strip()
            warehouse = None
            if raw_warehouse:
                warehouse = parse_id(raw_warehouse) or 0  # not an id: not found (404), never a 500
            flag = data.get("flag", "")
            self.params, rows = reports.stock_analysis(
                actor=self.request.user,
                start=data.get("start") or None,
                end=data.get("end") or None,
                warehouse=warehouse,
                q=data.get("q", ""),
                flag=flag if flag in reports.FLAGS else "",
            )
            sort = data.get("sort", "")
            self.sort = sort if sort.lstrip("-") in self.SORT_KEYS else self.default_sort
            rows.sort(key=self.SORT_KEYS[self.sort.lstrip("-")], reverse=self.sort.startswith("-"))
            self._filtered = rows
        return self._filtered

    def get(self, request, *args, **kwargs):
        self.filterset = SimpleNamespace(form=AnalysisForm(request.GET or None, user=request.user))
        try:
            rows = self.filtered()
        except DomainError as error:
            context = {
                "title": self.title,
                "filterset": self.filterset,
                "error": error.message,
                "error_code": error.code,
                "params": None,
            }
            return render(request, self.template_name, context, status=error.status_code)
        if request.GET.get("export") == "xlsx":
            return self.export_xlsx(rows)
        return self.render_to_response(self.get_context_data(**kwargs))

    def get_context_data(self, **kwargs):
        context = TemplateView.get_context_data(self, **kwargs)
        page = Paginator(self.filtered(), self.paginate_by).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        context.update(
            title=self.title,
            columns=self.columns,
            page=page,
            rows=[(row, [(col, col.value(row)) for col in self.columns]) for row in page.object_list],
            filterset=self.filterset,
            sort=self.sort,
            query=query.urlencode(),
            sort_query=sort_query.urlencode(),
            params=self.params,
        )
        return context

    def export_rows(self, queryset, chunk_size: int = 2000):
        for row in queryset:
            yield [Column.resolve(row, col.export) for col in self.columns]


# --- Excel import of opening stock, printable count sheet ----------------------------------------------


class OpeningStockImportView(ImportPageView):
    """期初库存导入: one row per lot and storage location → `lot_for` + a signed `adjust` move, one transaction
    per row, refusals reported per row."""

    permission_required = "inventory.move_stock"
    title = gettext_lazy("导入期初库存")
    back_url_name = "inventory:stock"

    def get_spec(self):
        return opening_stock_import_spec()


@login_required
def count_sheet_pdf(request, pk):
    """The printable 盘点表 (INV-2): every line of the count with the system quantity, space (or the figure)
    for the counted quantity, the variance and its reason, and the signatures. Out of scope → 404."""
    from salesservice.core.pdf import Document, render_document

    if not request.user.has_perm("inventory.view_stockcount"):
        raise PermissionDenied
    count = get_object_or_404(
        StockCount.objects.visible_to(request.user).select_related(
            "warehouse", "location", "created_by", "submitted_by", "approved_by"
        ),
        pk=pk,
    )
    lines = count.lines.select_related("lot", "lot__product", "location").order_by("location__code", "pk")
    doc = Document(title="盘点表", number=count.number, letterhead=[f"{count.warehouse.code} {count.warehouse.name}"])
    doc.fields(
        [
            ("仓库", f"{count.warehouse.code} {count.warehouse.name}"),
            ("范围", f"{count.location.code} {count.location.name}" if count.location_id else "整个仓库"),
            ("状态", count.get_status_display()),
            ("开始盘点", count.started_at),
            ("创建人", count.created_by.name if count.created_by_id else "系统"),
            ("说明", count.note),
        ]
    )
    doc.table(
        "盘点明细",
        ["库位", "商品编码", "商品名称", "规格", "批号/序列号", "有效期至", "账面数", "实盘数", "差异", "差异原因"],
        [
            [
                line.location.code,
                line.lot.product.code,
                line.lot.product.name,
                line.lot.product.specification,
                str(line.lot),
                line.lot.expiry_date,
                line.system_quantity,
                "" if line.counted_quantity is None else line.counted_quantity,
                "" if line.difference is None else line.difference,
                line.reason,
            ]
            for line in lines
        ],
    )
    if count.status == "draft":
        doc.text("提示", "盘点尚未开始：开始盘点后按当时的账面数生成盘点行。")
    doc.fields(
        [
            (
                "盘点人",
                f"{count.submitted_by.name} {timezone.localtime(count.submitted_at):%Y-%m-%d %H:%M}"
                if count.submitted_by_id
                else "",
            ),
            ("复核人", ""),
            (
                "审批人",
                f"{count.approved_by.name} {timezone.localtime(count.approved_at):%Y-%m-%d %H:%M}"
                if count.approved_by_id
                else "",
            ),
            ("审批意见", count.approval_note),
        ],
        title="签字",
    )
    response = HttpResponse(render_document(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{count.number}.pdf"'
    return response
