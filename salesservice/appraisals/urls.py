from django.urls import path

from . import views
from .workflows import APPRAISAL_WORKFLOW, CYCLE_WORKFLOW

app_name = "appraisals"

urlpatterns: list = [
    path("", views.my_appraisals, name="mine"),
    path("kpis/", views.KpiListView.as_view(), name="kpis"),
    path("kpis/new/", views.kpi_create, name="kpi-create"),
    path("cycles/", views.CycleListView.as_view(), name="cycles"),
    path("cycles/open/", views.cycle_open, name="cycle-open"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle-detail"),
    path("cycles/<int:pk>/<slug:action>/", CYCLE_WORKFLOW.page_view(), name="cycle-action"),
    path("<int:pk>/", views.appraisal_detail, name="appraisal-detail"),
    path("<int:pk>/print/", views.appraisal_pdf, name="appraisal-pdf"),
    path("<int:pk>/<slug:action>/", APPRAISAL_WORKFLOW.page_view(), name="appraisal-action"),
]
