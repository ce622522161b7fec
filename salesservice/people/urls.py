from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("certifications/", views.CertificationListView.as_view(), name="certifications"),
    path("certifications/new/", views.certification_create, name="certification-create"),
    path("certifications/<int:pk>/", views.certification_detail, name="certification-detail"),
    path("certifications/<int:pk>/edit/", views.certification_edit, name="certification-edit"),
    path("certifications/<int:pk>/revoke/", views.certification_revoke, name="certification-revoke"),
]
