"""inspection API routes, included under /api/v1/ by core/api/urls.py."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = router.urls
