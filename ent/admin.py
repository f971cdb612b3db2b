"""What every app's admin shares.

``BoundedDatesAdminMixin``: the bound on dates of ``ent.forms`` (years 2000–2100) on every date field.

``ServiceModelAdmin`` saves, changes and deletes through the hooks a subclass gives
(``create``/``update``/``delete``, which call the app's services with ``actor=request.user``), asks
the app's permissions whether this person may add (``may_add``) and whether this object may be
changed or deleted (``may_change``/``may_delete``: otherwise the page is read-only), and never lets
the form write many-to-many fields itself (the service sets them). Status and dates that only a service may set belong in ``readonly_fields``;
changing them is an admin action that calls the service.

The services' own checks are best shown on the form (its ``clean()``): an error raised while saving
would answer an error page instead.

``ReadOnlyAdminMixin``: rows that only the site's services (or a task) write are shown in the admin,
listed and filtered, never added, changed or deleted there (the audit trail, acknowledgements…).

``titled_filter``: a list filter under a French title. Celery beat's admin is registered again here
with the French its own code leaves out (the rest is in ``locale/``).
"""

import re

from cron_descriptor import (
    ExpressionDescriptor,
    FormatException,
    MissingFieldException,
    Options,
    WrongArgumentException,
)
from django.contrib import admin
from django.db import models
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from .forms import validate_date_in_range


class BoundedDatesAdminMixin:
    """Every date and date-time field of the admin form refuses a date outside ``ent.forms``' bound.

    Without it, 0001-01-01 00:00 typed in the admin fails on save (no UTC equivalent in Paris).
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # A DateTimeField is a DateField too.
        if field is not None and isinstance(db_field, models.DateField) and db_field.editable:
            field.validators.append(validate_date_in_range)
        return field


class ReadOnlyAdminMixin:
    """For an admin or an inline: view and list only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceModelAdmin(BoundedDatesAdminMixin, admin.ModelAdmin):
    """The admin of a model whose every write is one of its app's services, as on the site."""

    def create(self, request, form):
        """Create the object through the service; returns it."""
        raise NotImplementedError

    def update(self, request, obj, form):
        """Save the form's changes through the service; returns the saved object."""
        raise NotImplementedError

    def delete(self, request, obj) -> None:
        raise NotImplementedError

    def may_add(self, user) -> bool:
        return True

    def may_change(self, user, obj) -> bool:
        return True

    def may_delete(self, user, obj) -> bool:
        return True

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self.may_add(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.may_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.may_delete(request.user, obj))

    def save_model(self, request, obj, form, change):
        saved = self.update(request, obj, form) if change else self.create(request, form)
        # The admin goes on with ``obj`` (messages, history, redirect): make it the saved object.
        obj.__dict__.update(saved.__dict__)

    def save_related(self, request, form, formsets, change):
        # No form.save_m2m(): the service set the relations. Inlines are saved as usual.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        self.delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete(request, obj)


def titled_filter(base: type[admin.FieldListFilter], title: str) -> type[admin.FieldListFilter]:
    """``base`` (a Django field filter) shown under ``title``: for third-party fields whose
    verbose name is missing or in English, and that no translation catalogue reaches."""

    class TitledFilter(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    TitledFilter.__name__ = f"Titled{base.__name__}"
    return TitledFilter


# --- Celery beat's admin, in French ----------------------------------------------------------
# Its strings marked for translation are corrected in locale/fr/LC_MESSAGES/django.po; these are
# the ones it writes in English without marking them.

_ENGLISH_NAMES = {
    "Monday": "lundi",
    "Tuesday": "mardi",
    "Wednesday": "mercredi",
    "Thursday": "jeudi",
    "Friday": "vendredi",
    "Saturday": "samedi",
    "Sunday": "dimanche",
    "January": "janvier",
    "February": "février",
    "March": "mars",
    "April": "avril",
    "May": "mai",
    "June": "juin",
    "July": "juillet",
    "August": "août",
    "September": "septembre",
    "October": "octobre",
    "November": "novembre",
    "December": "décembre",
}
_ENGLISH_NAME = re.compile(r"\b(" + "|".join(_ENGLISH_NAMES) + r")\b")
_CLOCK_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")


def _french_time(match: re.Match) -> str:
    hours, minutes = int(match.group(1)), match.group(2)
    return f"{hours}\xa0h" if minutes == "00" else f"{hours}\xa0h\xa0{minutes}"


def crontab_description(crontab: CrontabSchedule) -> str:
    """« Toutes les 5 minutes », « À 7 h, de lundi à vendredi »: the crontab in French words."""
    options = Options()
    options.locale_code = "fr_FR"
    options.use_24hour_time_format = True
    expression = " ".join(
        (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year, crontab.day_of_week)
    )
    try:
        text = ExpressionDescriptor(expression, options).get_description()
    except (FormatException, MissingFieldException, WrongArgumentException):
        return expression
    text = _ENGLISH_NAME.sub(lambda match: _ENGLISH_NAMES[match.group(1)], text)
    return _CLOCK_TIME.sub(_french_time, text)


admin.site.unregister(PeriodicTask)
admin.site.unregister(CrontabSchedule)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    list_filter = [
        "enabled",
        "one_off",
        ("task", titled_filter(admin.AllValuesFieldListFilter, "tâche")),
        "start_time",
        "last_run_at",
    ]

    @admin.display(description="en clair")
    def crontab_translation(self, obj):
        return crontab_description(obj.crontab) if obj.crontab else "-"


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    list_display = ("__str__", "in_words")
    fields = ("in_words", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ("in_words",)

    @admin.display(description="en clair")
    def in_words(self, crontab):
        return crontab_description(crontab)
