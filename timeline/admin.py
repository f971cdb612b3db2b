from django import forms
from django.contrib import admin

from audit.admin import EventInline as HistoryInline
from ent.admin import BoundedDatesAdminMixin, ServiceModelAdmin

from . import permissions, services
from .forms import WebURLField
from .models import CalendarToken, Event, SchoolHoliday


class EventAdminForm(forms.ModelForm):
    """An event as on the site; its author, revision and audience's schools are the services'."""

    class Meta:
        model = Event
        fields = [*services.EVENT_FIELDS, "audience_structures", "school"]
        field_classes = {"video_url": WebURLField}

    def event_data(self) -> services.EventData:
        data = self.cleaned_data
        all_day = bool(data.get("all_day"))
        return services.EventData(
            title=data["title"].strip(),
            category=data["category"],
            all_day=all_day,
            start_date=data["start_date"],
            end_date=data["end_date"],
            starts_at=None if all_day else data.get("starts_at"),
            ends_at=None if all_day else data.get("ends_at"),
            description=(data.get("description") or "").strip(),
            place=(data.get("place") or "").strip(),
            video_url=data.get("video_url") or "",
            related_url=(data.get("related_url") or "").strip(),
            audience=data["audience"],
            audience_structures=tuple(data.get("audience_structures") or ()),
            # A school's event stays that school's (``event_update`` keeps it).
            school=data.get("school", self.instance.school),
        )


@admin.register(Event)
class EventAdmin(ServiceModelAdmin):
    """Every write goes through timeline.services, as on the site: permissions checked, the audience
    told of a new event, the audit trail written, calendars given a new revision (SEQUENCE)."""

    form = EventAdminForm
    list_display = ["title", "category", "start_date", "end_date", "audience", "school"]
    list_filter = ["category", "audience", "all_day"]
    search_fields = ["title", "description", "place"]
    date_hierarchy = "start_date"
    raw_id_fields = ["school"]
    filter_horizontal = ["audience_structures"]
    readonly_fields = ["created_by", "created_at", "updated_at", "sequence"]
    inlines = [HistoryInline]

    def get_readonly_fields(self, request, obj=None):
        # An event's school is chosen when it is added.
        return ["school", *self.readonly_fields] if obj is not None else self.readonly_fields

    def may_add(self, user):
        return permissions.can_create_event(user)

    def may_change(self, user, obj):
        return permissions.can_edit_event(user, obj)

    def may_delete(self, user, obj):
        return permissions.can_delete_event(user, obj)

    def create(self, request, form):
        return services.event_create(actor=request.user, data=form.event_data())

    def update(self, request, obj, form):
        return services.event_update(actor=request.user, event=obj, data=form.event_data())

    def delete(self, request, obj):
        services.event_delete(actor=request.user, event=obj)


@admin.register(SchoolHoliday)
class SchoolHolidayAdmin(BoundedDatesAdminMixin, admin.ModelAdmin):
    """Loaded from the ministry's file (``load_school_holidays``, ``school_holidays_load``). Typing stays
    possible, as a stopgap (saved by ``school_holiday_save``), and is no site write bypassed: the site never writes holidays, and
    nobody is told of them. The next load of the file sets again the dates of a holiday it lists
    (same school year, name and zone)."""

    list_display = ["name", "school_year", "zone", "start", "end"]
    list_filter = ["zone", "school_year"]
    readonly_fields = ["updated_at"]

    # Through timeline.services, so that the frise's cached drawings are renewed (timeline.frise_cache).
    def save_model(self, request, obj, form, change):
        services.school_holiday_save(holiday=obj)

    def delete_model(self, request, obj):
        services.school_holidays_delete(holidays=[obj])

    def delete_queryset(self, request, queryset):
        services.school_holidays_delete(holidays=list(queryset))


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email", "user__last_name"]
    raw_id_fields = ["user"]
    exclude = ["key"]
    readonly_fields = ["created_at"]
