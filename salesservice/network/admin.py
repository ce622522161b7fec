from django.contrib import admin

from .models import ProviderViolation, ServiceProvider


class ProviderViolationInline(admin.TabularInline):
    model = ProviderViolation
    extra = 0
    can_delete = False
    raw_id_fields = ["recorded_by"]


@admin.register(ServiceProvider)
class ServiceProviderAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "org_unit", "status", "status_changed_at"]
    search_fields = ["code", "name"]
    list_filter = ["status"]
    filter_horizontal = ["categories", "dispatchers"]
    # The status moves only through provider_change_status (the one door).
    readonly_fields = ["status", "status_reason", "status_changed_at", "version"]
    inlines = [ProviderViolationInline]
