"""Run by the production tests with ``manage.py shell`` against their own PostgreSQL: the district
(schools, directors, teachers, a counsellor) and a signed-in session for the people the tests act
as (their two-factor step done: signing in is tested elsewhere). Prints JSON on the last line."""

import json
import os

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from accounts.models import Role
from notifications.models import EmailSettings
from tests.factories import SchoolFactory, TeamFactory, make_member

SCHOOLS = int(os.environ.get("ENT_SEED_SCHOOLS", "120"))


def session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["ent_mfa_ok"] = True
    session.create()
    return session.session_key


team = TeamFactory()
counsellor = make_member(Role.CPC, team, first_name="Adrian", last_name="Conseiller", email="cpc@ent.test")
counsellor.memberships.update(speciality="numérique")
directors, teachers = [], []
for number in range(SCHOOLS):
    school = SchoolFactory()
    directors.append(make_member(Role.DIRECTOR, school, email=f"direction{number}@ent.test"))
    if number < 10:
        teachers.append(make_member(Role.TEACHER, school, email=f"enseignant{number}@ent.test"))
# Immediate e-mails now, whatever the hour the tests run (no « droit à la déconnexion » hold).
EmailSettings.objects.bulk_create(
    [EmailSettings(user=user, quiet_hours=False) for user in [counsellor, *directors, *teachers]]
)
print(
    json.dumps(
        {
            "counsellor": session_for(counsellor),
            "directors": [session_for(user) for user in directors[:5]],
            "teachers": [session_for(user) for user in teachers[:5]],
            "director_emails": [user.email for user in directors],
        }
    )
)
