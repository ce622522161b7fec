"""inventory API routes, included under /api/v1/ by core/api/urls.py."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("warehouses", views.WarehouseViewSet, basename="warehouse")
router.register("locations", views.LocationViewSet, basename="location")
router.register("lots", views.LotViewSet, basename="lot")
router.register("stock", views.StockViewSet, basename="stock")
router.register("stock-moves", views.StockMoveViewSet, basename="stock-move")
router.register("stocktakes", views.StockCountViewSet, basename="stocktake")
router.register("storage-readings", views.StorageReadingViewSet, basename="storage-reading")

urlpatterns = router.urls
