"""factory_boy factories shared by every app's tests."""

import time

import factory
from django.utils import timezone

from accounts.models import District, Membership, Role, Structure, User
from accounts.validators import uai_check_letter

DEMO_PASSWORD = "mot-de-passe-de-test-2026"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = "Circonscription de Lencloître"
    academie = "poitiers"


def _uai(n):
    first_seven = f"086{n:04d}"
    return first_seven + uai_check_letter(first_seven)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    district = factory.SubFactory(DistrictFactory)
    kind = Structure.Kind.SCHOOL
    uai = factory.Sequence(lambda n: _uai(n + 100))
    code = factory.LazyAttribute(lambda o: o.uai.lower())
    name = factory.Sequence(lambda n: f"École élémentaire n°{n}")
    school_type = Structure.SchoolType.ELEMENTAIRE
    commune = "Mirebeau"
    postal_code = "86110"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure
        django_get_or_create = ("code",)

    district = factory.SubFactory(DistrictFactory)
    kind = Structure.Kind.DISTRICT_TEAM
    code = "equipe-circonscription"
    name = "Équipe de circonscription"


class RasedFactory(TeamFactory):
    kind = Structure.Kind.RASED
    code = "rased"
    name = "RASED de Lencloître"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@ac-poitiers.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    is_active = True
    password = factory.django.Password(DEMO_PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(SchoolFactory)
    role = Role.TEACHER
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timezone.timedelta(days=365))


def totp_code(secret: str, *, at_least_seconds_left: float = 2) -> str:
    """The current two-factor code of an authenticator holding ``secret`` (as a phone app shows it).

    A code is valid only during its 30-second period: like a person who sees the code about to
    change, it waits for the next one when fewer than ``at_least_seconds_left`` seconds remain, so
    that a slow machine (a browser journey under load) never sends a code that expired on the way.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if left < at_least_seconds_left:
        time.sleep(left + 0.1)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def make_member(role, structure=None, **user_fields):
    """A person holding ``role`` in ``structure`` (a school, or the right team for team roles)."""
    if structure is None:
        if role in (Role.IEN, Role.CPC, Role.SECRETARY):
            structure = TeamFactory()
        elif role == Role.RASED:
            structure = RasedFactory()
        else:
            structure = SchoolFactory()
    return MembershipFactory(role=role, structure=structure, user=UserFactory(**user_fields)).user
