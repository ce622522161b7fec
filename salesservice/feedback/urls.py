"""Pages of the feedback app (namespace "feedback"): the public survey and suggestion box (no login)
and the staff pages."""

from django.urls import path

from . import public, views
from .workflows import FOLLOW_UP_WORKFLOW, SUGGESTION_WORKFLOW

app_name = "feedback"

urlpatterns = [
    # public (FBK-3)
    path("s/<str:token>/", public.survey_page, name="survey"),
    path("suggest/", public.suggestion_page, name="suggest"),
    # staff
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow-ups"),
    path("follow-ups/<int:pk>/", views.follow_up_detail, name="follow-up-detail"),
    path("follow-ups/<int:pk>/<slug:action>/", FOLLOW_UP_WORKFLOW.page_view(), name="follow-up-action"),
    path("survey-links/<int:pk>/show/", views.survey_link_show, name="survey-link-show"),
    path("coverage/", views.coverage, name="coverage"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("surveys/", views.SurveyTemplateListView.as_view(), name="templates"),
    path("surveys/<int:pk>/", views.template_detail, name="template-detail"),
    path("suggestions/", views.SuggestionListView.as_view(), name="suggestions"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion-detail"),
    path("suggestions/<int:pk>/<slug:action>/", SUGGESTION_WORKFLOW.page_view(), name="suggestion-action"),
]
