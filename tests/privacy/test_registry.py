"""The registry's rules and services: least data, each guardian separately, the district's rule, audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import Event
from privacy import rules, services
from privacy.models import GuardianDecision, GuardiansRequired, Pupil
from tests.factories import SchoolFactory, make_member

from .conftest import grant

pytestmark = pytest.mark.django_db


def allowed(pupil, medium="image", channel="ent"):
    return pupil.pk in rules.allowed_pupils([pupil], medium=medium, channel=channel)


def test_a_pupil_keeps_only_first_name_initial_and_class(registry):
    elodie = registry["elodie"]
    assert (elodie.first_name, elodie.last_initial, elodie.class_name) == ("Élodie", "M", "CM1")
    assert str(elodie) == "Élodie M. (CM1)"
    assert {f.name for f in Pupil._meta.get_fields() if f.concrete} == {
        "id",
        "school",
        "first_name",
        "last_initial",
        "class_name",
        "school_year",
        "guardians",
        "search_name",
        "created_at",
    }


def test_search_ignores_accents_and_case(registry, school):
    assert list(Pupil.objects.of_school(school).search("elodie")) == [registry["elodie"]]
    assert list(Pupil.objects.of_school(school).search("NOE")) == [registry["noe"]]


def test_both_guardians_are_needed_by_default(registry, director):
    elodie, request = registry["elodie"], registry["request"]
    grant(director, request, elodie, guardians=(1,))
    assert not allowed(elodie)
    grant(director, request, elodie, guardians=(2,))
    assert allowed(elodie)
    assert allowed(elodie, "voix", "livre")
    assert not allowed(elodie, "image", "public")  # the request does not name the public site


def test_one_guardian_suffices_when_the_district_says_so(registry, director, counsellor, school):
    services.policy_set(actor=counsellor, district=school.district, guardians_required=GuardiansRequired.ONE)
    grant(director, registry["request"], registry["elodie"], guardians=(1,))
    assert allowed(registry["elodie"])


def test_a_refusal_of_either_guardian_wins(registry, director, counsellor, school):
    services.policy_set(actor=counsellor, district=school.district, guardians_required=GuardiansRequired.ONE)
    request, elodie = registry["request"], registry["elodie"]
    grant(director, request, elodie, guardians=(1,))
    services.decision_record(
        actor=director, request=request, pupil=elodie, guardian=2, decision="refusee", signed_on=timezone.localdate()
    )
    assert not allowed(elodie)


def test_an_expired_request_allows_nothing(registry, director):
    request, elodie = registry["request"], registry["elodie"]
    grant(director, request, elodie)
    type(request).objects.filter(pk=request.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    assert not allowed(elodie)


def test_another_schools_request_does_not_cover_a_pupil(registry, director):
    other = SchoolFactory()
    other_director = make_member("directeur", other)
    pupil = services.pupil_create(
        actor=other_director, school=other, first_name="Léa", last_initial="P", class_name="CP"
    )
    grant(director, registry["request"], registry["elodie"])
    with pytest.raises(ValidationError):
        services.decision_record(
            actor=director,
            request=registry["request"],
            pupil=pupil,
            guardian=1,
            decision="accordee",
            signed_on=timezone.localdate(),
        )
    assert not allowed(pupil)


def test_withdrawing_keeps_the_row_dated_and_is_audited(registry, director, teacher):
    request, elodie = registry["request"], registry["elodie"]
    grant(director, request, elodie)
    decision = GuardianDecision.objects.get(request=request, pupil=elodie, guardian=2)
    services.decision_withdraw(actor=teacher, decision=decision)
    decision.refresh_from_db()
    assert decision.withdrawn_at is not None and decision.withdrawn_by == teacher
    assert decision.status_label == "Retirée"
    assert not allowed(elodie)
    assert Event.objects.filter(action="privacy.decision.withdrawn", actor=teacher).count() == 1


def test_each_guardians_decision_is_recorded_separately_with_who_and_when(registry, teacher):
    request, noe = registry["request"], registry["noe"]
    signed = timezone.localdate() - dt.timedelta(days=3)
    services.decision_record(
        actor=teacher, request=request, pupil=noe, guardian=1, decision="accordee", signed_on=signed
    )
    services.decision_record(
        actor=teacher, request=request, pupil=noe, guardian=2, decision="refusee", signed_on=signed
    )
    rows = {d.guardian: d for d in GuardianDecision.objects.filter(pupil=noe)}
    assert (rows[1].decision, rows[2].decision) == ("accordee", "refusee")
    assert rows[1].recorded_by == teacher and rows[1].signed_on == signed
    assert Event.objects.filter(action="privacy.decision.recorded").count() == 2


def test_a_signed_date_in_the_future_is_refused(registry, director):
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            actor=director,
            request=registry["request"],
            pupil=registry["noe"],
            guardian=1,
            decision="accordee",
            signed_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "signed_on" in error.value.message_dict
    assert not GuardianDecision.objects.exists()


@pytest.mark.parametrize("role", ["rased_member", "other_teacher"])
def test_people_outside_the_school_cannot_write(registry, role, request):
    actor = make_member("enseignant", SchoolFactory()) if role == "other_teacher" else request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        services.pupil_create(
            actor=actor, school=registry["elodie"].school, first_name="X", last_initial="Y", class_name="CP"
        )
    with pytest.raises(PermissionDenied):
        grant(actor, registry["request"], registry["elodie"])
    assert Pupil.objects.count() == 2 and not GuardianDecision.objects.exists()


def test_only_the_district_team_sets_the_rule(school, director):
    with pytest.raises(PermissionDenied):
        services.policy_set(actor=director, district=school.district, guardians_required=GuardiansRequired.ONE)
    assert rules.guardians_required(school.district_id) == GuardiansRequired.BOTH
