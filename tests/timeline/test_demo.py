"""The demo data: a year of events and the official holidays, loaded twice without duplicates."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from accounts.audiences import AudienceKind
from accounts.models import User
from timeline.categories import Category
from timeline.models import Event, SchoolHoliday
from timeline.permissions import events_visible_to


@pytest.mark.slow
@pytest.mark.django_db
@time_machine.travel("2026-11-29 09:00 +01:00", tick=False)
def test_seed_demo_is_idempotent_and_realistic():
    call_command("seed_demo", "--force", stdout=StringIO())
    first = sorted(Event.objects.values_list("title", "start_date", "end_date"))
    call_command("seed_demo", "--force", stdout=StringIO())

    assert sorted(Event.objects.values_list("title", "start_date", "end_date")) == first
    assert SchoolHoliday.objects.count() == 12
    assert set(Event.objects.values_list("category", flat=True)) == set(Category.values)
    exhibition = Event.objects.filter(title__startswith="Exposition « Maths et mesure »")
    assert exhibition.count() == 6
    assert len({e.place for e in exhibition}) == 6 and all(e.end_date > e.start_date for e in exhibition)
    assert Event.objects.filter(title="Semaine olympique et paralympique").exists()
    director = User.objects.get(email="directeur@demo.ent.fr")
    teacher = User.objects.get(email="enseignant@demo.ent.fr")
    own = Event.objects.filter(school__isnull=False)
    assert own.exists() and all(e.audience == AudienceKind.STRUCTURES for e in own)
    directors_only = Event.objects.filter(audience=AudienceKind.DIRECTORS)
    assert set(directors_only.filter(events_visible_to(director))) == set(directors_only)
    assert not directors_only.filter(events_visible_to(teacher)).exists()
    assert set(own.filter(events_visible_to(teacher))) == set(own)  # the teacher is in the director's school
