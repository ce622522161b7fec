"""people API routes, included under /api/v1/ by core/api/urls.py."""

from rest_framework.routers import SimpleRouter

from . import hr_views, views

router = SimpleRouter()
router.register("certifications", views.CertificationViewSet, basename="certification")
router.register("courses", views.CourseViewSet, basename="course")
router.register("exam-attempts", views.ExamAttemptViewSet, basename="exam-attempt")

router.register("posts", hr_views.PostViewSet, basename="post")
router.register("candidates", hr_views.CandidateViewSet, basename="candidate")
router.register("training-plans", hr_views.TrainingPlanViewSet, basename="training-plan")
router.register("training-sessions", hr_views.TrainingSessionViewSet, basename="training-session")
router.register("training-needs", hr_views.TrainingNeedViewSet, basename="training-need")
router.register("exams", hr_views.ExamViewSet, basename="exam")

urlpatterns = router.urls
