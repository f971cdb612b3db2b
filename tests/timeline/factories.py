"""Factories for the frise's tests."""

from datetime import date, time, timedelta

import factory

from accounts.audiences import AudienceKind
from timeline.categories import Category
from timeline.dates import local_datetime
from timeline.models import Event, SchoolHoliday


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Événement n°{n}")
    category = Category.DIRECTORS_MEETING
    all_day = True
    start_date = date(2026, 12, 9)
    end_date = factory.LazyAttribute(lambda o: o.start_date)
    audience = AudienceKind.DISTRICT

    @factory.post_generation
    def audience_structures(self, create, extracted, **kwargs):
        if create and extracted:
            self.audience_structures.set(extracted)


def timed_event(day: date, start: time, end: time, **fields) -> Event:
    return EventFactory(
        all_day=False,
        starts_at=local_datetime(day, start),
        ends_at=local_datetime(day, end),
        start_date=day,
        **fields,
    )


def school_event(school, **fields) -> Event:
    return EventFactory(school=school, audience=AudienceKind.STRUCTURES, audience_structures=[school], **fields)


class SchoolHolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolHoliday

    school_year = "2026-2027"
    name = "Vacances de Noël"
    zone = "A"
    start = date(2026, 12, 19)
    end = factory.LazyAttribute(lambda o: o.start + timedelta(days=15))
