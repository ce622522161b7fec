"""Django admin for master data (org tree, users and roles, numbering, policies, calendars)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from . import admin_calendar  # noqa: F401 — registers calendars and statutory days
from .models import Event, Membership, Notification, NumberSeries, OrgUnit, PersonalDataAccess, PolicyParameter, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["org_unit"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    readonly_fields = ["path", "version"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "email", "is_active", "is_staff"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("业务信息"), {"fields": ("display_name", "phone", "employee_no")}),
    )


@admin.register(NumberSeries)
class NumberSeriesAdmin(admin.ModelAdmin):
    list_display = ["doc_type", "name", "prefix", "reset", "padding"]


@admin.register(PolicyParameter)
class PolicyParameterAdmin(admin.ModelAdmin):
    """Read-only here: values change through the policy pages/API so each change is a version."""

    list_display = ["key", "name", "category", "value_type", "unit", "source_clause"]
    list_filter = ["category"]
    search_fields = ["key", "name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "level", "created_at", "read_at"]
    list_filter = ["level"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "event_type", "actor", "target_type", "target_id", "via"]
    list_filter = ["event_type"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "target_type", "target_id", "field", "via"]
