from django.urls import path

from . import views
from .workflows import RETURN_WORKFLOW

app_name = "returns"

urlpatterns: list = [
    path("", views.ReturnListView.as_view(), name="returns"),
    path("new/", views.return_create, name="return-create"),
    path("new/eligibility/", views.eligibility_check, name="eligibility-check"),
    path("new/customers/", views.customer_lookup, name="customer-lookup"),
    path("metrics/", views.metrics, name="metrics"),
    path("<int:pk>/", views.return_detail, name="return-detail"),
    path("<int:pk>/<slug:action>/", RETURN_WORKFLOW.page_view(), name="return-action"),
]
