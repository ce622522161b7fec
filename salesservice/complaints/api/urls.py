"""complaints API routes, included under /api/v1/ by core/api/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("complaints", views.ComplaintViewSet, basename="complaint")
router.register("compensation-requests", views.CompensationRequestViewSet, basename="compensation-request")
router.register("recoveries", views.RecoveryViewSet, basename="recovery")
router.register("improvement-actions", views.ImprovementActionViewSet, basename="improvement-action")

urlpatterns = [
    path("compensation-fund/", views.CompensationFundView.as_view(), name="compensation-fund"),
    path("compensation-fund/top-up/", views.CompensationTopUpView.as_view(), name="compensation-fund-top-up"),
    path("compensation-fund/ledger/", views.CompensationLedgerView.as_view(), name="compensation-fund-ledger"),
    *router.urls,
]
