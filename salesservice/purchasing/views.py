"""Purchasing pages (Simplified Chinese, server-rendered + htmx): requisitions, purchase orders (list with
filters and Excel export, form with lines, order page with execution figures), receipts (from an order,
the receipt page with the inspection and put-away forms), the printable 采购订单 / 入库验收单 PDFs and
the product registry by number (PRD-3 trace). The actions are the workflows' (workflows.py): each posts to
`WORKFLOW.page_view()` calling one service; a refusal comes back as a Chinese message and changes nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesservice.core.exceptions import DomainError
from salesservice.core.forms import apply_domain_error
from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history

from . import services
from .choices import OrderStatus
from .filtersets import PurchaseOrderFilterSet, PurchaseRequisitionFilterSet, ReceiptFilterSet, late_lines
from .forms import (
    OrderForm,
    OrderLineFormSet,
    ReceiptForm,
    RequisitionForm,
    RequisitionLineFormSet,
)
from .models import PurchaseOrder, PurchaseOrderLine, PurchaseRequisition, Receipt, ReceiptLine, ReceiptLot
from .workflows import ORDER_WORKFLOW, RECEIPT_WORKFLOW, REQUISITION_WORKFLOW

# --- requisitions ---------------------------------------------------------------------------


class RequisitionListView(ListPageView):
    permission_required = "purchasing.view_purchaserequisition"
    title = gettext_lazy("采购申请")
    filterset_class = PurchaseRequisitionFilterSet
    default_sort = "-created_at"
    export_filename = "purchase-requisitions"
    detail_url_name = "purchasing:requisition-detail"
    actions = [(gettext_lazy("新建采购申请"), "purchasing:requisition-create", "purchasing.add_purchaserequisition")]
    columns = [
        Column(gettext_lazy("单号"), "number", sort="number", link=True),
        Column(gettext_lazy("申请时间"), "created_at", sort="created_at"),
        Column(gettext_lazy("申请单位"), "org_unit.name"),
        Column(gettext_lazy("申请人"), "created_by.name"),
        Column(
            gettext_lazy("商品"), lambda r: "、".join(f"{line.product.name}×{line.quantity}" for line in r.lines.all())
        ),
        Column(
            gettext_lazy("状态"),
            lambda r: REQUISITION_WORKFLOW.badge(r.status),
            sort="status",
            export="get_status_display",
        ),
    ]

    def base_queryset(self):
        return (
            PurchaseRequisition.objects.visible_to(self.request.user)
            .select_related("org_unit", "created_by")
            .prefetch_related("lines__product")
        )


def _line_dicts(formset, fields):
    return [
        {name: form.cleaned_data.get(name) for name in fields}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


@login_required
@permission_required("purchasing.add_purchaserequisition", raise_exception=True)
def requisition_create(request):
    form = RequisitionForm(request.POST or None)
    formset = RequisitionLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            created = services.requisition_create(
                actor=request.user,
                reason=form.cleaned_data["reason"],
                lines=_line_dicts(formset, ("product", "quantity", "needed_by", "note")),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已新建采购申请：%(number)s") % {"number": created.number})
            return redirect("purchasing:requisition-detail", created.pk)
    return render(
        request,
        "purchasing/requisition_form.html",
        {"form": form, "formset": formset, "title": _("新建采购申请")},
    )


@login_required
def requisition_detail(request, pk):
    if not request.user.has_perm("purchasing.view_purchaserequisition"):
        raise PermissionDenied
    requisition = get_object_or_404(
        PurchaseRequisition.objects.visible_to(request.user)
        .select_related("org_unit", "created_by", "decided_by")
        .prefetch_related("lines__product", "orders"),
        pk=pk,
    )
    return render(
        request,
        "purchasing/requisition_detail.html",
        {
            "req": requisition,
            "title": f"{requisition.number} · {requisition.org_unit.name}",
            **audit_history(requisition),
        },
    )


# --- purchase orders ------------------------------------------------------------------------


def _late_badge(order):
    if getattr(order, "is_late", False) and order.status in (OrderStatus.APPROVED, OrderStatus.PARTIALLY_RECEIVED):
        return format_html('<span class="badge bg-red-lt" data-late="true">{}</span>', _("逾期"))
    return ""


class OrderListView(ListPageView):
    """SUP-5: every order in scope with status, supplier, amount and whether a line is late; Excel export."""

    permission_required = "purchasing.view_purchaseorder"
    title = gettext_lazy("采购订单")
    filterset_class = PurchaseOrderFilterSet
    default_sort = "-created_at"
    export_filename = "purchase-orders"
    detail_url_name = "purchasing:order-detail"
    actions = [(gettext_lazy("新建采购订单"), "purchasing:order-create", "purchasing.add_purchaseorder")]
    columns = [
        Column(gettext_lazy("订单号"), "number", sort="number", link=True),
        Column(gettext_lazy("订货日期"), "order_date", sort="order_date"),
        Column(gettext_lazy("供应商"), "supplier.name"),
        Column(gettext_lazy("收货仓库"), "warehouse.name"),
        Column(gettext_lazy("金额（元）"), "total", sort="total"),
        Column(
            gettext_lazy("状态"), lambda o: ORDER_WORKFLOW.badge(o.status), sort="status", export="get_status_display"
        ),
        Column(gettext_lazy("逾期"), _late_badge, export=lambda o: "是" if getattr(o, "is_late", False) else ""),
        Column(gettext_lazy("编制人"), "created_by.name"),
    ]

    def base_queryset(self):
        from django.db.models import Exists

        return (
            PurchaseOrder.objects.visible_to(self.request.user)
            .select_related("supplier", "warehouse", "created_by")
            .annotate(is_late=Exists(late_lines()))
        )


def _order_context(request, form, formset, order=None):
    return {
        "form": form,
        "formset": formset,
        "order": order,
        "title": _("修改采购订单 %(number)s") % {"number": order.number} if order else _("新建采购订单"),
    }


@login_required
@permission_required("purchasing.add_purchaseorder", raise_exception=True)
def order_create(request):
    """The purchase contract with its lines (htmx adds a line); SUP-4 terms are asked here."""
    requisition = None
    initial, line_initial = {"order_date": timezone.localdate()}, None
    requisition_id = request.GET.get("requisition") or request.POST.get("requisition")
    if requisition_id and str(requisition_id).isdigit():
        requisition = PurchaseRequisition.objects.visible_to(request.user).filter(pk=requisition_id).first()
        if requisition is not None:
            line_initial = [
                {"product": line.product_id, "quantity": line.quantity, "due_date": line.needed_by}
                for line in requisition.lines.all()
            ]
    form = OrderForm(request.POST or None, initial=initial, user=request.user)
    formset = OrderLineFormSet(request.POST or None, prefix="lines", initial=line_initial)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            created = services.order_create(
                actor=request.user,
                requisition=requisition,
                lines=_line_dicts(formset, ("product", "quantity", "unit_price", "due_date")),
                **form.cleaned_data,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已新建采购订单：%(number)s") % {"number": created.number})
            return redirect("purchasing:order-detail", created.pk)
    context = _order_context(request, form, formset)
    context["requisition"] = requisition
    return render(request, "purchasing/order_form.html", context)


@login_required
@permission_required("purchasing.change_purchaseorder", raise_exception=True)
def order_edit(request, pk):
    order = get_object_or_404(PurchaseOrder.objects.visible_to(request.user), pk=pk)
    if order.status != OrderStatus.DRAFT:
        messages.error(request, _("只有草稿状态的采购订单可以修改"))
        return redirect("purchasing:order-detail", order.pk)
    fields = ("supplier", "warehouse", "order_date", "quality_standard", "acceptance_method", "return_terms")
    initial = {name: getattr(order, name) for name in (*fields, "payment_terms", "note")}
    lines = [
        {
            "product": line.product_id,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "due_date": line.due_date,
        }
        for line in order.lines.all()
    ]
    form = OrderForm(request.POST or None, initial=initial, user=request.user)
    formset = OrderLineFormSet(request.POST or None, prefix="lines", initial=lines)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        version = request.POST.get("version", "")
        try:
            services.order_update(
                actor=request.user,
                order_id=order.pk,
                expected_version=int(version) if version.isdigit() else None,
                lines=_line_dicts(formset, ("product", "quantity", "unit_price", "due_date")),
                **form.cleaned_data,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("purchasing:order-detail", order.pk)
    return render(request, "purchasing/order_form.html", _order_context(request, form, formset, order))


@login_required
@permission_required("purchasing.add_purchaseorder", raise_exception=True)
def order_line_row(request):
    """htmx: one more empty line of the order form (and the formset's new total, out of band)."""
    raw = request.GET.get("index", "0")
    index = int(raw) if raw.isdigit() and int(raw) < 200 else 0
    formset = OrderLineFormSet(prefix="lines")
    form = formset.empty_form
    form.prefix = f"lines-{index}"
    return render(request, "purchasing/_order_line_row.html", {"line": form, "total": index + 1, "oob": True})


def _visible_order(request, pk) -> PurchaseOrder:
    if not request.user.has_perm("purchasing.view_purchaseorder"):
        raise PermissionDenied
    return get_object_or_404(
        PurchaseOrder.objects.visible_to(request.user)
        .select_related("supplier", "warehouse", "created_by", "submitted_by", "approved_by", "requisition")
        .prefetch_related(
            Prefetch("lines", queryset=PurchaseOrderLine.objects.select_related("product").order_by("id")),
            Prefetch("receipts", queryset=Receipt.objects.order_by("received_at", "id")),
        ),
        pk=pk,
    )


@login_required
def order_detail(request, pk):
    """The order: terms, lines with received / accepted / rejected and SUP-5 figures, receipts, actions."""
    order = _visible_order(request, pk)
    lines = list(order.lines.all())
    received = sum(line.received_quantity for line in lines)
    accepted = sum(line.accepted_quantity for line in lines)
    inspected = accepted + sum(line.rejected_quantity for line in lines)
    due = [line for line in lines if line.on_time is not None]
    figures = {
        "on_time": f"{sum(1 for line in due if line.on_time)}/{len(due)}" if due else "—",
        "quality": f"{accepted / inspected:.0%}" if inspected else "—",
        "quantity": f"{sum(1 for line in lines if line.in_quantity)}/{len(lines)}",
        "received": received,
    }
    can_receive = (
        request.user.has_perm("purchasing.add_receipt")
        and order.status in (OrderStatus.APPROVED, OrderStatus.PARTIALLY_RECEIVED, OrderStatus.RECEIVED)
        and any(line.outstanding for line in lines)
    )
    approvable = order.status == OrderStatus.SUBMITTED and request.user.has_perm("purchasing.approve_purchaseorder")
    context = {
        "order": order,
        "lines": lines,
        "figures": figures,
        "can_receive": can_receive,
        "limit": services.approval_limit(),
        "may_approve": approvable and services.may_approve(request.user, order),
        "approvable": approvable,
        "title": f"{order.number} · {order.supplier.name}",
        **audit_history(order),
    }
    return render(request, "purchasing/order_detail.html", context)


@login_required
def order_pdf(request, pk):
    """The printable 采购订单 (purchase contract) with its SUP-4 terms."""
    from salesservice.core.pdf import Document, render_document

    order = _visible_order(request, pk)
    doc = Document(title="采购订单（采购合同）", number=order.number)
    doc.fields(
        [
            ("供应商", f"{order.supplier.number} {order.supplier.name}"),
            ("订货日期", order.order_date),
            ("收货仓库", order.warehouse.name),
            ("金额（元）", order.total),
            ("付款条件", order.payment_terms),
            ("状态", order.get_status_display()),
        ]
    )
    doc.table(
        "订单明细",
        ["商品编码", "商品名称", "规格", "数量", "单价", "金额", "交货日期"],
        [
            [
                line.product.code,
                line.product.name,
                line.product.specification,
                line.quantity,
                line.unit_price,
                line.amount,
                line.due_date,
            ]
            for line in order.lines.all()
        ],
    )
    doc.text("质量标准", order.quality_standard)
    doc.text("验收方式", order.acceptance_method)
    doc.text("退换货条款", order.return_terms)
    if order.note:
        doc.text("备注", order.note)
    doc.fields(
        [
            ("编制", f"{order.created_by.name} {timezone.localtime(order.created_at):%Y-%m-%d}"),
            (
                "批准",
                f"{order.approved_by.name} {timezone.localtime(order.approved_at):%Y-%m-%d}"
                if order.approved_by
                else "",
            ),
        ],
        title="审批",
    )
    response = HttpResponse(render_document(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.number}.pdf"'
    return response


# --- receipts -------------------------------------------------------------------------------


class ReceiptListView(ListPageView):
    permission_required = "purchasing.view_receipt"
    title = gettext_lazy("入库验收")
    filterset_class = ReceiptFilterSet
    default_sort = "-received_at"
    export_filename = "receipts"
    detail_url_name = "purchasing:receipt-detail"
    columns = [
        Column(gettext_lazy("单号"), "number", sort="number", link=True),
        Column(gettext_lazy("到货时间"), "received_at", sort="received_at"),
        Column(gettext_lazy("采购订单"), "order.number"),
        Column(gettext_lazy("供应商"), "order.supplier.name"),
        Column(gettext_lazy("仓库"), "warehouse.name"),
        Column(gettext_lazy("送货单号"), "delivery_note"),
        Column(
            gettext_lazy("状态"), lambda r: RECEIPT_WORKFLOW.badge(r.status), sort="status", export="get_status_display"
        ),
    ]

    def base_queryset(self):
        return Receipt.objects.visible_to(self.request.user).select_related("order", "order__supplier", "warehouse")


@login_required
@permission_required("purchasing.add_receipt", raise_exception=True)
def receipt_create(request, pk):
    """Register goods arriving against an approved order: per open line the quantity and what the product's
    tracking mode asks (lot, serial numbers, production and expiry dates — PRD-3). They land in quarantine."""
    order = _visible_order(request, pk)
    form = ReceiptForm(request.POST or None, order=order)
    if request.method == "POST" and form.is_valid():
        version = request.POST.get("version", "")
        try:
            created = services.receipt_create(
                actor=request.user,
                order_id=order.pk,
                expected_version=int(version) if version.isdigit() else None,
                delivery_note=form.cleaned_data["delivery_note"],
                note=form.cleaned_data["note"],
                lines=form.service_lines(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已登记到货：%(number)s，商品已进入待检区") % {"number": created.number})
            return redirect("purchasing:receipt-detail", created.pk)
    return render(
        request,
        "purchasing/receipt_form.html",
        {"form": form, "order": order, "title": _("到货登记 · %(number)s") % {"number": order.number}},
    )


def _visible_receipt(request, pk) -> Receipt:
    if not request.user.has_perm("purchasing.view_receipt"):
        raise PermissionDenied
    lines = (
        ReceiptLine.objects.select_related("product", "inspector", "nonconformance", "order_line")
        .prefetch_related(Prefetch("lots", queryset=ReceiptLot.objects.select_related("lot", "location")), "checks")
        .order_by("id")
    )
    return get_object_or_404(
        Receipt.objects.visible_to(request.user)
        .select_related("order", "order__supplier", "warehouse", "received_by", "inspected_by", "put_away_by")
        .prefetch_related(Prefetch("lines", queryset=lines)),
        pk=pk,
    )


@login_required
def receipt_detail(request, pk):
    """The receipt: lines with lots, the inspection results, and the inspect / put-away forms (workflow)."""
    receipt = _visible_receipt(request, pk)
    return render(
        request,
        "purchasing/receipt_detail.html",
        {"receipt": receipt, "title": f"{receipt.number} · {receipt.order.supplier.name}", **audit_history(receipt)},
    )


@login_required
def receipt_pdf(request, pk):
    """The printable 入库验收单: lots, dates, checklist results, accepted / rejected, signatures."""
    from salesservice.core.pdf import Document, render_document

    receipt = _visible_receipt(request, pk)
    doc = Document(title="入库验收单", number=receipt.number)
    doc.fields(
        [
            ("供应商", receipt.order.supplier.name),
            ("采购订单", receipt.order.number),
            ("仓库", receipt.warehouse.name),
            ("送货单号", receipt.delivery_note),
            ("到货时间", receipt.received_at),
            ("收货人", receipt.received_by.name),
            ("状态", receipt.get_status_display()),
            (
                "验收",
                f"{receipt.inspected_by.name} {timezone.localtime(receipt.inspected_at):%Y-%m-%d %H:%M}"
                if receipt.inspected_by
                else "",
            ),
        ]
    )
    doc.table(
        "到货明细",
        ["商品", "批号", "序列号", "生产日期", "有效期至", "到货", "合格", "不合格", "不合格品"],
        [
            [
                f"{line.product.code} {line.product.name}",
                line.lot_number,
                "、".join(line.serial_numbers),
                line.production_date,
                line.expiry_date,
                line.quantity,
                line.accepted_quantity,
                line.rejected_quantity,
                line.nonconformance.number if line.nonconformance_id else "",
            ]
            for line in receipt.lines.all()
        ],
    )
    checks = [
        [
            line.product.name,
            check.get_result_display() if hasattr(check, "get_result_display") else check.result,
            check.text,
            check.note,
        ]
        for line in receipt.lines.all()
        for check in line.checks.all()
    ]
    doc.table("验收项目（外观、性能、规格、数量）", ["商品", "结论", "验收要点", "说明"], checks)
    if receipt.inspection_note:
        doc.text("验收结论", receipt.inspection_note)
    doc.fields([("验收人签字", ""), ("仓管签字", "")], title="签字")
    response = HttpResponse(render_document(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{receipt.number}.pdf"'
    return response


# --- product registry by number (PRD-3) -----------------------------------------------------


@login_required
@permission_required("purchasing.view_receipt", raise_exception=True)
def trace(request):
    """PRD-3 / TRC-3 产品登记/追溯: for a lot or serial number — the product, supplier, order, receipt,
    inspection results, production and expiry dates and every (signed) stock move of it, within the
    warehouses the user may see."""
    from salesservice.inventory.models import Lot, StockMove
    from salesservice.suppliers.models import Supplier

    query = request.GET.get("q", "").strip()[:80]
    results = []
    if query:
        lots = list(
            Lot.objects.visible_to(request.user)
            .filter(Q(lot_number=query) | Q(serial_number=query))
            .select_related("product")
            .order_by("product__code", "lot_number", "serial_number")[:20]
        )
        suppliers = Supplier.objects.in_bulk({lot.supplier_id for lot in lots if lot.supplier_id})
        for lot in lots:
            receipt_lots = list(
                ReceiptLot.objects.filter(lot=lot)
                .filter(line__receipt__in=Receipt.objects.visible_to(request.user))
                .select_related(
                    "line",
                    "line__receipt",
                    "line__receipt__order",
                    "line__inspector",
                    "line__nonconformance",
                    "location",
                )
            )
            moves = list(
                StockMove.objects.visible_to(request.user)
                .filter(lot=lot)
                .select_related("from_location", "to_location", "actor")
                .order_by("at", "id")[:100]
            )
            results.append(
                {"lot": lot, "supplier": suppliers.get(lot.supplier_id), "receipts": receipt_lots, "moves": moves}
            )
    return render(
        request, "purchasing/trace.html", {"title": _("商品追溯（按批号/序列号）"), "q": query, "results": results}
    )
