from django.urls import path

from . import views
from .workflows import CHECK_WORKFLOW, FINDING_WORKFLOW, ISSUE_WORKFLOW

app_name = "supervision"

urlpatterns: list = [
    path("checks/", views.CheckListView.as_view(), name="checks"),
    path("checks/new/", views.check_create, name="check-create"),
    path("checks/<int:pk>/", views.check_detail, name="check-detail"),
    path("checks/<int:pk>/attach/", views.check_attach, name="check-attach"),
    path("checks/<int:pk>/print/", views.check_report_pdf, name="check-pdf"),
    path("checks/<int:pk>/<slug:action>/", CHECK_WORKFLOW.page_view(), name="check-action"),
    path("findings/", views.FindingListView.as_view(), name="findings"),
    path("findings/<int:pk>/", views.finding_detail, name="finding-detail"),
    path("findings/<int:pk>/<slug:action>/", FINDING_WORKFLOW.page_view(), name="finding-action"),
    path("issues/", views.IssueListView.as_view(), name="issues"),
    path("issues/new/", views.issue_create, name="issue-create"),
    path("issues/<int:pk>/", views.issue_detail, name="issue-detail"),
    path("issues/<int:pk>/<slug:action>/", ISSUE_WORKFLOW.page_view(), name="issue-action"),
]
