from django.urls import path

from . import views
from .workflows import EVALUATION_WORKFLOW

app_name = "network"

urlpatterns = [
    path("providers/", views.ServiceProviderListView.as_view(), name="providers"),
    path("reports/", views.ProviderReportListView.as_view(), name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/print/", views.report_pdf, name="report-pdf"),
    path("providers/new/", views.provider_create, name="provider-create"),
    path("providers/<int:pk>/", views.provider_detail, name="provider-detail"),
    path("providers/<int:pk>/edit/", views.provider_edit, name="provider-edit"),
    # The ladder's page action (`PROVIDER_WORKFLOW`), at its old address and at the workflow's action URL.
    path(
        "providers/<int:pk>/status/",
        views.provider_action,
        {"action": "change-status"},
        name="provider-change-status",
    ),
    path("providers/<int:pk>/violations/", views.provider_violation_add, name="provider-violation-add"),
    path(
        "providers/<int:pk>/sanctions/<int:sanction_pk>/print/",
        views.provider_sanction_pdf,
        name="provider-sanction-pdf",
    ),
    path("providers/<int:pk>/training/", views.provider_training, name="provider-training"),
    path("providers/<int:pk>/case-file/", views.provider_case_file, name="provider-case-file"),
    path("providers/<int:pk>/case-file/print/", views.provider_case_file_pdf, name="provider-case-file-pdf"),
    path("providers/<int:pk>/evaluate/", views.evaluation_create, name="evaluation-create"),
    path("technicians/", views.TechnicianListView.as_view(), name="technicians"),
    path("evaluations/", views.EvaluationListView.as_view(), name="evaluations"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
    path("evaluations/<int:pk>/<slug:action>/", EVALUATION_WORKFLOW.page_view(), name="evaluation-action"),
    path("providers/<int:pk>/<slug:action>/", views.provider_action, name="provider-action"),
]
