"""GET /healthz — database and job-scheduler status for load balancers and operators."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    from salesservice.core.models import Heartbeat

    body = {"status": "ok", "time": timezone.now().isoformat()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        body["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 — health must report, not raise
        body["database"] = {"ok": False, "error": exc.__class__.__name__}
        body["status"] = "error"
        return JsonResponse(body, status=503)
    beat = Heartbeat.objects.filter(name="scheduler").first()
    if beat is None:
        body["scheduler"] = {"ok": False, "last_heartbeat": None, "age_seconds": None}
    else:
        age = (timezone.now() - beat.last_beat_at).total_seconds()
        body["scheduler"] = {
            "ok": age <= settings.HEARTBEAT_STALE_SECONDS,
            "last_heartbeat": beat.last_beat_at.isoformat(),
            "age_seconds": round(age, 1),
            "beats": beat.count,
            "broker": settings.CELERY_BROKER_URL.split("://", 1)[0],
        }
    if not body["scheduler"]["ok"]:
        body["status"] = "degraded"
    return JsonResponse(body)
