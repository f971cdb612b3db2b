"""Atom feeds behind a private, revocable key."""

from xml.etree import ElementTree

from django.urls import reverse

from news.models import FeedToken

from .factories import PostFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_reads_in_a_feed_reader_and_dies_when_regenerated(teacher, client, client_as):
    PostFactory(title="Animation <maths>", body="<p>Le <strong>texte</strong></p>")
    page = client_as(teacher).get(reverse("news:feed-links"))
    assert page.status_code == 200
    key = FeedToken.objects.get(user=teacher).key
    url = reverse("news:atom", args=[key, "pedagogie"])
    assert url in page.content.decode()

    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    tree = ElementTree.fromstring(response.content)  # noqa: S314 - our own response, not untrusted input
    entry = tree.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Animation <maths>"
    assert "<strong>texte</strong>" in entry.find(f"{ATOM}content").text

    client_as(teacher).post(reverse("news:feed-links-regenerate"))
    client.logout()
    assert client.get(url).status_code == 404
    new_key = FeedToken.objects.get(user=teacher).key
    assert new_key != key
    assert client.get(reverse("news:atom", args=[new_key, "pedagogie"])).status_code == 200


def test_atom_respects_what_the_person_may_read(teacher, director, client):
    PostFactory(directors=True, title="Note aux directeurs")
    teacher_key = FeedToken.objects.create(user=teacher).key
    director_key = FeedToken.objects.create(user=director).key
    assert client.get(reverse("news:atom", args=[teacher_key, "directeurs"])).status_code == 404
    response = client.get(reverse("news:atom", args=[director_key, "directeurs"]))
    assert response.status_code == 200 and b"Note aux directeurs" in response.content
    assert client.get(reverse("news:atom", args=["cle-inconnue", "pedagogie"])).status_code == 404


def test_a_deactivated_account_feed_is_gone(teacher, client):
    key = FeedToken.objects.create(user=teacher).key
    teacher.is_active = False
    teacher.save()
    assert client.get(reverse("news:atom", args=[key, "pedagogie"])).status_code == 404


def test_the_summary_is_sent_as_text_never_as_live_markup(teacher, client):
    PostFactory(title="Piège", summary="<img src=x onerror=alert(1)> & la suite")
    key = FeedToken.objects.create(user=teacher).key

    response = client.get(reverse("news:atom", args=[key, "pedagogie"]))

    assert response.status_code == 200
    assert b"<img" not in response.content
    tree = ElementTree.fromstring(response.content)  # noqa: S314 - our own response, not untrusted input
    summary = tree.find(f"{ATOM}entry").find(f"{ATOM}summary")
    # A feed reader shows a type="text" summary as characters: the tag is never markup.
    assert summary.get("type") == "text"
    assert summary.text == "<img src=x onerror=alert(1)> & la suite"
