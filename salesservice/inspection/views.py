"""Nonconformance pages (SUP-8): the list and the record with its disposition and closing actions. The
actions are the workflow's (workflows.py): the page shows the forms the user may use now, and each posts to
`NONCONFORMANCE_WORKFLOW.page_view()` (urls.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy

from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history

from .filtersets import NonconformanceFilterSet
from .models import Nonconformance
from .workflows import NONCONFORMANCE_WORKFLOW


def _status_badge(nc):
    return NONCONFORMANCE_WORKFLOW.badge(nc.status)


class NonconformanceListView(ListPageView):
    """SUP-8: every nonconformance in scope, with its source and disposition; Excel export."""

    permission_required = "inspection.view_nonconformance"
    title = gettext_lazy("不合格品")
    filterset_class = NonconformanceFilterSet
    default_sort = "-opened_at"
    export_filename = "nonconformances"
    detail_url_name = "inspection:nonconformance-detail"
    columns = [
        Column(gettext_lazy("单号"), "number", sort="number", link=True),
        Column(gettext_lazy("登记时间"), "opened_at", sort="opened_at"),
        Column(gettext_lazy("来源"), "get_source_display", sort="source"),
        Column(gettext_lazy("来源单号"), lambda nc: nc.source_return.number if nc.source_return_id else ""),
        Column(gettext_lazy("商品"), "product.name"),
        Column(gettext_lazy("批号/序列号"), lambda nc: nc.batch_number or nc.serial_number),
        Column(gettext_lazy("数量"), "quantity"),
        Column(gettext_lazy("单位"), "org_unit.name"),
        Column(gettext_lazy("状态"), _status_badge, sort="status", export="get_status_display"),
        Column(gettext_lazy("处置"), "get_disposition_display"),
    ]

    def base_queryset(self):
        return Nonconformance.objects.visible_to(self.request.user).select_related(
            "product", "org_unit", "source_return"
        )


def _visible(request, pk) -> Nonconformance:
    if not request.user.has_perm("inspection.view_nonconformance"):
        raise PermissionDenied
    return get_object_or_404(
        Nonconformance.objects.visible_to(request.user).select_related(
            "product", "org_unit", "source_return", "decided_by", "opened_by"
        ),
        pk=pk,
    )


@login_required
def nonconformance_detail(request, pk):
    nc = _visible(request, pk)
    context = {
        "nc": nc,
        "title": f"{nc.number} · {nc.product.name}",
        **audit_history(nc),
    }
    return render(request, "inspection/nonconformance_detail.html", context)
