"""Admin: nonconformance records are read-only here (changes go through the services, SUP-8)."""

from django.contrib import admin

from .models import Nonconformance


@admin.register(Nonconformance)
class NonconformanceAdmin(admin.ModelAdmin):
    list_display = ["number", "source", "product", "org_unit", "status", "disposition", "opened_at"]
    list_filter = ["status", "source", "disposition"]
    search_fields = ["number", "batch_number", "serial_number"]
    list_select_related = ["product", "org_unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
