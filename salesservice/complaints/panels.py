"""Panels the complaints app adds to other apps' record pages (core.registry `record_panels`)."""

from django.template.loader import render_to_string

from .selectors import complaints_for_request


def service_request_complaints(request, service_request) -> str:
    """On a service request's page: the complaints escalated from it, and the way to escalate (CMP-1)."""
    return render_to_string(
        "complaints/_service_request_panel.html",
        {
            "sr": service_request,
            "complaints": complaints_for_request(service_request),
            "can_complain": request.user.has_perm("complaints.add_complaint"),
        },
        request=request,
    )
