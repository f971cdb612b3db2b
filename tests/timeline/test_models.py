"""The event model's own rules: dates of timed events, database constraints, safe links."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from timeline.models import Event

from .factories import EventFactory

pytestmark = pytest.mark.django_db


def test_a_timed_event_takes_its_paris_dates():
    late = EventFactory(
        all_day=False,
        starts_at=datetime(2026, 12, 9, 22, 30, tzinfo=UTC),  # 23:30 in Paris
        ends_at=datetime(2026, 12, 9, 23, 0, tzinfo=UTC),  # midnight in Paris: still the 9th
        start_date=date(2000, 1, 1),
    )
    overnight = EventFactory(
        all_day=False,
        starts_at=datetime(2026, 12, 9, 22, 30, tzinfo=UTC),
        ends_at=datetime(2026, 12, 10, 1, 0, tzinfo=UTC),
    )

    assert (late.start_date, late.end_date) == (date(2026, 12, 9), date(2026, 12, 9))
    assert (overnight.start_date, overnight.end_date) == (date(2026, 12, 9), date(2026, 12, 10))


def test_the_database_refuses_an_end_before_the_start():
    with pytest.raises(IntegrityError):
        EventFactory(start_date=date(2026, 12, 9), end_date=date(2026, 12, 8))


def test_the_database_refuses_a_timed_event_without_times():
    with pytest.raises(IntegrityError):
        Event.objects.bulk_create(
            [Event(title="x", all_day=False, start_date=date(2026, 12, 9), end_date=date(2026, 12, 9))]
        )


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//ailleurs.example/piege", "ftp://serveur/fichier"])
def test_links_entered_in_the_admin_are_checked_too(link):
    event = EventFactory.build(related_url=link, video_url="javascript:alert(1)")

    with pytest.raises(ValidationError) as error:
        event.full_clean(exclude=["audience_structures"])

    assert set(error.value.message_dict) == {"related_url", "video_url"}
