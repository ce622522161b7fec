from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("certifications/", views.CertificationListView.as_view(), name="certifications"),
    path("certifications/new/", views.certification_create, name="certification-create"),
    path("certifications/<int:pk>/", views.certification_detail, name="certification-detail"),
    path("certifications/<int:pk>/edit/", views.certification_edit, name="certification-edit"),
    path("certifications/<int:pk>/revoke/", views.certification_revoke, name="certification-revoke"),
    path("courses/", views.CourseListView.as_view(), name="courses"),
    path("courses/new/", views.course_create, name="course-create"),
    path("courses/<int:pk>/", views.course_detail, name="course-detail"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course-edit"),
    path("courses/<int:pk>/questions/", views.question_add, name="question-add"),
    path("courses/<int:pk>/questions/<int:question_pk>/remove/", views.question_remove, name="question-remove"),
    path("courses/<int:pk>/start/", views.exam_start, name="exam-start"),
    path("attempts/", views.AttemptListView.as_view(), name="attempts"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt-detail"),
    path("attempts/<int:pk>/submit/", views.attempt_submit, name="attempt-submit"),
    path("attempts/<int:pk>/grade/", views.attempt_grade, name="attempt-grade"),
]
