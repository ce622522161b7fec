"""sales API routes, included under /api/v1/ by core/api/urls.py."""

from rest_framework.routers import SimpleRouter

from .presales_urls import register as register_presales

router = SimpleRouter()
register_presales(router)

urlpatterns = router.urls
