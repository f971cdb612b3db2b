from django.contrib import admin

from ent.admin import BoundedDatesAdminMixin

from .models import CalendarToken, Event, SchoolHoliday


@admin.register(Event)
class EventAdmin(BoundedDatesAdminMixin, admin.ModelAdmin):
    list_display = ["title", "category", "start_date", "end_date", "audience", "school"]
    list_filter = ["category", "audience", "all_day"]
    search_fields = ["title", "description", "place"]
    date_hierarchy = "start_date"
    raw_id_fields = ["school", "created_by"]
    filter_horizontal = ["audience_structures"]
    readonly_fields = ["created_at", "updated_at", "sequence"]


@admin.register(SchoolHoliday)
class SchoolHolidayAdmin(BoundedDatesAdminMixin, admin.ModelAdmin):
    list_display = ["name", "school_year", "zone", "start", "end"]
    list_filter = ["zone", "school_year"]
    readonly_fields = ["updated_at"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email", "user__last_name"]
    raw_id_fields = ["user"]
    exclude = ["key"]
    readonly_fields = ["created_at"]
