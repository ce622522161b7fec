"""dashboards API routes, included under /api/v1/ by core/api/urls.py."""

from django.urls import path

from . import areas, views

urlpatterns = [
    path("compliance-report/", views.ComplianceReportView.as_view(), name="compliance-report"),
    path("dashboards/<slug:area>/", areas.DashboardView.as_view(), name="dashboard-area"),
]
