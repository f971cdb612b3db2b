"""The event form never drops what was typed: bad input and a service's refusal both answer the form
again (200) with the French message, every typed field, and nothing saved."""

from html import escape

import pytest
from django.urls import reverse

from accounts.models import Membership
from audit.models import Event as AuditEvent
from notifications.models import Notification
from timeline import permissions, services
from timeline.models import Event

from .factories import school_event

pytestmark = pytest.mark.django_db

TYPED = {
    "title": "Conseil d’école du premier trimestre",
    "category": "reunion",
    "description": "Ordre du jour : sécurité, sorties, fête de fin d’année.\nApportez le compte rendu.",
    "place": "Salle polyvalente",
    "all_day": "on",
    "start_date": "2026-12-09",
}


def _state():
    return (
        list(Event.objects.order_by("pk").values_list("pk", "title", "description", "sequence")),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def _assert_kept(response, message):
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(message) in html
    assert f'value="{escape(TYPED["title"])}"' in html
    assert escape(TYPED["description"]) in html
    assert f'value="{escape(TYPED["place"])}"' in html


def test_bad_input_keeps_the_description_and_place_too(counsellor, client_as):
    before = _state()

    response = client_as(counsellor).post(
        reverse("timeline:event-create"), TYPED | {"audience": "district", "end_date": "2026-12-01"}
    )

    _assert_kept(response, "La date de fin ne peut pas précéder la date de début.")
    assert response.context["form"].errors == {"end_date": ["La date de fin ne peut pas précéder la date de début."]}
    assert _state() == before


def test_a_refusal_of_the_create_service_answers_the_form_with_its_message(director, school, client_as, monkeypatch):
    # The service checks the school again, with its own rule: when it refuses, the person is told
    # why on the form they filled in, not on a bare 403 page.
    monkeypatch.setattr(permissions, "can_create_school_event", lambda user, school: False)
    before = _state()

    response = client_as(director).post(reverse("timeline:event-create"), TYPED | {"school": school.pk})

    _assert_kept(response, "Vous ne dirigez pas cette école.")
    assert response.context["form"].non_field_errors() == ["Vous ne dirigez pas cette école."]
    assert "Rien n’a été enregistré ; ce que vous avez saisi est conservé ci-dessous." in response.content.decode()
    assert _state() == before


def test_a_director_who_leaves_the_school_while_sending_the_form_keeps_what_they_typed(
    director, school, client_as, monkeypatch
):
    event = school_event(school, title="Conseil d’école")
    update = services.event_update

    def leave_then_update(*, actor, event, data):
        Membership.objects.filter(user=actor, structure=school).delete()
        del actor._ent_viewer  # their roles, read again as the next request would
        return update(actor=actor, event=event, data=data)

    monkeypatch.setattr(services, "event_update", leave_then_update)
    client = client_as(director)
    before = _state()

    response = client.post(reverse("timeline:event-update", args=[event.pk]), TYPED | {"school": school.pk})

    _assert_kept(response, "Vous ne pouvez pas modifier cet événement.")
    assert _state() == before
    event.refresh_from_db()
    assert (event.title, event.sequence) == ("Conseil d’école", 0)
