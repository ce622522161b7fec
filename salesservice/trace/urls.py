from django.urls import path

from . import views
from .workflows import RECALL_TASK_WORKFLOW, RECALL_WORKFLOW

app_name = "trace"

urlpatterns: list = [
    path("", views.trace, name="trace"),
    path("recalls/", views.RecallListView.as_view(), name="recalls"),
    path("recalls/new/", views.recall_create, name="recall-create"),
    path("recalls/<int:pk>/", views.recall_detail, name="recall-detail"),
    path("recalls/<int:pk>/<slug:action>/", RECALL_WORKFLOW.page_view(), name="recall-action"),
    path("tasks/", views.TaskListView.as_view(), name="tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/reveal/<slug:field>/", views.task_reveal, name="task-reveal"),
    path("tasks/<int:pk>/<slug:action>/", RECALL_TASK_WORKFLOW.page_view(), name="task-action"),
]
