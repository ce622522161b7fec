from django.urls import path

from . import views
from .workflows import VERSION_WORKFLOW

app_name = "documents"

urlpatterns: list = [
    path("", views.DocumentListView.as_view(), name="documents"),
    path("new/", views.document_create, name="document-create"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.document_detail, name="document-detail"),
    path("<int:pk>/revise/", views.version_create, name="version-create"),
    path("versions/<int:pk>/", views.version_detail, name="version-detail"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version-edit"),
    path("versions/<int:pk>/read/", views.version_acknowledge, name="version-acknowledge"),
    path("versions/<int:pk>/<slug:action>/", VERSION_WORKFLOW.page_view(), name="version-action"),
]
