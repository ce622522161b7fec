"""Permissions come from role memberships: a user has the permissions of each role they hold
in any org unit. Memberships are the single source — edited in admin, the API or services —
so there is no second list (Django's user.groups) to keep in step."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from . import config_cache, ratelimit

LOGIN_IP_SCOPE = "login-failures-ip"


class MembershipBackend(ModelBackend):
    """Django's model backend with role memberships as the groups, and each user's permissions read once per
    process and configuration stamp (`core.config_cache`, issue 17 §1): a membership, role grant or direct
    permission changed anywhere is in force from the next request on every worker."""

    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(group__memberships__user=user_obj)

    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or user_obj.pk is None:
            return super()._get_permissions(user_obj, obj, from_name)
        cache_name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, cache_name):
            key = ("perms", from_name, user_obj.pk, bool(user_obj.is_superuser))
            parent = super()._get_permissions  # reads the database: the object has no cached set yet
            perms = config_cache.cached(key, lambda: frozenset(parent(user_obj, obj, from_name)))
            setattr(user_obj, cache_name, set(perms))
        return getattr(user_obj, cache_name)


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
