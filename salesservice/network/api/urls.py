"""network API routes, included under /api/v1/ by core/api/urls.py."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("service-providers", views.ServiceProviderViewSet, basename="service-provider")
router.register("provider-reports", views.ProviderReportViewSet, basename="provider-report")

router.register("provider-technicians", views.TechnicianViewSet, basename="provider-technician")
router.register("provider-evaluations", views.EvaluationViewSet, basename="provider-evaluation")

urlpatterns = router.urls
