"""Document-control API routes, included under /api/v1/ by core/api/urls.py."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
# the versions first: `documents/versions/` must not be read as a document id
router.register("documents/versions", views.VersionViewSet, basename="document-version")
router.register("documents", views.DocumentViewSet, basename="document")

urlpatterns = router.urls
