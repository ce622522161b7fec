from django.urls import path

from . import views

app_name = "inspection"

urlpatterns: list = [
    path("nonconformances/", views.NonconformanceListView.as_view(), name="nonconformances"),
    path("nonconformances/<int:pk>/", views.nonconformance_detail, name="nonconformance-detail"),
    path("nonconformances/<int:pk>/<slug:action>/", views.nonconformance_action, name="nonconformance-action"),
]
