"""The demo data: a school year of posts, idempotent."""

import io

import pytest

from accounts.models import Role
from news import demo
from news.models import Acknowledgement, Feed, Post, PostStatus, Registration
from tests.factories import TeamFactory, make_member


class Command:
    def __init__(self):
        self.stdout = io.StringIO()


@pytest.mark.slow
def test_seed_is_idempotent_and_realistic(make_schools, db):
    team = TeamFactory()
    for email, role in (
        ("ien@demo.ent.fr", Role.IEN),
        ("cpc.numerique@demo.ent.fr", Role.CPC),
        ("cpc.eps@demo.ent.fr", Role.CPC),
        ("cpc.maitrise-langue@demo.ent.fr", Role.CPC),
    ):
        make_member(role, team, email=email)
    schools = make_schools(59, teachers_per_school=1)
    make_member(Role.DIRECTOR, schools[0], email="directeur@demo.ent.fr")
    make_member(Role.TEACHER, schools[0], email="enseignant@demo.ent.fr")

    demo.seed(Command())
    counts = (Post.objects.count(), Acknowledgement.objects.count(), Registration.objects.count())
    demo.seed(Command())
    assert (Post.objects.count(), Acknowledgement.objects.count(), Registration.objects.count()) == counts

    assert set(Post.objects.values_list("feed", flat=True)) == set(Feed.values)
    assert Post.objects.filter(title="Exposition Maths et Mesure semaine 3 : école élémentaire de Mirebeau").exists()
    ppms = Post.objects.get(slug="exercices-ppms-premier-trimestre")
    assert ppms.requires_ack and 0 < ppms.acknowledgements.count() < 59
    olympic = Post.objects.get(slug="semaine-olympique-et-paralympique")
    assert olympic.registrations_open() and olympic.registrations.exists()
    assert Post.objects.filter(status=PostStatus.SCHEDULED).exists()
    assert Post.objects.filter(status=PostStatus.SUBMITTED).exists()
    assert Post.objects.archived().exists()


def test_seed_without_demo_accounts_does_nothing(db):
    command = Command()
    demo.seed(command)
    assert not Post.objects.exists()
    assert "rien n’est créé" in command.stdout.getvalue()
