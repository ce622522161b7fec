from django.contrib import admin

from .models import Certification, Course, ExamAttempt, Question


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["certificate_no", "user", "category", "issued_at", "valid_until", "revoked_at"]
    search_fields = ["certificate_no", "user__username", "user__display_name"]
    list_filter = ["category"]
    raw_id_fields = ["user", "evidence", "revoked_by"]
    readonly_fields = ["version", "revoked_at", "revoked_by", "revoked_reason"]

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted (PPL-4)


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "text", "option_a", "option_b", "option_c", "option_d", "answer", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False  # taken out of the bank (inactive), never deleted: past attempts still read


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "kind", "pass_mark", "validity_months", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["title"]
    readonly_fields = ["version"]
    inlines = [QuestionInline]


@admin.register(ExamAttempt)
class ExamAttemptAdmin(admin.ModelAdmin):
    """Read-only: attempts are scored by the system or graded on the page (PPL-4), never typed in here."""

    list_display = ["course", "user", "kind", "status", "score", "passed", "failure_streak", "started_at"]
    list_filter = ["kind", "status", "passed"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
