from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.urls.resolvers import RoutePattern
from django.views.i18n import JavaScriptCatalog

from salesservice.core.api.routing import SegmentDispatchResolver
from salesservice.core.registry import domain_apps
from salesservice.core.urls import auth_urlpatterns
from salesservice.core.views import health

admin.site.site_header = "销售服务管理系统 · 后台"
admin.site.site_title = "销售服务管理系统"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    # The API's ~380 routes resolved by their first segment (issue 17 §2), not tried one by one.
    SegmentDispatchResolver(RoutePattern("api/v1/", is_endpoint=False), "salesservice.core.api.urls"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    *auth_urlpatterns,
    # Each domain app's pages at its prefix (core.registry); core's own pages last, at the root.
    *[path(app.url_prefix, include(app.pages_module)) for app in domain_apps() if app.url_prefix],
    path("", include("salesservice.core.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# JSON errors under /api/, the Chinese pages elsewhere (core/views/errors.py).
handler400 = "salesservice.core.views.errors.bad_request"
handler403 = "salesservice.core.views.errors.permission_denied"
handler404 = "salesservice.core.views.errors.page_not_found"
handler500 = "salesservice.core.views.errors.server_error"
