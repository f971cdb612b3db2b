"""Expiry: refused by the database before publication; past it, out of the feed but in the archive."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from news.models import Post

from .factories import PostFactory


@pytest.mark.django_db
def test_the_database_refuses_an_expiry_before_publication():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(
            feed="pedagogie",
            title="t",
            slug="t",
            summary="s",
            status="publie",
            published_at=now,
            expires_at=now - dt.timedelta(hours=1),
        )
    post = PostFactory(published_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=post.pk).update(expires_at=now)  # equal is refused too
    assert Post.objects.get(pk=post.pk).expires_at is None


def test_the_form_says_so_in_french_and_keeps_what_was_typed(counsellor, client_as):
    response = client_as(counsellor).post(
        reverse("news:post-create", args=["pedagogie"]),
        {
            "title": "Mon titre soigné",
            "summary": "Mon résumé",
            "body": "<p>Mon texte</p>",
            "audience_choice": "all",
            "published_at": "2026-03-10T10:00",
            "expires_at": "2026-03-09T10:00",
            "action": "publish",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "La date de retrait doit être postérieure à la date de publication." in page
    assert 'value="Mon titre soigné"' in page and "Mon résumé" in page
    assert not Post.objects.exists()


def test_past_expiry_leaves_the_feed_but_stays_in_the_archive(teacher, client_as):
    now = timezone.now()
    expired = PostFactory(
        title="Inscriptions closes", published_at=now - dt.timedelta(days=10), expires_at=now - dt.timedelta(days=1)
    )
    current = PostFactory(
        title="Toujours d’actualité", published_at=now - dt.timedelta(days=2), expires_at=now + dt.timedelta(days=5)
    )
    client = client_as(teacher)
    feed = client.get(reverse("news:feed", args=["pedagogie"])).content.decode()
    archive = client.get(reverse("news:archive", args=["pedagogie"])).content.decode()
    assert "Toujours d’actualité" in feed and "Inscriptions closes" not in feed
    assert "Inscriptions closes" in archive and "Toujours d’actualité" not in archive
    assert client.get(expired.get_absolute_url()).status_code == 200
    assert client.get(current.get_absolute_url()).status_code == 200
