"""suppliers API routes, included under /api/v1/ by core/api/urls.py."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("suppliers", views.SupplierViewSet, basename="supplier")
router.register("qualified-supplier-lists", views.QualifiedListViewSet, basename="qualified-supplier-list")

urlpatterns = router.urls
