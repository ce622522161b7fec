"""Panels the feedback app adds to other apps' record pages (core.registry `record_panels`)."""

from django.template.loader import render_to_string
from django.utils import timezone

from .models import SurveyLink


def survey_for_request(request, service_request) -> str:
    """On a service request: its satisfaction survey (FBK-3) — sent how and when, answered or not — and, while
    it can still be answered, a button to show the link with a QR code (issue 12 §16)."""
    link = SurveyLink.objects.filter(service_request=service_request).order_by("-sent_at").first()
    if link is None:
        return ""
    context = {
        "link": link,
        "open": link.answered_at is None and link.expires_at > timezone.now(),
        "can_show": request.user.has_perm("feedback.add_followup"),
    }
    return render_to_string("feedback/_survey_panel.html", context, request=request)
