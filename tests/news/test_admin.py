"""The news admin never shows a person's secret Atom key."""

import pytest
from django.urls import reverse

from news.models import FeedToken

pytestmark = pytest.mark.django_db


def test_the_admin_hides_the_atom_key(client_as, admin_user, teacher):
    token = FeedToken.objects.create(user=teacher)
    client = client_as(admin_user)

    listing = client.get(reverse("admin:news_feedtoken_changelist"))
    change = client.get(reverse("admin:news_feedtoken_change", args=[token.pk]))

    assert listing.status_code == change.status_code == 200
    assert teacher.get_full_name() in listing.content.decode() or teacher.email in listing.content.decode()
    assert token.key not in listing.content.decode()
    assert token.key not in change.content.decode()
