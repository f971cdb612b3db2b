"""The demo data: idempotent, complete, and right whatever the month it is loaded."""

import io

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import Membership, Structure, User

pytestmark = pytest.mark.django_db

NAMED = [
    "admin@demo.ent.fr",
    "ien@demo.ent.fr",
    "cpc.numerique@demo.ent.fr",
    "directeur@demo.ent.fr",
    "enseignant@demo.ent.fr",
    "rased@demo.ent.fr",
]


def _seed(settings):
    settings.DEBUG = True
    from accounts import demo

    demo.seed(type("Command", (), {"stdout": io.StringIO()})())


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["2026-11-29 10:00 +0100", "2027-03-15 10:00 +0100"])
def test_demo_accounts_are_complete_and_current_whatever_the_month(settings, moment):
    with time_machine.travel(moment, tick=False):
        _seed(settings)
        _seed(settings)  # idempotent
        assert Structure.objects.schools().count() == 59
        assert 230 <= User.objects.count() <= 270
        # Not yet activated, like imported people: no password, so activation sends an invitation.
        waiting = User.objects.filter(is_active=False)
        assert waiting.exists()
        assert not any(user.has_usable_password() for user in waiting)
        for email in NAMED[1:]:
            assert Membership.objects.current().filter(user__email=email).exists(), email
        director = User.objects.get(email="directeur@demo.ent.fr")
        teacher = User.objects.get(email="enseignant@demo.ent.fr")
        school = Structure.objects.get(memberships__user=director)
        assert school.commune == "Mirebeau"
        assert school.school_type == Structure.SchoolType.ELEMENTAIRE
        assert Membership.objects.current().filter(user=teacher, structure=school).exists()
    assert User.objects.get(email="admin@demo.ent.fr").is_superuser
    assert User.objects.get(email="ien@demo.ent.fr").check_password("ent-demo-2026")


def test_seed_demo_refuses_to_run_in_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=false"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()
