"""Admin: the return policy's exclusion rules are configured here (RET-1); requests are read-only."""

from django.contrib import admin

from .models import ReturnRequest, ReturnRule


@admin.register(ReturnRule)
class ReturnRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "citation", "only_when_opened", "is_active"]
    filter_horizontal = ["excluded_categories"]
    exclude = ["version"]


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services (status through the one door)."""

    list_display = ["number", "customer", "store", "product", "status", "eligible", "requested_at"]
    list_filter = ["status", "reason", "eligible"]
    search_fields = ["number", "serial_number", "customer__name"]
    list_select_related = ["customer", "store", "product"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
