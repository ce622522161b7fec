"""Pages of the sales app: quotations, contracts (with the review sheet), sales orders (with the review
findings and the progress schedule), receivables and the GSP sales record; printable 报价单, 合同评审表,
销售订单. Every state change is a workflow action button (core.workflow); create forms call one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesservice.core.exceptions import DomainError
from salesservice.core.forms import apply_domain_error
from salesservice.core.privacy import mask
from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history
from salesservice.purchasing.views import _line_dicts

from . import services
from .choices import OrderStatus, ReviewResult
from .filtersets import (
    ContractFilterSet,
    QuotationFilterSet,
    ReceivableFilterSet,
    SalesOrderFilterSet,
    SalesRecordFilterSet,
)
from .forms import ContractForm, LineFormSet, OrderForm, PaymentForm, QuotationForm
from .models import (
    Contract,
    Quotation,
    QuotationLine,
    Receivable,
    SalesOrder,
    SalesOrderLine,
    SalesRecord,
)
from .orders import contract_remaining
from .workflows import CONTRACT_WORKFLOW, ORDER_WORKFLOW, QUOTATION_WORKFLOW

LINE_FIELDS = ("product", "quantity", "unit_price")


def _lines_text(row):
    return "、".join(f"{line.product.name}×{line.quantity}" for line in row.lines.all())


# --- lists --------------------------------------------------------------------------------------


class QuotationListView(ListPageView):
    permission_required = "sales.view_quotation"
    title = gettext_lazy("报价单")
    filterset_class = QuotationFilterSet
    default_sort = "-created_at"
    export_filename = "quotations"
    detail_url_name = "sales:quotation-detail"
    actions = [(gettext_lazy("新建报价单"), "sales:quotation-create", "sales.add_quotation")]
    columns = [
        Column(gettext_lazy("报价单号"), "number", sort="number", link=True),
        Column(gettext_lazy("客户"), "customer.name"),
        Column(gettext_lazy("商品"), _lines_text),
        Column(gettext_lazy("金额（元）"), "total", sort="total"),
        Column(gettext_lazy("最大折扣%"), "max_discount_pct"),
        Column(gettext_lazy("有效期至"), "valid_until", sort="valid_until"),
        Column(
            gettext_lazy("状态"),
            lambda r: QUOTATION_WORKFLOW.badge(r.status),
            sort="status",
            export="get_status_display",
        ),
    ]

    def base_queryset(self):
        return (
            Quotation.objects.visible_to(self.request.user)
            .select_related("customer")
            .prefetch_related(Prefetch("lines", queryset=QuotationLine.objects.select_related("product")))
        )


class ContractListView(ListPageView):
    permission_required = "sales.view_contract"
    title = gettext_lazy("销售合同")
    filterset_class = ContractFilterSet
    default_sort = "-created_at"
    export_filename = "contracts"
    detail_url_name = "sales:contract-detail"
    actions = [(gettext_lazy("新建合同"), "sales:contract-create", "sales.add_contract")]
    columns = [
        Column(gettext_lazy("合同编号"), "number", sort="number", link=True),
        Column(gettext_lazy("合同名称"), "title"),
        Column(gettext_lazy("客户"), "customer.name"),
        Column(gettext_lazy("金额（元）"), "total", sort="total"),
        Column(gettext_lazy("版本"), "revision"),
        Column(gettext_lazy("签订日期"), "signed_on", sort="signed_on"),
        Column(
            gettext_lazy("状态"),
            lambda r: CONTRACT_WORKFLOW.badge(r.status),
            sort="status",
            export="get_status_display",
        ),
    ]

    def base_queryset(self):
        return Contract.objects.visible_to(self.request.user).select_related("customer")


class OrderListView(ListPageView):
    permission_required = "sales.view_salesorder"
    title = gettext_lazy("销售订单")
    filterset_class = SalesOrderFilterSet
    default_sort = "-created_at"
    export_filename = "sales-orders"
    detail_url_name = "sales:order-detail"
    actions = [(gettext_lazy("新建销售订单"), "sales:order-create", "sales.add_salesorder")]
    columns = [
        Column(gettext_lazy("订单号"), "number", sort="number", link=True),
        Column(gettext_lazy("订货日期"), "order_date", sort="order_date"),
        Column(gettext_lazy("客户"), "customer.name"),
        Column(gettext_lazy("商品"), _lines_text),
        Column(gettext_lazy("金额（元）"), "total", sort="total"),
        Column(gettext_lazy("授权"), lambda r: "⚠ " + r.rep_flag if r.rep_flag else "✓"),
        Column(
            gettext_lazy("状态"), lambda r: ORDER_WORKFLOW.badge(r.status), sort="status", export="get_status_display"
        ),
    ]

    def base_queryset(self):
        return (
            SalesOrder.objects.visible_to(self.request.user)
            .select_related("customer")
            .prefetch_related(Prefetch("lines", queryset=SalesOrderLine.objects.select_related("product")))
        )


class ReceivableListView(ListPageView):
    permission_required = "sales.view_receivable"
    title = gettext_lazy("应收款")
    filterset_class = ReceivableFilterSet
    default_sort = "due_date"
    export_filename = "receivables"
    columns = [
        Column(gettext_lazy("客户"), "customer.name"),
        Column(gettext_lazy("款项"), "get_kind_display"),
        Column(
            gettext_lazy("订单/合同"),
            lambda r: (r.order and r.order.number) or (r.contract and r.contract.number) or "",
        ),
        Column(gettext_lazy("应收（元）"), "amount", sort="amount"),
        Column(gettext_lazy("已收（元）"), "paid_amount"),
        Column(gettext_lazy("到期日"), "due_date", sort="due_date"),
        Column(
            gettext_lazy("状态"), lambda r: _("已收讫") if r.paid_at else (_("逾期") if r.is_overdue else _("未到期"))
        ),
    ]

    def base_queryset(self):
        return Receivable.objects.visible_to(self.request.user).select_related("customer", "order", "contract")


class SalesRecordListView(ListPageView):
    """TRC-1: the GSP sales record — every field of 004 §4.4.1, exportable for the regulator."""

    permission_required = "sales.view_salesrecord"
    title = gettext_lazy("销售记录（GSP）")
    filterset_class = SalesRecordFilterSet
    default_sort = "-sale_date"
    export_filename = "gsp-sales-records"
    columns = [
        Column(gettext_lazy("销售日期"), "sale_date", sort="sale_date"),
        Column(gettext_lazy("产品名称"), "product_name"),
        Column(gettext_lazy("规格型号"), "specification"),
        Column(gettext_lazy("注册证号/备案号"), "registration_no"),
        Column(gettext_lazy("批号/序列号"), lambda r: r.lot_number or r.serial_number),
        Column(gettext_lazy("有效期至"), "expiry_date"),
        Column(gettext_lazy("数量"), "quantity"),
        Column(gettext_lazy("单价"), "unit_price"),
        Column(gettext_lazy("金额"), "amount"),
        Column(gettext_lazy("生产企业"), "manufacturer"),
        Column(gettext_lazy("生产企业许可证号"), "manufacturer_licence_no"),
        Column(gettext_lazy("购货单位"), "buyer_name"),
        Column(gettext_lazy("购货单位许可证号"), "buyer_licence_no"),
        Column(gettext_lazy("联系人"), "contact"),
        Column(gettext_lazy("电话"), lambda r: mask("phone", r.phone)),
        Column(gettext_lazy("地址"), lambda r: mask("address", r.address)),
        Column(gettext_lazy("订单"), "order.number"),
        Column(gettext_lazy("保存至"), lambda r: r.retain_until or _("永久")),
    ]

    def base_queryset(self):
        return SalesRecord.objects.visible_to(self.request.user).select_related("order")


# --- create forms -------------------------------------------------------------------------------


def _create_page(request, *, form, formset, title, make, back):
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            created = make({**form.cleaned_data, "lines": _line_dicts(formset, LINE_FIELDS)})
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已新建：%(n)s") % {"n": created.number})
            return redirect(created)
    return render(request, "sales/document_form.html", {"form": form, "formset": formset, "title": title, "back": back})


def _from_source(request, model, perm):
    raw = request.GET.get("from") or request.POST.get("from") or ""
    if not raw.isdigit():
        return None
    return model.objects.visible_to(request.user).filter(pk=raw).first()


def _source_lines(source):
    return (
        [{"product": ln.product_id, "quantity": ln.quantity, "unit_price": ln.unit_price} for ln in source.lines.all()]
        if source
        else None
    )


@login_required
@permission_required("sales.add_quotation", raise_exception=True)
def quotation_create(request):
    """A quotation, from an inquiry when `?inquiry=` names one the user sees (PRE-3: the inquiry is marked quoted)."""
    from .models import Inquiry

    raw = request.GET.get("inquiry") or request.POST.get("inquiry") or ""
    inquiry = Inquiry.objects.visible_to(request.user).filter(pk=raw).first() if raw.isdigit() else None
    initial, lines = None, None
    if inquiry is not None:
        initial = {
            "customer": inquiry.customer_id,
            "note": _("来自咨询 %(n)s：%(needs)s") % {"n": inquiry.number, "needs": inquiry.needs[:150]},
        }
        if inquiry.product_id:
            lines = [{"product": inquiry.product_id, "quantity": 1}]
    form = QuotationForm(request.POST or None, user=request.user, initial=initial)
    formset = LineFormSet(request.POST or None, prefix="lines", initial=lines)
    return _create_page(
        request,
        form=form,
        formset=formset,
        title=_("新建报价单"),
        back="sales:quotations",
        make=lambda v: services.quotation_create(actor=request.user, inquiry=inquiry, **v),
    )


@login_required
@permission_required("sales.add_contract", raise_exception=True)
def contract_create(request):
    quotation = _from_source(request, Quotation, "sales.view_quotation")
    initial = (
        {"customer": quotation.customer_id, "title": _("%(c)s 采购合同") % {"c": quotation.customer.name}}
        if quotation
        else None
    )
    form = ContractForm(request.POST or None, user=request.user, initial=initial)
    formset = LineFormSet(request.POST or None, prefix="lines", initial=_source_lines(quotation))

    def make(values):
        return services.contract_create(actor=request.user, quotation=quotation, **values)

    response = _create_page(
        request, form=form, formset=formset, title=_("新建销售合同"), back="sales:contracts", make=make
    )
    return response


@login_required
@permission_required("sales.add_salesorder", raise_exception=True)
def order_create(request):
    contract = (
        _from_source(request, Contract, "sales.view_contract")
        if request.GET.get("kind", request.POST.get("kind")) == "contract"
        else None
    )
    quotation = (
        _from_source(request, Quotation, "sales.view_quotation")
        if request.GET.get("kind", request.POST.get("kind")) == "quotation"
        else None
    )
    source = contract or quotation
    initial = {"customer": source.customer_id} if source else None
    if contract is not None:
        remaining = contract_remaining(contract)
        prices = {ln.product_id: ln.unit_price for ln in contract.lines.all()}
        lines = [{"product": pid, "quantity": n, "unit_price": prices[pid]} for pid, n in remaining.items() if n > 0]
    else:
        lines = _source_lines(quotation)
    form = OrderForm(request.POST or None, user=request.user, initial=initial)
    formset = LineFormSet(request.POST or None, prefix="lines", initial=lines)

    def make(values):
        return services.order_create(actor=request.user, contract=contract, quotation=quotation, **values)

    return _create_page(request, form=form, formset=formset, title=_("新建销售订单"), back="sales:orders", make=make)


@login_required
def line_row(request):
    """htmx: one more empty line of a document form (and the formset's new total, out of band)."""
    raw = request.GET.get("index", "0")
    index = int(raw) if raw.isdigit() and int(raw) < 200 else 0
    form = LineFormSet(prefix="lines").empty_form
    form.prefix = f"lines-{index}"
    return render(request, "purchasing/_order_line_row.html", {"line": form, "total": index + 1, "oob": True})


# --- detail pages -------------------------------------------------------------------------------


@login_required
@permission_required("sales.view_quotation", raise_exception=True)
def quotation_detail(request, pk):
    quotation = get_object_or_404(
        Quotation.objects.visible_to(request.user).select_related("customer", "inquiry", "created_by", "approved_by"),
        pk=pk,
    )
    lines = list(quotation.lines.select_related("product"))
    from .presales_selectors import approved_claims

    claims = approved_claims([line.product_id for line in lines])
    context = {
        "quotation": quotation,
        "lines": lines,
        "claim_rows": [(line.product, claims[line.product_id]) for line in lines if claims.get(line.product_id)],
        "title": f"{quotation.number} · {quotation.customer.name}",
        **audit_history(quotation),
    }
    return render(request, "sales/quotation_detail.html", context)


@login_required
@permission_required("sales.view_contract", raise_exception=True)
def contract_detail(request, pk):
    contract = get_object_or_404(
        Contract.objects.visible_to(request.user).select_related(
            "customer", "quotation", "tender", "created_by", "approved_by"
        ),
        pk=pk,
    )
    reviews = [r for r in contract.reviews.select_related("reviewer") if r.revision == contract.revision]
    context = {
        "contract": contract,
        "lines": list(contract.lines.select_related("product")),
        "reviews": reviews,
        "amendments": list(contract.amendments.select_related("created_by")),
        "orders": list(contract.orders.all()),
        "receivables": list(contract.receivables.all()),
        "title": f"{contract.number} · {contract.title}",
        **audit_history(contract),
    }
    return render(request, "sales/contract_detail.html", context)


@login_required
@permission_required("sales.view_salesorder", raise_exception=True)
def order_detail(request, pk):
    order = get_object_or_404(
        SalesOrder.objects.visible_to(request.user).select_related(
            "customer",
            "contract",
            "quotation",
            "warehouse",
            "sales_rep",
            "rep_authorisation",
            "created_by",
            "reviewed_by",
        ),
        pk=pk,
    )
    lines = list(order.lines.select_related("product"))
    findings = order.review_findings
    preview = order.status == OrderStatus.DRAFT
    if preview:  # SAL-5: what the review will find, before anyone clicks
        findings = services.order_review_findings(order, lines)
    receivables = list(order.receivables.prefetch_related("payments"))
    context = {
        "order": order,
        "lines": lines,
        "findings": findings,
        "preview": preview,
        "blocking": any(f.get("blocking") for f in findings),
        "steps": list(order.steps.all()),
        "receivables": receivables,
        "payment_form": PaymentForm(),
        "records": list(order.sales_records.all()[:200]),
        "ship_to_phone": mask("phone", order.ship_to_phone),
        "title": f"{order.number} · {order.customer.name}",
        **audit_history(order),
    }
    return render(request, "sales/order_detail.html", context)


@login_required
@permission_required("sales.record_payment", raise_exception=True)
def receivable_pay(request, pk):
    receivable = get_object_or_404(Receivable.objects.visible_to(request.user), pk=pk)
    back = redirect(receivable.order) if receivable.order_id else redirect("sales:receivables")
    if request.method != "POST":
        return back
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items()))
        return back
    version = request.POST.get("version", "")
    try:
        services.payment_record(
            actor=request.user,
            receivable_id=receivable.pk,
            expected_version=int(version) if version.isdigit() else None,
            **form.cleaned_data,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已登记回款 %(a)s 元") % {"a": form.cleaned_data["amount"]})
    return back


# --- printable documents ------------------------------------------------------------------------


def _pdf(doc, number):
    from salesservice.core.pdf import render_document

    response = HttpResponse(render_document(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{number}.pdf"'
    return response


@login_required
@permission_required("sales.view_quotation", raise_exception=True)
def quotation_pdf(request, pk):
    """The printable 报价单; product claims only from QA-approved text (PRE-2)."""
    from salesservice.core.pdf import Document

    from .presales_selectors import approved_claims

    quotation = get_object_or_404(Quotation.objects.visible_to(request.user).select_related("customer"), pk=pk)
    lines = list(quotation.lines.select_related("product"))
    doc = Document(title="报价单", number=quotation.number)
    doc.fields(
        [
            ("客户", quotation.customer.name),
            ("报价日期", timezone.localtime(quotation.created_at).date()),
            ("有效期至", quotation.valid_until),
            ("报价金额（元）", quotation.total),
        ]
    )
    doc.table(
        "报价明细",
        ["商品编码", "商品名称", "规格型号", "注册证号", "数量", "单价", "金额"],
        [
            [
                ln.product.code,
                ln.product.name,
                ln.product.specification,
                ln.product.registration_no,
                ln.quantity,
                ln.unit_price,
                ln.amount,
            ]
            for ln in lines
        ],
    )
    claims = approved_claims([ln.product_id for ln in lines])
    for line in lines:
        for text in claims.get(line.product_id, []):
            doc.text(f"{line.product.name} 产品介绍（经质量部审核）", text)
    if quotation.terms:
        doc.text("报价条款", quotation.terms)
    doc.fields(
        [
            ("报价人", quotation.created_by.name),
            ("价格审批", quotation.approved_by.name if quotation.approved_by else ""),
        ],
        title="签章",
    )
    return _pdf(doc, quotation.number)


@login_required
@permission_required("sales.view_contract", raise_exception=True)
def contract_review_pdf(request, pk):
    """The printable 合同评审表 (SAL-1) of the current revision: each item, department, verdict, reviewer."""
    from salesservice.core.pdf import Document

    contract = get_object_or_404(Contract.objects.visible_to(request.user).select_related("customer"), pk=pk)
    doc = Document(title="合同评审表", number=f"{contract.number} 第{contract.revision}版")
    doc.fields(
        [
            ("合同名称", contract.title),
            ("客户", contract.customer.name),
            ("合同金额（元）", contract.total),
            ("交货期", contract.delivery_due or ""),
            ("约定定金（元）", contract.deposit_required),
            ("状态", contract.get_status_display()),
        ]
    )
    doc.table(
        "合同明细",
        ["商品", "规格", "数量", "单价", "金额"],
        [
            [ln.product.name, ln.product.specification, ln.quantity, ln.unit_price, ln.amount]
            for ln in contract.lines.select_related("product")
        ],
    )
    doc.text("交付条款", contract.delivery_terms)
    doc.text("验收条款", contract.acceptance_terms)
    doc.text("付款条款", contract.payment_terms)
    rows = []
    for review in contract.reviews.select_related("reviewer"):
        if review.revision != contract.revision:
            continue
        rows.append(
            [
                review.get_item_display(),
                review.get_department_display(),
                review.get_result_display(),
                review.note,
                review.reviewer.name if review.reviewer else "",
                timezone.localtime(review.reviewed_at).strftime("%Y-%m-%d %H:%M") if review.reviewed_at else "",
            ]
        )
    doc.table("评审意见（SAL-1）", ["评审项目", "部门", "结论", "意见", "评审人", "时间"], rows)
    doc.fields(
        [
            (
                "批准",
                f"{contract.approved_by.name} {timezone.localtime(contract.approved_at):%Y-%m-%d}"
                if contract.approved_by
                else "",
            ),
            ("签订", f"{contract.customer_signatory} {contract.signed_on}" if contract.signed_on else ""),
        ],
        title="审批与签订",
    )
    return _pdf(doc, contract.number)


@login_required
@permission_required("sales.view_salesorder", raise_exception=True)
def order_pdf(request, pk):
    """The printable 销售订单 with the review result and the progress schedule."""
    from salesservice.core.pdf import Document

    order = get_object_or_404(
        SalesOrder.objects.visible_to(request.user).select_related("customer", "warehouse"), pk=pk
    )
    doc = Document(title="销售订单", number=order.number)
    doc.fields(
        [
            ("客户", order.customer.name),
            ("订货日期", order.order_date),
            ("合同", order.contract.number if order.contract_id else ""),
            ("发货仓库", order.warehouse.name),
            ("金额（元）", order.total),
            ("状态", order.get_status_display()),
        ]
    )
    doc.table(
        "订单明细",
        ["商品", "规格", "数量", "单价", "金额", "已配货", "已发货"],
        [
            [
                ln.product.name,
                ln.product.specification,
                ln.quantity,
                ln.unit_price,
                ln.amount,
                ln.allocated_quantity,
                ln.shipped_quantity,
            ]
            for ln in order.lines.select_related("product")
        ],
    )
    doc.table(
        "进度表（SAL-7）",
        ["节点", "计划完成", "实际完成"],
        [
            [
                s.get_step_display(),
                timezone.localtime(s.due_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(s.done_at).strftime("%Y-%m-%d %H:%M") if s.done_at else "",
            ]
            for s in order.steps.all()
        ],
    )
    return _pdf(doc, order.number)


def review_rows(reviews):
    return [(r, r.result == ReviewResult.PENDING) for r in reviews]
