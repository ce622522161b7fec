"""Links customers open (acceptance, survey): an address they can reach, to copy, scan or send (issue 12 §16).

`public_url(path, request)` prefers `PUBLIC_BASE_URL` (the address customers use, behind the proxy), else the
host the staff member is using right now, else the first concrete `ALLOWED_HOSTS` entry — never a
`localhost` a customer's phone cannot open, unless nothing else is known (development).
`qr_svg(url)` draws the link as a QR code (ReportLab's encoder, already a dependency) for a phone to scan
at the counter or on site.
"""

from __future__ import annotations

from django.conf import settings


def public_base(request=None) -> str:
    base = (getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/")
    if base:
        return base
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    for host in settings.ALLOWED_HOSTS:
        host = host.lstrip(".")
        if host and host != "*" and host not in ("localhost", "127.0.0.1", "[::1]"):
            return f"{'http' if settings.DEBUG else 'https'}://{host}"
    return "http://localhost:8000"


def public_url(path: str, request=None) -> str:
    return public_base(request) + path


def qr_svg(text: str, size: int = 168) -> str:
    """An inline SVG QR code of `text` (medium error correction), `size` px square."""
    from reportlab.graphics import renderSVG
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(text, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    svg = renderSVG.drawToString(drawing)
    return svg[svg.index("<svg") :]
