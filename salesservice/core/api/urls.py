from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from ..registry import domain_apps
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
    # Each domain app's API routes (declared on its AppConfig, core.registry).
    *[path("", include(app.api_urls)) for app in domain_apps() if app.api_urls],
]
