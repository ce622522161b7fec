from django.urls import path

from . import views, views_areas

app_name = "dashboards"

urlpatterns: list = [
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/print/", views.compliance_pdf, name="compliance-pdf"),
    path("compliance/export/", views.compliance_xlsx, name="compliance-xlsx"),
    path("compliance/history/", views.snapshot_list, name="snapshots"),
    path("dashboards/", views_areas.dashboard_index, name="index"),
    path("dashboards/<slug:area>/", views_areas.dashboard_area, name="area"),
    path("dashboards/<slug:area>/export/", views_areas.dashboard_export, name="area-xlsx"),
]
