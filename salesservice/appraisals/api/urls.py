"""appraisals API routes, included under /api/v1/ by core/api/urls.py."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("kpis", views.KpiViewSet, basename="kpi")
router.register("appraisal-cycles", views.CycleViewSet, basename="appraisal-cycle")
router.register("appraisals", views.AppraisalViewSet, basename="appraisal")

urlpatterns = router.urls
