from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns: list = [
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/print/", views.compliance_pdf, name="compliance-pdf"),
    path("compliance/export/", views.compliance_xlsx, name="compliance-xlsx"),
    path("compliance/history/", views.snapshot_list, name="snapshots"),
]
