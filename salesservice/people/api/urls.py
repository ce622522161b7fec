"""people API routes, included under /api/v1/ by core/api/urls.py."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("certifications", views.CertificationViewSet, basename="certification")
router.register("courses", views.CourseViewSet, basename="course")
router.register("exam-attempts", views.ExamAttemptViewSet, basename="exam-attempt")

urlpatterns = router.urls
