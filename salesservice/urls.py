from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from salesservice.core.urls import auth_urlpatterns
from salesservice.core.views import health

admin.site.site_header = "销售服务管理系统 · 后台"
admin.site.site_title = "销售服务管理系统"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("api/v1/", include("salesservice.core.api.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    *auth_urlpatterns,
    path("catalog/", include("salesservice.catalog.urls")),
    path("customers/", include("salesservice.customers.urls")),
    path("people/", include("salesservice.people.urls")),
    path("network/", include("salesservice.network.urls")),
    path("service/", include("salesservice.service.urls")),
    path("inspection/", include("salesservice.inspection.urls")),
    path("complaints/", include("salesservice.complaints.urls")),
    path("returns/", include("salesservice.returns.urls")),
    path("feedback/", include("salesservice.feedback.urls")),
    path("", include("salesservice.core.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
