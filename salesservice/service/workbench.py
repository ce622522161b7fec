"""工作台 queues of the service desk (issue 4): my open requests, due within the hour, overdue,
unassigned in my units, escalated to my level — each scoped to the user, first rows only."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.scoping import visible_unit_ids
from salesservice.core.workbench import PanelRow, queue_panel, workbench_panel

from . import selectors


def _deadline(request) -> str:
    """The deadline that matters now: first contact until it is made, then escalation."""
    due = request.first_contact_due_at if request.first_contacted_at is None else request.escalation_due_at
    label = _("首次联系") if request.first_contacted_at is None else _("升级")
    return f"{label} {timezone.localtime(due):%m-%d %H:%M}"


def _panel(key, title, queryset, more, *, badge="", badge_class="bg-secondary-lt", meta=None):
    def row(request):
        return PanelRow(
            text=f"{request.number} · {request.customer.name} · {request.get_category_display()}",
            url=reverse("service:request-detail", args=[request.pk]),
            meta=meta(request) if meta else _deadline(request),
            badge=badge or request.get_status_display(),
            badge_class=badge_class,
        )

    return queue_panel(key, title, queryset, row, more)


@workbench_panel(order=10)
def my_open_requests(request):
    user = request.user
    if not user.has_perm("service.change_servicerequest"):
        return None
    queryset = selectors.my_open(user)
    return _panel("my-requests", _("我的服务单"), queryset, reverse("service:requests") + f"?assignee={user.pk}")


@workbench_panel(order=11)
def overdue_requests(request):
    user = request.user
    if not user.has_perm("service.add_servicerequest"):
        return None
    return _panel(
        "overdue",
        _("已超时"),
        selectors.overdue(user),
        reverse("service:requests") + "?overdue=true",
        badge=_("超时"),
        badge_class="bg-red-lt",
    )


@workbench_panel(order=12)
def due_soon_requests(request):
    user = request.user
    if not user.has_perm("service.add_servicerequest"):
        return None
    return _panel(
        "due-soon",
        _("1 小时内到期"),
        selectors.due_within(user, 60),
        "",
        badge=_("即将到期"),
        badge_class="bg-yellow-lt",
    )


@workbench_panel(order=13)
def unassigned_requests(request):
    user = request.user
    if not user.has_perm("service.dispatch_servicerequest"):
        return None
    return _panel(
        "unassigned",
        _("待派工"),
        selectors.unassigned_in_my_units(user),
        reverse("service:requests") + "?status=contacted",
        meta=lambda r: timezone.localtime(r.received_at).strftime("%m-%d %H:%M"),
    )


@workbench_panel(order=14)
def escalated_requests(request):
    user = request.user
    if not user.has_perm("service.close_servicerequest"):
        return None
    level = "2" if user.is_superuser or visible_unit_ids(user) is None else "1"
    return _panel(
        "escalated",
        _("升级到我这一级"),
        selectors.escalated_to_my_level(user),
        reverse("service:requests") + "?escalation_level=" + level,
        badge=_("已升级"),
        badge_class="bg-orange-lt",
    )
