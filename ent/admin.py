"""What every app's admin shares: the bound on dates of ``ent.forms`` (years 2000–2100)."""

from django.db import models

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
