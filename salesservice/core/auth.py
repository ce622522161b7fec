"""Permissions come from role memberships: a user has the permissions of each role they hold
in any org unit. Memberships are the single source — edited in admin, the API or services —
so there is no second list (Django's user.groups) to keep in step."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from . import ratelimit

LOGIN_IP_SCOPE = "login-failures-ip"


class MembershipBackend(ModelBackend):
    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(group__memberships__user=user_obj)


class FailedLoginGuard:
    """Refuses every login attempt from an IP past `LOGIN_IP_FAILURE_LIMIT` failures (any usernames) within
    `LOGIN_IP_WINDOW_SECONDS` (issue 12 §9: password spraying slips under axes' per-user lockout).

    First in `AUTHENTICATION_BACKENDS`: raising PermissionDenied stops `authenticate()` before a password is
    checked; `request.axes_locked_out` makes axes' middleware answer its 429 lockout page / JSON, worded for
    an address rather than an account (`core/views/lockout.py`). The counter is shared by every worker.
    Deliberately not a `BaseBackend`: without `get_user` it never becomes a session's backend.
    """

    def authenticate(self, request, **credentials):
        if request is None:
            return None
        ip = ratelimit.client_ip(request)
        if ratelimit.count(LOGIN_IP_SCOPE, ip) >= settings.LOGIN_IP_FAILURE_LIMIT:
            request.axes_locked_out = True
            request.login_ip_limited = True
            raise PermissionDenied
        return None


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is not None and not getattr(request, "login_ip_limited", False):
        ratelimit.hit(LOGIN_IP_SCOPE, ratelimit.client_ip(request), window=settings.LOGIN_IP_WINDOW_SECONDS)
