from django.contrib.auth import views as auth_views
from django.urls import path

from .views import pages

app_name = "core"

urlpatterns = [
    path("", pages.WorkbenchView.as_view(), name="workbench"),
    path("notifications/", pages.notification_list, name="notifications"),
    path("notifications/bell/", pages.notification_bell, name="notification-bell"),
    path("notifications/<int:pk>/read/", pages.notification_read, name="notification-read"),
    path("notifications/read-all/", pages.notification_read_all, name="notification-read-all"),
    path("policies/", pages.policy_list, name="policies"),
    path("policies/<str:key>/", pages.policy_detail, name="policy-detail"),
    path("org/units/", pages.OrgUnitListView.as_view(), name="org-units"),
    path("org/units/<int:pk>/", pages.org_unit_detail, name="org-unit-detail"),
    path("org/users/", pages.UserListView.as_view(), name="users"),
    path("org/users/<int:pk>/", pages.user_detail, name="user-detail"),
    path("org/users/<int:pk>/reveal/<str:field>/", pages.user_reveal, name="user-reveal"),
    path("audit/log/", pages.AuditLogListView.as_view(), name="audit-log"),
    path("audit/access/", pages.AccessLogListView.as_view(), name="access-log"),
    path("attachments/<int:pk>/", pages.attachment_download, name="attachment"),
]

# Login/logout live outside the "core:" namespace so settings.LOGIN_URL = "login" resolves.
auth_urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
