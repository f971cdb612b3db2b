"""Forms drawn in the State design system (DSFR), for every app, and the one bound on dates.

``DsfrForm`` and ``DsfrModelForm`` render ``{{ form }}`` with DSFR labels, hints and error
messages, and mark optional fields (the DSFR's current guidance) rather than required ones. One
rule says what a label adds, :func:`requirement_note`: « (facultatif) » only for a field the form
accepts empty in every case; a field needed in some cases names them (``field.required_when =
"avec une image"`` gives « (obligatoire avec une image) »); a filter form (``mark_optional = False``)
marks nothing. Every field of these forms, in ``{{ form }}``, ``{{ form.x.as_field_group }}`` or
``components/form_field.html`` / ``form_choices.html``, is drawn by those two components.

Every date a person gives, in a form or in a URL, lies between ``EARLIEST_DATE`` and
``LATEST_DATE`` (years 2000 to 2100): wide enough for any school year the site will hold, and far
from the ends of Python's calendar, where converting 0001-01-01 00:00 (Paris) to UTC or adding a
week to 9999-12-31 fails. Forms use ``BoundedDateField`` / ``BoundedDateTimeField``; views read a
date or a year from the URL with ``date_param`` / ``year_param``, which ignore a bad one and say so.

A service's refusal is shown on the form it came from with ``form.add_service_errors(error)``: the
page is rendered again (200) with the French message and everything typed, never a redirect that
drops it (see ARCHITECTURE.md, "Forms").
"""

import datetime as dt
import functools
from collections.abc import Callable, Hashable
from pathlib import Path

import dsfr
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.autoreload import file_changed
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from dsfr.forms import DsfrBoundField, DsfrDjangoTemplates
from dsfr.utils import dsfr_input_class_attr

OPTIONAL = "(facultatif)"


def requirement_note(bound_field) -> str:
    """What a field's label says of its being needed: the one rule of every form.

    « (facultatif) » when the form accepts it empty whatever else is filled; « (obligatoire …) »
    when the form needs it in some cases only (``field.required_when``); nothing for a required
    field, nor in a filter form (``mark_optional = False``: every filter is optional).
    """
    field = bound_field.field
    if field.required or not getattr(bound_field.form, "mark_optional", True):
        return ""
    when = getattr(field, "required_when", "")
    return f"(obligatoire {when})" if when else OPTIONAL


def required_when(field: forms.Field, when: str) -> forms.Field:
    """Declare that the form needs ``field`` in some cases only: « (obligatoire <when>) »."""
    field.required_when = when
    return field


CHOICE_WIDGETS = {"radioselect", "checkboxselectmultiple", "inlineradioselect", "inlinecheckboxselectmultiple"}


class EntBoundField(DsfrBoundField):
    """A field drawn by the site's components (``components/form_field.html``, ``form_choices.html``)."""

    @property
    def template_name(self):
        if self.field.template_name or getattr(self.field.__class__, "template_name", None):
            return super().template_name
        if self.widget_type in CHOICE_WIDGETS:
            return "components/form_choices.html"
        if self.widget_type in {"richradioselect", "numbercursor", "segmentedcontrol"}:
            return super().template_name
        return "components/form_field.html"

    def get_context(self):
        return {**super().get_context(), "inline": self.widget_type.startswith("inline")}


class EntFormRenderer(DsfrDjangoTemplates):
    """django-dsfr's form renderer, which also finds the site's own templates (its components)."""

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    Path(settings.BASE_DIR) / "templates",
                    Path(dsfr.__path__[0]) / "templates",
                    Path(forms.__path__[0]) / "templates",
                ],
                "NAME": "ent-forms",
                "OPTIONS": {},
            }
        )


#: One renderer per process: Django makes a new one per form when given the class, and with it a new
#: template engine whose templates are read and compiled again (a millisecond or more per form).
FORM_RENDERER = EntFormRenderer()


class FieldsDrawnOnce:
    """A filter form's fields, drawn once per process for each choice that is the same for everyone.

    Drawing a few selects and checkboxes through Django's widget templates costs a millisecond or
    two, a large share of a list page's own time. ``kept(key)`` gives the fields as drawn the first
    time for ``key`` (a hashable that says all the form holds: ``build(key)`` makes that form);
    ``now(form)`` draws this very form (what a person typed, a wrong choice with its message),
    kept nowhere. ``template_name`` holds the fields, given as ``form``."""

    def __init__(self, template_name: str, build: Callable[[Hashable], forms.Form], *, maxsize: int):
        self.template_name = template_name
        self.build = build
        self.kept = functools.lru_cache(maxsize=maxsize)(self._drawn)
        _DRAWN_ONCE.append(self)

    def now(self, form: forms.Form) -> SafeString:
        return render_to_string(self.template_name, {"form": form})

    def _drawn(self, key: Hashable) -> SafeString:
        form = self.build(key)
        form.is_valid()
        return self.now(form)


_DRAWN_ONCE: list[FieldsDrawnOnce] = []


@receiver(file_changed, dispatch_uid="ent.forms.renderer")
def _template_edited(sender, file_path, **kwargs):
    """``runserver``: a template edited is compiled again (Django resets its own engines only), and
    the fields drawn once are drawn again."""
    FORM_RENDERER.__dict__.pop("engine", None)
    for fields in _DRAWN_ONCE:
        fields.kept.cache_clear()


class DsfrFormMixin:
    template_name = "dsfr/form_snippet.html"
    bound_field_class = EntBoundField
    default_renderer = FORM_RENDERER
    mark_optional = True
    #: Said when the form is shown again after files were sent: a browser never fills a file input
    #: again. ``files_not_kept_field`` is the field it is said on (None: above the form).
    files_not_kept = "Les fichiers choisis n’ont pas été enregistrés : choisissez-les à nouveau."
    files_not_kept_field = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def get_context(self):
        context = super().get_context()
        context.setdefault("DSFR_MARK_OPTIONAL_FIELDS", True)
        return context

    def add_service_errors(self, error: ValidationError | PermissionDenied) -> None:
        """Show a service's refusal on this bound form, which keeps what was typed.

        A ``ValidationError``'s messages go on their fields when this form has them, above the form
        otherwise (never Django's ``ValueError`` for an unknown field); a ``PermissionDenied``'s
        message (the services' refusals say why, in French) goes above the form. Files sent are
        not kept: the form says so (:attr:`files_not_kept`).
        """
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for name, messages_ in error.message_dict.items():
                for message in messages_:
                    self.add_error(name if name in self.fields else None, message)
        elif isinstance(error, ValidationError):
            for message in error.messages:
                self.add_error(None, message)
        else:
            self.add_error(None, str(error) or "Cette action ne vous est pas permise : rien n’a été enregistré.")
        if self.files and self.files_not_kept not in self.errors.get(self.files_not_kept_field or "__all__", []):
            self.add_error(self.files_not_kept_field, self.files_not_kept)


class DsfrForm(DsfrFormMixin, forms.Form):
    pass


class DsfrModelForm(DsfrFormMixin, forms.ModelForm):
    pass


# --- The one bound on dates ---------------------------------------------------------------------

EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
DATE_RANGE_MESSAGE = f"Choisissez une date entre {EARLIEST_DATE.year} et {LATEST_DATE.year}."


def date_in_range(value) -> bool:
    day = value.date() if isinstance(value, dt.datetime) else value
    return EARLIEST_DATE <= day <= LATEST_DATE


def validate_date_in_range(value) -> None:
    """A date (or date and time) between ``EARLIEST_DATE`` and ``LATEST_DATE``."""
    if value is not None and not date_in_range(value):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


class BoundedDateField(forms.DateField):
    default_validators = [validate_date_in_range]


class BoundedDateTimeField(forms.DateTimeField):
    """Checked before the value is compared or saved: a year-1 time in Paris has no UTC equivalent."""

    default_validators = [validate_date_in_range]


def _ignored(request, what: str, value: str, reason: str) -> None:
    shown = value if len(value) <= 40 else value[:40] + "…"
    messages.warning(request, f"{what} « {shown} » est ignorée : {reason}")


def date_param(request, name: str) -> dt.date | None:
    """The date in ``?name=AAAA-MM-JJ``, or None when absent or bad (then a French message says why)."""
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        _ignored(request, "La date", value, "ce n’est pas une date au format AAAA-MM-JJ.")
        return None
    if not date_in_range(day):
        _ignored(request, "La date", value, DATE_RANGE_MESSAGE[0].lower() + DATE_RANGE_MESSAGE[1:])
        return None
    return day


def year_param(request, name: str) -> int | None:
    """The year in ``?name=2026``, or None when absent or bad (then a French message says why)."""
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    year = int(value) if value.isdecimal() and len(value) <= 4 else None
    if year is None or not EARLIEST_DATE.year <= year <= LATEST_DATE.year:
        _ignored(request, "L’année", value, f"choisissez une année entre {EARLIEST_DATE.year} et {LATEST_DATE.year}.")
        return None
    return year


class URLField(forms.URLField):
    """A web address field: one typed without a scheme is taken as https (Django 6's default, asked
    for now, so no form warns)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)
