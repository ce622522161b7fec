"""trace API routes, included under /api/v1/ by core/api/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("recalls", views.RecallViewSet, basename="recall")
router.register("recall-tasks", views.RecallTaskViewSet, basename="recall-task")

urlpatterns = [path("trace/", views.TraceView.as_view(), name="trace"), *router.urls]
