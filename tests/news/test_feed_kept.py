"""A feed's filter and page of cards are kept as HTML per person and address (``ent.fragments``,
``news.views._feed_page``), and show every change at once: each datum they draw is under a version
its writes bump (the posts', the authors' names, the person's reads, their memberships)."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import Role
from accounts.services import user_update_profile
from ent import fragments, publication, versions
from news import selectors, services
from news.models import NEWS_VERSION, Post, PostStatus
from tests.factories import MembershipFactory, SchoolFactory, make_member
from tests.uploads import samples
from uploads.models import MediaFile
from uploads.services import media_delete, media_upload

from .factories import PostFactory

pytestmark = pytest.mark.django_db

FEED = reverse("news:feed", args=["pedagogie"])
ARCHIVE = reverse("news:archive", args=["pedagogie"])


def _get(client, url=FEED, data=None, **headers) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as log:
        response = client.get(url, data, **headers)
    assert response.status_code == 200
    return response.content.decode(), len(log)


def _results(text: str) -> str:
    """The list of cards (and its count and pagination)."""
    return text[text.index('<div id="resultats"') :]


def _filter(text: str) -> str:
    return text[text.index('aria-label="Filtrer les actualités"') :].split("</form>")[0]


def _count(text: str) -> int:
    return int(re.search(r"(\d+) actualités?</p>", text).group(1))


def _input(title: str, **fields) -> services.PostInput:
    return services.PostInput(title=title, summary=fields.pop("summary", "Pour toute la circonscription."), **fields)


@pytest.fixture
def drawn(monkeypatch):
    """The HTML drawn (not read back) by ``ent.fragments``, in order."""
    seen = []
    draw = fragments.draw

    def spied(request, template_name, context):
        html = draw(request, template_name, context)
        seen.append(html)
        return html

    monkeypatch.setattr(fragments, "draw", spied)
    return seen


def test_the_list_is_drawn_once_then_read_back(teacher, counsellor, client_as, drawn, monkeypatch):
    PostFactory.create_batch(3, author=counsellor)
    asked = []
    feed_posts = selectors.feed_posts
    monkeypatch.setattr(selectors, "feed_posts", lambda **kwargs: asked.append(kwargs) or feed_posts(**kwargs))
    client = client_as(teacher)
    first, cold = _get(client)
    second, warm = _get(client)
    assert (len(drawn), len(asked)) == (1, 1)  # the second answer neither queried the posts nor drew them
    assert warm < cold and _results(first) == _results(second) and _count(second) == 3


@pytest.mark.parametrize("url", [FEED, ARCHIVE], ids=["feed", "archive"])
def test_the_first_drawing_and_the_kept_copy_cost_the_same_with_ten_times_the_posts(
    teacher, counsellor, client_as, url
):
    """The query pins of ``test_reading.py`` count the kept copy (the person's query only). The first
    drawing after a post changed (``NEWS_VERSION`` bumped) is pinned here, at N and 10×N posts:
    the person, the filter's months and authors, the list's count and its page."""
    client = client_as(teacher)
    status = PostStatus.ARCHIVED if url == ARCHIVE else PostStatus.PUBLISHED
    counts, shown = [], []
    for batch in (5, 45):
        PostFactory.create_batch(batch, author=counsellor, status=status)
        _get(client, url)  # the per-process caches (content types…)
        versions.bump(NEWS_VERSION)
        text, cold = _get(client, url)
        again, warm = _get(client, url)
        assert _results(again) == _results(text)
        counts.append((cold, warm))
        shown.append((_count(text), _results(text).count("news-post-card ")))
    assert shown == [(5, 5), (50, 10)]
    assert counts == [(5, 1), (5, 1)]


def test_a_post_published_edited_then_archived_through_the_services(teacher, counsellor, client_as):
    client = client_as(teacher)
    assert _count(_get(client)[0]) == 0
    _get(client, ARCHIVE)
    post = services.post_create(actor=counsellor, feed="pedagogie", data=_input("Sortie au musée"))
    assert "Sortie au musée" not in _get(client)[0]  # a draft
    services.post_publish(actor=counsellor, post=post)
    assert "Sortie au musée" in _results(_get(client)[0])

    services.post_update(
        actor=counsellor, post=post, data=_input("Sortie au château", summary="Le car part à 8 h.", pinned=True)
    )
    text = _results(_get(client)[0])
    assert "Sortie au château" in text and "Le car part à 8 h." in text and "À la une" in text

    services.post_archive(actor=counsellor, post=post)
    assert _count(_get(client)[0]) == 0
    assert "Sortie au château" in _results(_get(client, ARCHIVE)[0])


def test_a_change_in_the_admin_shows_at_once(teacher, counsellor, admin_user, client_as):
    from tests.admin_forms import admin_form_data

    post = PostFactory(title="Titre d’origine", author=counsellor)
    assert "Titre d’origine" in _get(client_as(teacher))[0]
    admin = client_as(admin_user)
    url = reverse("admin:news_post_change", args=[post.pk])
    assert admin.post(url, admin_form_data(admin.get(url), title="Titre corrigé")).status_code == 302
    assert "Titre corrigé" in _results(_get(client_as(teacher))[0])


def test_a_scheduled_post_shows_once_the_beat_task_publishes_it(teacher, counsellor, client_as):
    at = timezone.now() + dt.timedelta(minutes=5)  # within the copy's 15 minutes: a bump shows it
    post = services.post_create(actor=counsellor, feed="pedagogie", data=_input("Conférence programmée"))
    services.post_update(actor=counsellor, post=post, data=_input("Conférence programmée", published_at=at))
    services.post_publish(actor=counsellor, post=post)
    assert Post.objects.get().status == PostStatus.SCHEDULED
    client = client_as(teacher)
    assert "Conférence programmée" not in _get(client)[0]
    publication.publish_due(now=at + dt.timedelta(minutes=1))
    with time_machine.travel(at + dt.timedelta(minutes=2)):
        assert "Conférence programmée" in _results(_get(client)[0])


def test_a_post_addressed_to_another_school_leaves_the_feed(teacher, counsellor, client_as):
    post = PostFactory(title="Pour Mirebeau", author=counsellor, schools=[teacher.memberships.get().structure])
    other = SchoolFactory()
    client = client_as(teacher)
    assert "Pour Mirebeau" in _get(client)[0]
    post.audience_structures.set([other])  # m2m_changed only: the post's row is not saved
    assert _count(_get(client)[0]) == 0


def test_new_goes_once_opened_for_that_person_only(teacher, director, counsellor, client_as):
    post = PostFactory(title="À lire", author=counsellor)
    for person in (teacher, director):
        assert ">Nouveau</p>" in _results(_get(client_as(person))[0])
    assert client_as(teacher).get(post.get_absolute_url()).status_code == 200  # services.post_mark_read
    assert ">Nouveau</p>" not in _results(_get(client_as(teacher))[0])
    assert ">Nouveau</p>" in _results(_get(client_as(director))[0])


def test_an_author_renamed_or_deleted_shows_at_once_on_the_cards_and_in_the_filter(teacher, counsellor, client_as):
    PostFactory(author=counsellor)
    client = client_as(teacher)
    _get(client)
    text, warm = _get(client)
    assert "Adrian Conseiller" in _results(text) and "Adrian Conseiller" in _filter(text)

    counsellor.last_login = timezone.now()
    counsellor.save(update_fields=["last_login"])  # signing in renames no one: still kept
    assert _get(client)[1] == warm

    user_update_profile(user=counsellor, first_name="Adrien", last_name="Conseil")
    text = _get(client)[0]
    assert "Adrien Conseil" in _results(text) and "Adrien Conseil" in _filter(text)

    counsellor.first_name = "Adrienne"
    counsellor.save()  # as the admin and an anonymised account save
    text = _get(client)[0]
    assert "Adrienne Conseil" in _results(text) and "Adrienne Conseil" in _filter(text)

    counsellor.delete()  # the post stays, its author set to null (an update: no signal of Post)
    text = _get(client)[0]
    assert "Conseil" not in _results(text) and "Conseil" not in _filter(text)


def test_a_cover_shows_once_processed_and_goes_once_deleted(
    teacher, counsellor, client_as, django_capture_on_commit_callbacks
):
    post = PostFactory(title="Avec une image", author=counsellor)
    with django_capture_on_commit_callbacks() as processing:  # the processing waits for the commit
        cover = media_upload(
            file=samples.jpeg_upload("cour.jpg"), kind="image", uploaded_by=counsellor, alt_text="La cour", holder=post
        )
    post.cover = cover
    post.save(update_fields=["cover"])
    client = client_as(teacher)
    assert "fr-card__img" not in _results(_get(client)[0])  # not processed yet
    for callback in processing:
        callback()
    assert MediaFile.objects.get().status == MediaFile.Status.READY
    thumb = reverse("uploads:serve", args=[cover.public_id, "thumb-jpeg"])
    assert thumb in _results(_get(client)[0])

    media_delete(media=MediaFile.objects.get())  # the post's cover set to null by an update
    assert Post.objects.get().cover_id is None
    assert "fr-card__img" not in _results(_get(client)[0])


def test_each_person_sees_their_own_feed_and_a_new_membership_at_once(teacher, counsellor, client_as):
    school = teacher.memberships.get().structure
    PostFactory(title="Pour l’école de Mirebeau", author=counsellor, schools=[school])
    elsewhere = make_member(Role.TEACHER, SchoolFactory(), first_name="Eva", last_name="Ailleurs")
    assert "Pour l’école de Mirebeau" in _get(client_as(teacher))[0]
    assert "Pour l’école de Mirebeau" not in _get(client_as(elsewhere))[0]  # not the teacher's copy
    assert "Pour l’école de Mirebeau" in _get(client_as(teacher))[0]

    MembershipFactory(user=elsewhere, structure=school, role=Role.TEACHER)  # people_changed
    assert "Pour l’école de Mirebeau" in _results(_get(client_as(elsewhere))[0])


def test_a_post_expired_leaves_the_feed_within_the_delay(teacher, counsellor, client_as, kept_timeouts):
    """No write follows an expiry: the list is kept 15 minutes at most (``KEPT_FOR``, the cache's own
    timeout: a real Redis does not follow the tests' clock) and per day (the key names the day)."""
    PostFactory(title="Dernier jour", author=counsellor, expires_at=timezone.now() + dt.timedelta(hours=2))
    client = client_as(teacher)
    assert "Dernier jour" in _get(client)[0]
    assert kept_timeouts.of("html", "news", "feed") == {roles.KEPT_FOR} and roles.KEPT_FOR == 15 * 60
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):  # expired, and another day: another key
        assert "Dernier jour" not in _get(client)[0]
        assert "Dernier jour" in _get(client, ARCHIVE)[0]


def test_each_address_is_its_own_copy_and_htmx_gets_the_list_alone(teacher, counsellor, inspector, client_as):
    PostFactory.create_batch(11, author=counsellor)
    PostFactory(title="Par l’inspectrice", author=inspector)
    client = client_as(teacher)
    assert _count(_get(client)[0]) == 12
    second = _results(_get(client, FEED, {"page": 2})[0])
    assert second.count("news-post-card ") == 2 and 'aria-current="page" title="Page 2"' in second
    mine = _get(client, FEED, {"auteur": inspector.pk})[0]
    assert _count(mine) == 1 and "Par l’inspectrice" in _results(mine)
    assert f'value="{inspector.pk}" selected' in _filter(mine)

    htmx = _get(client, FEED, {"auteur": inspector.pk}, HTTP_HX_REQUEST="true")[0]
    assert htmx.lstrip().startswith('<div id="resultats"') and "Par l’inspectrice" in htmx
    assert "<form" not in htmx
    page = _get(client, FEED, {"auteur": inspector.pk})[0]  # the full page is not the htmx answer
    assert "<form" in page and "<html" in page


def test_a_filter_s_error_is_drawn_every_time_and_never_kept(teacher, counsellor, client_as, drawn):
    PostFactory(author=counsellor)
    client = client_as(teacher)
    for _ in range(2):
        text = _get(client, FEED, {"mois": "n’importe quoi"})[0]
        assert "Sélectionnez un choix valide" in _filter(text) and _count(text) == 1
    assert drawn and not any("Sélectionnez un choix valide" in html for html in drawn)


def test_the_kept_list_holds_no_token_and_the_page_s_forms_still_post(teacher, counsellor, client_as, drawn):
    """The kept part has no form that posts (its filter is a GET): no token is kept in it. The
    page's own form (signing out, in the frame) carries the request's token on a kept copy too."""
    from django.test import Client

    PostFactory(author=counsellor)
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    for _ in range(2):
        text = client.get(FEED).content.decode()
    assert len(drawn) == 1 and 'method="post"' not in drawn[0] and fragments.CSRF_PLACEHOLDER not in drawn[0]
    form = text[text.index('action="' + reverse("account_logout")) :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token}).status_code == 302
