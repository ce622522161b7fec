from django.urls import path

from . import hr_views, views
from .workflows import CANDIDATE_WORKFLOW, NEED_WORKFLOW, PLAN_WORKFLOW

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

urlpatterns += [
    path("posts/", hr_views.PostListView.as_view(), name="posts"),
    path("posts/new/", hr_views.post_create, name="post-create"),
    path("posts/<int:pk>/", hr_views.post_detail, name="post-detail"),
    path("posts/<int:pk>/edit/", hr_views.post_edit, name="post-edit"),
    path("candidates/", hr_views.CandidateListView.as_view(), name="candidates"),
    path("candidates/new/", hr_views.candidate_create, name="candidate-create"),
    path("candidates/<int:pk>/", hr_views.candidate_detail, name="candidate-detail"),
    path("candidates/<int:pk>/reveal/<str:field>/", hr_views.candidate_reveal, name="candidate-reveal"),
    path("candidates/<int:pk>/<slug:action>/", CANDIDATE_WORKFLOW.page_view(), name="candidate-action"),
    path("needs/", hr_views.NeedListView.as_view(), name="needs"),
    path("needs/new/", hr_views.need_create, name="need-create"),
    path("needs/<int:pk>/", hr_views.need_detail, name="need-detail"),
    path("needs/<int:pk>/<slug:action>/", NEED_WORKFLOW.page_view(), name="need-action"),
    path("plans/", hr_views.PlanListView.as_view(), name="plans"),
    path("plans/new/", hr_views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", hr_views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/<slug:action>/", PLAN_WORKFLOW.page_view(), name="plan-action"),
    path("sessions/<int:pk>/", hr_views.session_detail, name="session-detail"),
    path("career/", hr_views.career_page, name="career"),
    path("career/talks/new/", hr_views.talk_create, name="talk-create"),
]
