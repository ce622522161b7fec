"""工作台 panel for QA: the products that may not be sold today, and why (PRD-1)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from salesservice.core.workbench import Panel, PanelRow, workbench_panel

from .models import Product
from .sellability import product_sellability, unsellable_q, with_restrictions

PANEL_ROWS = 8


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@workbench_panel(order=40)
def unsellable_products(request):
    if not request.user.has_perm("catalog.set_product_restriction"):
        return None
    queryset = Product.objects.filter(unsellable_q(), is_active=True).order_by("code")
    total = queryset.count()
    rows = []
    for product in with_restrictions(queryset[:PANEL_ROWS]):
        reasons = product_sellability(product)
        rows.append(
            PanelRow(
                text=f"{product.code} {product.name}",
                url=reverse("catalog:product-detail", args=[product.pk]),
                meta=_short(str(reasons[0].message)) if reasons else "",
                badge=_("禁止销售"),
                badge_class="bg-red-lt",
            )
        )
    return Panel(
        key="unsellable-products",
        title=_("禁止销售的商品"),
        rows=rows,
        total=total,
        more_url=reverse("catalog:products") + "?sellable=false",
        empty_text=_("没有禁止销售的商品"),
    )
