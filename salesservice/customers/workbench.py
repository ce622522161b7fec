"""工作台 panel: buyer qualifications expiring soon or expired, for whoever maintains them (BUY-1)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.workbench import Panel, PanelRow, workbench_panel

from .models import Qualification
from .services import qualification_reminder_days

PANEL_ROWS = 8


@workbench_panel(order=30)
def expiring_qualifications(request):
    """Qualifications of visible, active customers that expire within the reminder window (or have
    expired in the last 90 days); sales reps see their own customers', managers their units'."""
    user = request.user
    if not user.has_perm("customers.change_qualification"):
        return None
    today = timezone.localdate()
    horizon = today + dt.timedelta(days=qualification_reminder_days())
    queryset = (
        Qualification.objects.visible_to(user)
        .filter(
            valid_until__isnull=False,
            valid_until__lte=horizon,
            valid_until__gte=today - dt.timedelta(days=90),
            customer__is_active=True,
            customer__is_anonymised=False,
        )
        .select_related("customer")
        .order_by("valid_until", "pk")
    )
    if not user.has_perm("customers.export_customer_data"):  # a rep, not a manager: own customers
        queryset = queryset.filter(customer__sales_rep=user)
    total = queryset.count()
    rows = []
    for qualification in queryset[:PANEL_ROWS]:
        expired = qualification.valid_until < today
        rows.append(
            PanelRow(
                text=f"{qualification.customer.name} · {qualification.get_kind_display()}",
                url=reverse("customers:customer-detail", args=[qualification.customer_id]) + "?tab=qualifications",
                meta=qualification.valid_until.isoformat(),
                badge=_("已过期") if expired else _("即将到期"),
                badge_class="bg-red-lt" if expired else "bg-yellow-lt",
            )
        )
    return Panel(
        key="expiring-qualifications",
        title=_("购货资格到期提醒"),
        rows=rows,
        total=total,
        empty_text=_("没有即将到期的购货资格"),
    )
