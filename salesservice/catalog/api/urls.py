"""catalog API routes, included under /api/v1/ by core/api/urls.py."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("products", views.ProductViewSet, basename="product")
router.register("product-categories", views.ProductCategoryViewSet, basename="product-category")
router.register("inspection-templates", views.InspectionTemplateViewSet, basename="inspection-template")

urlpatterns = router.urls
