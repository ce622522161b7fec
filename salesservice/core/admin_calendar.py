"""Django admin for business calendars and the statutory-day table (SRV-2 SLA clocks run on them).

Imported from `core/admin.py`; registering is the side effect of importing this module.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .business_calendar import missing_statutory_years
from .models import BusinessCalendar, StatutoryDay, WorkingWindow


class WorkingWindowInline(admin.TabularInline):
    model = WorkingWindow
    extra = 0
    fields = ["weekday", "start", "end"]
    ordering = ["weekday", "start"]


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "observes_statutory_days", "adjusted_workday_as_weekday"]
    list_filter = ["kind", "observes_statutory_days"]
    search_fields = ["code", "name"]
    inlines = [WorkingWindowInline]


@admin.register(StatutoryDay)
class StatutoryDayAdmin(admin.ModelAdmin):
    """Admins enter each next year's holidays and 调休 once the State Council publishes them."""

    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]
    ordering = ["date"]

    def changelist_view(self, request, extra_context=None):
        missing = missing_statutory_years()
        if missing:
            years = "、".join(str(year) for year in missing)
            messages.warning(
                request,
                _("%(years)s 年的法定节假日与调休尚未维护，SLA 将按普通周末计算。请在国务院办公厅发布安排后录入。")
                % {"years": years},
            )
        return super().changelist_view(request, extra_context)
