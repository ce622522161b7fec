from django.contrib import admin

from .models import Certification


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["certificate_no", "user", "category", "issued_at", "valid_until", "revoked_at"]
    search_fields = ["certificate_no", "user__username", "user__display_name"]
    list_filter = ["category"]
    raw_id_fields = ["user", "evidence", "revoked_by"]
    readonly_fields = ["version", "revoked_at", "revoked_by", "revoked_reason"]

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted (PPL-4)
