"""URLs of the complaint pages (namespace "complaints"). The action handlers are the workflows' (`workflows.py`)."""

from django.urls import path

from . import views
from .workflows import COMPLAINT_WORKFLOW, RECOVERY_WORKFLOW

app_name = "complaints"

urlpatterns = [
    path("", views.ComplaintListView.as_view(), name="complaints"),
    path("new/", views.complaint_create, name="complaint-create"),
    path("new/customers/", views.customer_lookup, name="customer-lookup"),
    path("analytics/", views.analytics, name="analytics"),
    path("fund/", views.fund_page, name="fund"),
    path("recoveries/", views.RecoveryListView.as_view(), name="recoveries"),
    path("recoveries/<int:pk>/", views.recovery_detail, name="recovery-detail"),
    # The settle form's address, by its own name as before (the same handler as "recovery-action").
    path("recoveries/<int:pk>/settle/", RECOVERY_WORKFLOW.page_view(), {"action": "settle"}, name="recovery-settle"),
    path("recoveries/<int:pk>/<slug:action>/", RECOVERY_WORKFLOW.page_view(), name="recovery-action"),
    path("actions/", views.actions_page, name="actions"),
    path("actions/<int:pk>/done/", views.action_done, name="action-done"),
    path("<int:pk>/", views.complaint_detail, name="complaint-detail"),
    path("<int:pk>/<slug:action>/", COMPLAINT_WORKFLOW.page_view(), name="complaint-action"),
]
