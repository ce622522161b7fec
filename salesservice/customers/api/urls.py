"""customers API routes, included under /api/v1/ by core/api/urls.py."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("customer-contacts", views.ContactViewSet, basename="customer-contact")
router.register("qualifications", views.QualificationViewSet, basename="qualification")
router.register("customer-property", views.CustomerPropertyViewSet, basename="customer-property")
router.register("consents", views.ConsentViewSet, basename="consent")

urlpatterns = router.urls
