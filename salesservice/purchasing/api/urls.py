"""purchasing API routes, included under /api/v1/ by core/api/urls.py."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("purchase-requisitions", views.PurchaseRequisitionViewSet, basename="purchase-requisition")
router.register("purchase-orders", views.PurchaseOrderViewSet, basename="purchase-order")
router.register("receipts", views.ReceiptViewSet, basename="receipt")

urlpatterns = router.urls
