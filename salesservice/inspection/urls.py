from django.urls import path

from . import views
from .workflows import NONCONFORMANCE_WORKFLOW

app_name = "inspection"

urlpatterns: list = [
    path("nonconformances/", views.NonconformanceListView.as_view(), name="nonconformances"),
    path("nonconformances/<int:pk>/", views.nonconformance_detail, name="nonconformance-detail"),
    path(
        "nonconformances/<int:pk>/<slug:action>/",
        NONCONFORMANCE_WORKFLOW.page_view(),
        name="nonconformance-action",
    ),
]
