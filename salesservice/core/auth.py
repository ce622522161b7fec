"""Permissions come from role memberships: a user has the permissions of each role they hold
in any org unit. Memberships are the single source — edited in admin, the API or services —
so there is no second list (Django's user.groups) to keep in step."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class MembershipBackend(ModelBackend):
    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(group__memberships__user=user_obj)
