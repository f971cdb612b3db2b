import datetime as dt

import pytest
from django.utils import timezone

from privacy import services
from privacy.models import Channel, ConsentRequest, Medium


@pytest.fixture
def registry(school, director):
    """Two pupils of ``school`` (Élodie M. in CM1, Noé B. in CE2) and a « vie de l'école » request
    for images and voices in the ENT and the common book; nothing answered yet."""
    elodie = services.pupil_create(
        actor=director, school=school, first_name="Élodie", last_initial="m", class_name="CM1"
    )
    noe = services.pupil_create(actor=director, school=school, first_name="Noé", last_initial="B", class_name="CE2")
    request = services.request_create(
        actor=director,
        school=school,
        data=services.RequestInput(
            title="La vie de l’école 2026",
            project=ConsentRequest.Project.SCHOOL_LIFE,
            media=[Medium.IMAGE, Medium.VOICE],
            channels=[Channel.ENT, Channel.BOOK],
            form_version="2026-1",
            valid_until=timezone.localdate() + dt.timedelta(days=200),
        ),
    )
    return {"elodie": elodie, "noe": noe, "request": request}


def grant(actor, request, pupil, guardians=(1, 2)):
    for guardian in guardians:
        services.decision_record(
            actor=actor,
            request=request,
            pupil=pupil,
            guardian=guardian,
            decision="accordee",
            signed_on=timezone.localdate(),
        )
