"""service API routes, included under /api/v1/ by core/api/urls.py."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("service-requests", views.ServiceRequestViewSet, basename="service-request")
router.register("knowledge-articles", views.KnowledgeArticleViewSet, basename="knowledge-article")

urlpatterns = router.urls
