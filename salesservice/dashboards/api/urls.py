"""dashboards API routes, included under /api/v1/ by core/api/urls.py."""

from django.urls import path

from . import views

urlpatterns = [path("compliance-report/", views.ComplianceReportView.as_view(), name="compliance-report")]
