"""supervision API routes, included under /api/v1/ by core/api/urls.py."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("supervision-checks", views.CheckViewSet, basename="supervision-check")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("coordination-issues", views.IssueViewSet, basename="coordination-issue")

urlpatterns = router.urls
