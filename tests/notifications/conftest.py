"""Test-only notification kinds, registered like an app would in its AppConfig.ready()."""

import pytest

from accounts.models import User
from notifications.kinds import Frequency, register

# Two apps, so that digests and the preferences page have groups to show.
register(
    "tests.directors_info",
    label="Information aux directeurs (test)",
    app_label="tests_direction",
    app_name="Direction (test)",
    default_frequency=Frequency.IMMEDIATE,
)
register(
    "tests.news",
    label="Nouvelle actualité (test)",
    app_label="tests_news",
    app_name="Actualités (test)",
    default_frequency=Frequency.DAILY,
)
register(
    "tests.comment",
    label="Nouveau commentaire (test)",
    app_label="tests_news",
    app_name="Actualités (test)",
    default_frequency=Frequency.DAILY,
)
register(
    "tests.blog",
    label="Nouvel article de blog (test)",
    app_label="tests_blogs",
    app_name="Blogs (test)",
    default_frequency=Frequency.WEEKLY,
)

IMMEDIATE_KIND = "tests.directors_info"
DAILY_KIND = "tests.news"
WEEKLY_KIND = "tests.blog"


@pytest.fixture
def make_people(db):
    """``make_people(n)``: n active people, created with one bulk INSERT."""

    def make(n, prefix="p"):
        users = [
            User(email=f"n{i}@{prefix}.ecole.test", first_name=f"Prénom{i}", last_name=f"Nom{i}", is_active=True)
            for i in range(n)
        ]
        User.objects.bulk_create(users, batch_size=500)
        return User.objects.filter(email__endswith=f"@{prefix}.ecole.test").order_by("pk")

    return make
