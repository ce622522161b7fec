"""sales API routes, included under /api/v1/ by core/api/urls.py."""

from rest_framework.routers import SimpleRouter

from . import views
from .presales_urls import register as register_presales

router = SimpleRouter()
register_presales(router)
router.register("quotations", views.QuotationViewSet, basename="quotation")
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("sales-orders", views.SalesOrderViewSet, basename="sales-order")
router.register("receivables", views.ReceivableViewSet, basename="receivable")
router.register("sales-records", views.SalesRecordViewSet, basename="sales-record")

urlpatterns = router.urls
