"""Trace pages (Simplified Chinese, server-rendered, phone-friendly): the trace search (lot / serial / customer →
result tables, Excel export), recalls (list, new, the recall page with its reconciliation and tasks) and recall
tasks (list, the task page with contact / recover / complete / unreachable). The actions are the workflows'
(workflows.py): each posts to `WORKFLOW.page_view()` calling one service. TRC-2."""

from io import BytesIO

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
from django.views.decorators.http import require_POST

from salesservice.core.exceptions import DomainError
from salesservice.core.forms import apply_domain_error
from salesservice.core.input_guards import parse_id
from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history

from . import selectors, services
from .choices import TASK_CLOSED, TraceKind
from .errors import TraceErrorCode as E
from .filtersets import RecallFilterSet, RecallTaskFilterSet
from .forms import RecallForm, TraceSearchForm
from .models import RecallCampaign, RecallLot, RecallTask, RecallTaskLot
from .workflows import RECALL_TASK_WORKFLOW, RECALL_WORKFLOW

# --- the trace ----------------------------------------------------------------------------------


def _search(request):
    """(form, result, customers to choose from) for the trace page's query string."""
    from salesservice.customers.models import Customer

    data = request.GET.copy()
    if data.get("customer") and not data.get("q"):  # a link from a result: ?customer=<id>
        data["kind"], data["q"] = TraceKind.CUSTOMER, data["customer"]
    if data.get("lot") and not data.get("q"):
        data["kind"], data["q"] = TraceKind.LOT, data["lot"]
    form = TraceSearchForm(data if data.get("q") else None)
    if not form.is_valid():
        return form, None, []
    kind, value = form.cleaned_data["kind"], form.cleaned_data["q"].strip()
    if kind == TraceKind.LOT:
        return form, selectors.trace_lots(request.user, lot=value), []
    if kind == TraceKind.SERIAL:
        return form, selectors.trace_lots(request.user, serial=value), []
    pk = parse_id(value)
    if pk is not None and data.get("customer"):
        return form, selectors.trace_customer(request.user, pk), []
    matches = list(
        Customer.objects.visible_to(request.user)
        .filter(Q(code=value) | Q(name__icontains=value) | Q(pk=pk if pk is not None else -1))
        .order_by("name")[:20]
    )
    if len(matches) == 1:
        return form, selectors.trace_customer(request.user, matches[0].pk), []
    return form, None, matches


@login_required
@permission_required("sales.view_salesrecord", raise_exception=True)
def trace(request):
    """TRC-2 批次追溯: lot / serial → every customer who received it and the path back to the supplier;
    customer → every lot it received. `?export=xlsx` downloads the result."""
    form, result, matches = _search(request)
    if result is not None and request.GET.get("export") == "xlsx":
        return _export(result)
    return render(
        request,
        "trace/trace.html",
        {
            "title": _("批次追溯与召回"),
            "form": form,
            "result": result,
            "matches": matches,
            "searched": form.is_bound,
            "can_recall": request.user.has_perm("trace.add_recallcampaign"),
            "query": request.GET.urlencode(),
        },
    )


def _export(result):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("追溯结果")
    sheet.append(["批号", "序列号", "商品", "客户", "销售订单", "合同", "发货单", "销售日期", "数量", "联系人", "电话"])
    for record in result.records:
        sheet.append(
            [
                record.lot_number,
                record.serial_number,
                record.product_name,
                record.buyer_name,
                record.order.number,
                record.order.contract.number if record.order.contract_id else "",
                record.shipment_number,
                record.sale_date,
                record.quantity,
                record.contact,
                record.phone if result.revealed else selectors.mask_phone(record.phone),
            ]
        )
    lots = workbook.create_sheet("批次与供货路径")
    lots.append(["批号", "序列号", "商品", "有效期至", "供应商", "入库验收单", "采购订单", "发货数量", "客户数"])
    for row in result.lots:
        receipts = row.receipts or [None]
        for receipt in receipts:
            lots.append(
                [
                    row.lot.lot_number,
                    row.lot.serial_number,
                    row.lot.product.name,
                    row.lot.expiry_date,
                    "、".join(row.suppliers),
                    receipt.line.receipt.number if receipt else "",
                    receipt.line.receipt.order.number if receipt else "",
                    row.shipped,
                    row.customers,
                ]
            )
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="trace-{result.kind}-{stamp}.xlsx"'
    return response


# --- recalls ------------------------------------------------------------------------------------


class RecallListView(ListPageView):
    permission_required = "trace.view_recallcampaign"
    title = gettext_lazy("召回")
    filterset_class = RecallFilterSet
    default_sort = "-created_at"
    export_filename = "recalls"
    detail_url_name = "trace:recall-detail"
    actions = [(gettext_lazy("新建召回"), "trace:recall-create", "trace.add_recallcampaign")]
    columns = [
        Column(gettext_lazy("召回编号"), "number", sort="number", link=True),
        Column(gettext_lazy("名称"), "title"),
        Column(gettext_lazy("级别"), "get_level_display", sort="level"),
        Column(gettext_lazy("负责单位"), "org_unit.name"),
        Column(gettext_lazy("启动时间"), "launched_at", sort="launched_at"),
        Column(
            gettext_lazy("状态"), lambda r: RECALL_WORKFLOW.badge(r.status), sort="status", export="get_status_display"
        ),
    ]

    def base_queryset(self):
        return RecallCampaign.objects.visible_to(self.request.user).select_related("org_unit")


@login_required
@permission_required("trace.add_recallcampaign", raise_exception=True)
def recall_create(request):
    """A new recall (draft) — from the trace page a lot comes pre-filled (`?lot=<id>`)."""
    initial = {}
    lot_id = parse_id(request.GET.get("lot", ""))
    if lot_id is not None:
        lot = selectors.traceable_lots(request.user).filter(pk=lot_id).first()
        if lot is not None:
            initial["lots"] = lot.serial_number or lot.lot_number
    form = RecallForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        numbers = form.lot_numbers()
        lots = list(
            selectors.traceable_lots(request.user)
            .filter(Q(lot_number__in=numbers) | Q(serial_number__in=numbers))
            .values_list("pk", flat=True)
        )
        try:
            if not lots:
                raise DomainError(E.RECALL_LOT_INVALID, _("没有找到这些批号或序列号"), fields={"lots": [_("无效")]})
            created = services.recall_create(
                actor=request.user,
                title=form.cleaned_data["title"],
                reason=form.cleaned_data["reason"],
                level=form.cleaned_data["level"],
                lots=lots,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已新建召回：%(number)s") % {"number": created.number})
            return redirect("trace:recall-detail", created.pk)
    return render(request, "trace/recall_form.html", {"form": form, "title": _("新建召回")})


@login_required
def recall_detail(request, pk):
    """The recall: reason and level, the affected lots, the reconciliation (shipped = recovered + outstanding,
    in stock), the tasks per customer and the actions (launch / close)."""
    if not request.user.has_perm("trace.view_recallcampaign"):
        raise PermissionDenied
    campaign = get_object_or_404(
        RecallCampaign.objects.visible_to(request.user)
        .select_related("org_unit", "created_by", "launched_by", "closed_by")
        .prefetch_related(
            Prefetch("recall_lots", queryset=RecallLot.objects.select_related("lot__product").order_by("id"))
        ),
        pk=pk,
    )
    rows = selectors.reconciliation(campaign)
    tasks = list(
        campaign.tasks.select_related("customer", "assignee", "org_unit")
        .prefetch_related(Prefetch("task_lots", queryset=RecallTaskLot.objects.select_related("lot").order_by("id")))
        .order_by("status", "customer__name")
    )
    return render(
        request,
        "trace/recall_detail.html",
        {
            "campaign": campaign,
            "rows": rows,
            "totals": selectors.reconciliation_totals(rows),
            "tasks": tasks,
            "tasks_open": sum(1 for task in tasks if task.status not in TASK_CLOSED),
            "title": f"{campaign.number} · {campaign.title}",
            **audit_history(campaign),
        },
    )


# --- tasks --------------------------------------------------------------------------------------


class TaskListView(ListPageView):
    permission_required = "trace.view_recalltask"
    title = gettext_lazy("召回任务")
    filterset_class = RecallTaskFilterSet
    default_sort = "due_at"
    export_filename = "recall-tasks"
    detail_url_name = "trace:task-detail"
    columns = [
        Column(gettext_lazy("客户"), "customer.name", link=True),
        Column(gettext_lazy("召回"), "campaign.number", sort="campaign"),
        Column(gettext_lazy("负责人"), "assignee.name"),
        Column(gettext_lazy("发货"), "shipped_quantity"),
        Column(gettext_lazy("已收回"), "recovered_quantity"),
        Column(gettext_lazy("须通知时限"), "due_at", sort="due_at"),
        Column(
            gettext_lazy("状态"),
            lambda r: RECALL_TASK_WORKFLOW.badge(r.status),
            sort="status",
            export="get_status_display",
        ),
    ]

    def base_queryset(self):
        return RecallTask.objects.visible_to(self.request.user).select_related("customer", "campaign", "assignee")


@login_required
def task_detail(request, pk):
    """A recall task: the customer and contact, what it received per lot and what came back, the actions."""
    if not request.user.has_perm("trace.view_recalltask"):
        raise PermissionDenied
    task = get_object_or_404(
        RecallTask.objects.visible_to(request.user)
        .select_related("campaign", "customer", "assignee", "org_unit")
        .prefetch_related(
            Prefetch("task_lots", queryset=RecallTaskLot.objects.select_related("lot__product").order_by("id")),
            "recoveries__recorded_by",
            "recoveries__lot",
        ),
        pk=pk,
    )
    from salesservice.core import privacy

    return render(
        request,
        "trace/task_detail.html",
        {
            "task": task,
            "phone": privacy.mask_phone(task.phone),
            "can_reveal": bool(task.phone) and privacy.can_reveal(request.user, task),
            "title": f"{task.campaign.number} · {task.customer.name}",
            **audit_history(task),
        },
    )


@login_required
@require_POST
def task_reveal(request, pk, field):
    """htmx: the full phone / address of a task's customer contact; each reveal goes to the access log."""
    from salesservice.core import privacy

    if not request.user.has_perm("trace.view_recalltask"):
        raise PermissionDenied
    task = get_object_or_404(RecallTask.objects.visible_to(request.user), pk=pk)
    try:
        value = privacy.reveal(actor=request.user, obj=task, field=field, purpose=_("召回联系客户"))
    except DomainError as error:
        return HttpResponse(format_html('<span class="text-danger">{}</span>', error.message), status=403)
    return HttpResponse(format_html('<span class="revealed">{}</span>', value))
