"""Delivery pages (Simplified Chinese, server-rendered): the delivery list (status, date, carrier filters;
search by number, tracking number, customer), the delivery page with the acceptance checklist and the
signature pad (works on a 390 px phone), training, incident, concession and release forms; the printable
拣货单 (before shipping), 发货单, 验收单 (with the customer's signature) and 培训记录 as PDF. The actions are the
workflow's (workflows.py): each posts to `DELIVERY_WORKFLOW.page_view()` calling one service."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history

from .choices import Requirement
from .filtersets import DeliveryFilterSet
from .models import Delivery, DeliveryLine, Replacement, TrainingRecord
from .workflows import DELIVERY_WORKFLOW


class DeliveryListView(ListPageView):
    """DEL-7: every delivery in scope — status, customer, carrier and tracking number; Excel export."""

    permission_required = "delivery.view_delivery"
    title = gettext_lazy("交付单")
    filterset_class = DeliveryFilterSet
    default_sort = "-shipped_at"
    export_filename = "deliveries"
    detail_url_name = "delivery:delivery-detail"
    columns = [
        Column(gettext_lazy("交付单号"), "number", sort="number", link=True),
        Column(gettext_lazy("发货时间"), "shipped_at", sort="shipped_at"),
        Column(gettext_lazy("客户"), "customer.name"),
        Column(gettext_lazy("销售订单"), "order.number"),
        Column(gettext_lazy("承运方"), "carrier", sort="carrier"),
        Column(gettext_lazy("运单号"), "tracking_no"),
        Column(gettext_lazy("件数"), "package_count"),
        Column(
            gettext_lazy("状态"),
            lambda d: DELIVERY_WORKFLOW.badge(d.status),
            sort="status",
            export="get_status_display",
        ),
    ]

    def base_queryset(self):
        return Delivery.objects.visible_to(self.request.user).select_related("customer", "order")


def _visible(request, pk, *, prefetch: bool = True) -> Delivery:
    if not request.user.has_perm("delivery.view_delivery"):
        raise PermissionDenied
    queryset = Delivery.objects.visible_to(request.user).select_related(
        "order",
        "order__contract",
        "customer",
        "warehouse",
        "shipped_by",
        "accepted_by",
        "released_by",
        "concession_approved_by",
    )
    if prefetch:
        queryset = queryset.prefetch_related(
            Prefetch("lines", queryset=DeliveryLine.objects.select_related("product", "lot")),
            Prefetch("replacements", queryset=Replacement.objects.select_related("defective_lot", "replacement_lot")),
            "checks",
            Prefetch("trainings", queryset=TrainingRecord.objects.select_related("recorded_by")),
            "incidents",
        )
    return get_object_or_404(queryset, pk=pk)


@login_required
def delivery_detail(request, pk):
    delivery = _visible(request, pk)
    incidents = list(delivery.incidents.all())
    missing = delivery.release_missing
    return render(
        request,
        "delivery/delivery_detail.html",
        {
            "delivery": delivery,
            "title": f"{delivery.number} · {delivery.customer.name}",
            "incidents": incidents,
            "open_incidents": [i for i in incidents if i.customer_informed_at is None],
            "missing": [Requirement(value).label for value in missing],
            "covered": bool(missing)
            and delivery.concession_approved
            and set(missing) <= set(delivery.concession_missing),
            "concession_missing": [
                Requirement(v).label for v in delivery.concession_missing if v in Requirement.values
            ],
            **audit_history(delivery),
        },
    )


@login_required
def signature_image(request, pk, training=None):
    """The customer's signature of the acceptance (or of a training record), in the user's scope only."""
    delivery = _visible(request, pk, prefetch=False)
    owner = delivery
    if training is not None:
        owner = get_object_or_404(TrainingRecord, delivery=delivery, pk=training)
    if not owner.signature:
        raise Http404
    with owner.signature.open("rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _signature_bytes(owner) -> bytes | None:
    if not owner.signature:
        return None
    with owner.signature.open("rb") as handle:
        return handle.read()


def _pdf(doc, filename):
    from salesservice.core.pdf import render_document

    response = HttpResponse(render_document(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


def _head(doc, delivery):
    order = delivery.order
    doc.fields(
        [
            ("客户", delivery.customer.name),
            ("销售订单", order.number),
            ("合同", order.contract.number if order.contract_id else ""),
            ("收货人", order.ship_to_contact),
            ("收货地址", order.ship_to_address),
            ("发货仓库", delivery.warehouse.name),
            ("发货时间", delivery.shipped_at),
            ("承运方 / 运单号", f"{delivery.carrier} {delivery.tracking_no}"),
            ("包装方式 / 件数", f"{delivery.packing} / {delivery.package_count} 件"),
            ("防护延伸至目的地", delivery.protect_to_destination),
        ]
    )


def _line_rows(delivery):
    return [
        [
            f"{line.product.code} {line.product.name}",
            line.product.specification,
            line.lot.lot_number,
            line.lot.serial_number,
            line.lot.expiry_date,
            line.location_code,
            line.quantity,
        ]
        for line in delivery.lines.all()
    ]


LINE_HEADER = ["商品", "规格型号", "批号", "序列号", "有效期至", "货位", "数量"]


@login_required
def delivery_note_pdf(request, pk):
    """The printable 发货单 (DEL-1, DEL-7): carrier, tracking number, packing, the lots shipped."""
    from salesservice.core.pdf import Document

    delivery = _visible(request, pk)
    doc = Document(title="发货单", number=delivery.number)
    _head(doc, delivery)
    doc.table("发货明细", LINE_HEADER, _line_rows(delivery))
    if delivery.note:
        doc.text("备注", delivery.note)
    doc.fields([("发货人签字", ""), ("承运人签字", ""), ("收货人签字", "")], title="签字")
    return _pdf(doc, delivery.number)


@login_required
def acceptance_pdf(request, pk):
    """The printable 验收单 (DEL-3): the checklist, replacements, conclusion and the customer's signature."""
    from salesservice.core.pdf import Document

    delivery = _visible(request, pk)
    doc = Document(title="交付验收单", number=delivery.number)
    _head(doc, delivery)
    doc.table("交付明细（装箱单）", LINE_HEADER, _line_rows(delivery))
    doc.table(
        "联合验收（装箱单核对、外观、安装调试、功能）",
        ["项目", "结论", "说明"],
        [[c.get_item_display(), c.get_result_display(), c.note] for c in delivery.checks.all()],
    )
    replacements = [
        [str(r.defective_lot), str(r.replacement_lot), r.quantity, r.note] for r in delivery.replacements.all()
    ]
    if replacements:
        doc.table("缺陷品更换（调用公司库存）", ["缺陷批次", "更换批次", "数量", "缺陷说明"], replacements)
    doc.fields(
        [
            ("验收时间", delivery.accepted_at),
            ("验收经办人", delivery.accepted_by.name if delivery.accepted_by_id else ""),
            ("验收结论", delivery.acceptance_note),
            ("合同验收条款", delivery.acceptance_terms),
        ]
    )
    if delivery.concession_approved:
        doc.fields(
            [
                ("批准让步的客户代表", delivery.concession_representative),
                ("让步理由", delivery.concession_reason),
                ("符合法律法规 / 可追回", "是 / 是"),
                ("批准人", delivery.concession_approved_by.name if delivery.concession_approved_by_id else ""),
            ],
            title="让步放行（DEL-6）",
        )
    caption = delivery.signer_name
    if not delivery.signature and delivery.signature_declined_reason:
        caption = f"客户未签字：{delivery.signature_declined_reason}"
    doc.signature("客户签字确认", _signature_bytes(delivery), caption)
    return _pdf(doc, f"{delivery.number}-验收单")


@login_required
def training_pdf(request, pk):
    """The printable 培训记录 (DEL-4): every training of the delivery with the customer's confirmation."""
    from salesservice.core.pdf import Document

    delivery = _visible(request, pk)
    doc = Document(title="客户培训记录", number=delivery.number)
    doc.fields([("客户", delivery.customer.name), ("销售订单", delivery.order.number)])
    trainings = list(delivery.trainings.all())
    if not trainings:
        doc.text("培训", "尚无培训记录")
    for record in trainings:
        doc.fields(
            [
                ("培训日期", record.trained_on),
                ("培训人", record.trainer_name),
                ("受训人员", record.trainees),
                ("客户确认人", record.customer_signer_name),
            ],
            title=f"培训 {record.trained_on:%Y-%m-%d}",
        )
        doc.text("培训内容", record.content)
        doc.signature("客户签字", _signature_bytes(record), record.customer_signer_name)
    return _pdf(doc, f"{delivery.number}-培训记录")


@login_required
def pick_list_pdf(request, order_pk):
    """The printable 拣货单 of an allocated sales order, before shipping (DEL-1): each open allocation's lot,
    location and quantity, for the warehouse to pick and pack."""
    from salesservice.core.pdf import Document
    from salesservice.inventory.services import allocations_for
    from salesservice.sales.models import SalesOrder

    if not (request.user.has_perm("sales.ship_salesorder") or request.user.has_perm("sales.view_salesorder")):
        raise PermissionDenied
    order = get_object_or_404(
        SalesOrder.objects.visible_to(request.user).select_related("customer", "warehouse"), pk=order_pk
    )
    allocations = list(
        allocations_for(order).select_related("lot", "location", "product").order_by("location__code", "product_id")
    )
    doc = Document(title="拣货单", number=order.number)
    doc.fields(
        [
            ("客户", order.customer.name),
            ("发货仓库", order.warehouse.name),
            ("收货人", order.ship_to_contact),
            ("收货地址", order.ship_to_address),
            ("打印时间", timezone.now()),
        ]
    )
    doc.table(
        "拣货明细（按货位）",
        ["货位", "商品", "规格型号", "批号", "序列号", "有效期至", "数量", "已拣"],
        [
            [
                a.location.code,
                f"{a.product.code} {a.product.name}",
                a.product.specification,
                a.lot.lot_number,
                a.lot.serial_number,
                a.lot.expiry_date,
                a.quantity,
                "□",
            ]
            for a in allocations
        ]
        or [["—", "没有待拣货的配货", "", "", "", "", "", ""]],
    )
    doc.text("包装要求", "包装须适合运输：原厂包装完好，加防震、防潮措施；易碎、精密设备加固（DEL-1）")
    doc.fields([("拣货人签字", ""), ("复核人签字", "")], title="签字")
    return _pdf(doc, f"{order.number}-拣货单")
