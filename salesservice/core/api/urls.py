from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("org-units", views.OrgUnitViewSet, basename="org-unit")
router.register("users", views.UserViewSet, basename="user")
router.register("policies", views.PolicyParameterViewSet, basename="policy")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("audit-log", views.AuditLogViewSet, basename="audit-log")
router.register("access-log", views.AccessLogViewSet, basename="access-log")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The docs load the schema as JSON: parsing ~450 KB of YAML in the browser is several times slower.
    path("docs/", SpectacularSwaggerSplitView.as_view(url="/api/v1/schema/?format=json"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include(router.urls)),
    path("", include("salesservice.catalog.api.urls")),
    path("", include("salesservice.customers.api.urls")),
    path("", include("salesservice.people.api.urls")),
    path("", include("salesservice.network.api.urls")),
    path("", include("salesservice.service.api.urls")),
    path("", include("salesservice.inspection.api.urls")),
    path("", include("salesservice.complaints.api.urls")),
    path("", include("salesservice.returns.api.urls")),
    path("", include("salesservice.feedback.api.urls")),
]
