"""URLs of the complaint pages (namespace "complaints")."""

from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("", views.ComplaintListView.as_view(), name="complaints"),
    path("new/", views.complaint_create, name="complaint-create"),
    path("new/customers/", views.customer_lookup, name="customer-lookup"),
    path("analytics/", views.analytics, name="analytics"),
    path("fund/", views.fund_page, name="fund"),
    path("recoveries/", views.RecoveryListView.as_view(), name="recoveries"),
    path("recoveries/<int:pk>/settle/", views.recovery_settle, name="recovery-settle"),
    path("actions/", views.actions_page, name="actions"),
    path("actions/<int:pk>/done/", views.action_done, name="action-done"),
    path("<int:pk>/", views.complaint_detail, name="complaint-detail"),
    path("<int:pk>/<slug:action>/", views.complaint_action, name="complaint-action"),
]
