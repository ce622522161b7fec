"""feedback API routes, included under /api/v1/ by core/api/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("follow-ups", views.FollowUpViewSet, basename="follow-up")
router.register("surveys", views.SurveyTemplateViewSet, basename="survey")
router.register("survey-responses", views.SurveyResponseViewSet, basename="survey-response")
router.register("suggestions", views.SuggestionViewSet, basename="suggestion")

urlpatterns = [
    *router.urls,
    path("feedback/coverage/", views.FeedbackCoverageView.as_view(), name="feedback-coverage"),
    path("feedback/metrics/", views.FeedbackMetricsView.as_view(), name="feedback-metrics"),
]
