"""工作台 queue of the delivery app: 今日交付 — deliveries shipped and not yet released, for the store staff who
hand them over (acceptance, training, release: DEL-3, DEL-4, DEL-6), today's first, with incidents not yet
told to the customer flagged (DEL-2)."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.workbench import Panel, PanelRow, queue_total, workbench_panel

from .choices import DeliveryStatus
from .models import Delivery, DeliveryIncident

PANEL_ROWS = 6


@workbench_panel(order=36)
def deliveries_today(request):
    user = request.user
    if not user.has_perm("delivery.accept_delivery"):
        return None
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    uninformed = DeliveryIncident.objects.filter(delivery=OuterRef("pk"), customer_informed_at__isnull=True)
    queryset = (
        Delivery.objects.visible_to(user)
        .filter(status__in=(DeliveryStatus.SHIPPED, DeliveryStatus.ACCEPTED))
        .annotate(open_incident=Exists(uninformed))
        .select_related("customer")
        .order_by("shipped_at", "id")
    )
    released_today = Delivery.objects.visible_to(user).filter(released_at__gte=start).count()

    def row(delivery):
        if delivery.open_incident:
            badge, css = _("异常未告知"), "bg-red-lt"
        elif delivery.status == DeliveryStatus.ACCEPTED:
            badge, css = _("待放行"), "bg-azure-lt"
        else:
            badge, css = _("待验收"), "bg-purple-lt"
        return PanelRow(
            text=f"{delivery.number} · {delivery.customer.name}",
            url=reverse("delivery:delivery-detail", args=[delivery.pk]),
            meta=timezone.localtime(delivery.shipped_at).strftime("%m-%d %H:%M"),
            badge=badge,
            badge_class=css,
        )

    return Panel(
        key="deliveries-today",
        title=_("今日交付（今日已放行 %(n)s）") % {"n": released_today},
        rows=[row(item) for item in queryset[:PANEL_ROWS]],
        **queue_total(queryset),
        more_url=reverse("delivery:deliveries") + "?status=shipped&status=accepted",
        empty_text=_("暂无待交付"),
    )
