"""Panels the purchasing app adds to other apps' record pages (core.registry `record_panels`)."""

from django.template.loader import render_to_string

from .models import ReceiptLine


def nonconformance_receipt(request, nc) -> str:
    """On a nonconformance raised at receiving (SUP-8): the receipt, order and supplier to settle with."""
    lines = list(
        ReceiptLine.objects.filter(nonconformance=nc).select_related("receipt", "receipt__order__supplier", "product")
    )
    if not lines:
        return ""
    return render_to_string("purchasing/_nc_panel.html", {"lines": lines}, request=request)
