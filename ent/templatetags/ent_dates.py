"""Dates and times in templates, in the one French voice of ``ent.dates``.

``{% load ent_dates %}``, then:

- ``{{ day|fr_date }}`` « lundi 1er décembre 2026 », ``{{ day|fr_date:"court" }}`` « 1er décembre 2026 »;
- ``{{ moment|fr_datetime }}`` « lundi 1er décembre 2026 à 8 h 30 » (``"court"``: without the weekday);
- ``{{ moment|fr_time }}`` « 8 h 30 », ``{{ day|fr_month }}`` « décembre 2026 »;
- ``{{ start|fr_range:end }}`` « du 7 au 11 décembre 2026 »;
- ``{{ moment|fr_since }}`` « il y a 2 heures » (notifications only: where « how long ago » helps).

Aware datetimes are shown in Paris time. An empty value gives "". Machine formats stay as they are
(``<time datetime="{{ moment|date:'c' }}">``).
"""

from django import template

from ent import dates

register = template.Library()

SHORT = "court"


def _options(arg) -> dict:
    return {"with_weekday": arg != SHORT}


@register.filter
def fr_date(value, arg=""):
    return dates.format_day(value, **_options(arg)) if value else ""


@register.filter
def fr_datetime(value, arg=""):
    return dates.format_datetime(value, **_options(arg)) if value else ""


@register.filter
def fr_time(value):
    return dates.format_time(value) if value else ""


@register.filter
def fr_month(value):
    return dates.format_month(value) if value else ""


@register.filter
def fr_range(start, end):
    return dates.format_date_range(start, end, with_weekday=False) if start and end else ""


@register.filter
def fr_since(value):
    return dates.format_relative(value) if value else ""
