"""Demo registry: the pupils of two demo classes and their families' answers, written through the services.

Seeded before the feature apps (``privacy`` comes before them in ``INSTALLED_APPS``), so that their
demos may name these pupils on their photos.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Structure, User
from accounts.permissions import acts_for_district

from . import services
from .models import Channel, ConsentRequest, Medium, Pupil

SCHOOLS = ["École élémentaire Jean Raffarin", "École élémentaire Jules Ferry"]
PUPILS = {
    "CM1": [("Élodie", "M"), ("Noé", "B"), ("Inès", "L"), ("Maël", "R"), ("Zoé", "K"), ("Léon", "D")],
    "CE2": [("Chloé", "P"), ("Éthan", "G"), ("Anaïs", "T"), ("Jules", "F")],
}


def _keeper(school):
    """Someone who keeps the school's registry: a member of the district team."""
    for user in User.objects.filter(is_active=True).order_by("pk"):
        if acts_for_district(user):
            return user
    return None


@transaction.atomic
def seed(command):
    schools = list(Structure.objects.schools().filter(name__in=SCHOOLS).order_by("name"))
    if not schools:
        command.stdout.write("  droit à l’image : écoles de démonstration absentes, rien à faire")
        return
    actor = _keeper(schools[0])
    if actor is None or Pupil.objects.filter(school__in=schools).exists():
        command.stdout.write("  droit à l’image : déjà fait ou personne pour tenir le registre")
        return
    today = timezone.localdate()
    for school in schools:
        pupils = [
            services.pupil_create(actor=actor, school=school, first_name=first, last_initial=initial, class_name=klass)
            for klass, names in PUPILS.items()
            for first, initial in names
        ]
        request = services.request_create(
            actor=actor,
            school=school,
            data=services.RequestInput(
                title="La vie de l’école",
                project=ConsentRequest.Project.SCHOOL_LIFE,
                media=[Medium.IMAGE, Medium.VOICE, Medium.FIRST_NAME, Medium.WORK],
                channels=[Channel.ENT, Channel.BOOK],
                form_version="2026-1",
                valid_until=dt.date(today.year + (1 if today.month >= 8 else 0), 7, 7),
            ),
        )
        signed = today - dt.timedelta(days=20)
        for n, pupil in enumerate(pupils):
            if n % 5 == 4:
                continue  # a form not returned yet
            for guardian in range(1, pupil.guardians + 1):
                decision = "refusee" if (n % 7 == 3 and guardian == 2) else "accordee"
                services.decision_record(
                    actor=actor, request=request, pupil=pupil, guardian=guardian, decision=decision, signed_on=signed
                )
    command.stdout.write(
        f"  droit à l’image : {Pupil.objects.count()} élèves, {ConsentRequest.objects.count()} demandes"
    )
