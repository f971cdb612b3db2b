"""A blog's list of cards (with its pagination, archive months and tags) is drawn once and kept per
person and address (``ent.fragments.kept_for``, ``blogs.views._blog_page``), and shows every change
at once: each data it draws is under a version bumped by the rows' signals (services, admin,
factories) or by the bulk writes themselves (``selectors.blog_page_versions``)."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts import services as account_services
from accounts.audiences import AudienceKind
from accounts.imports import PersonRow
from accounts.models import Role
from accounts.services import user_update_profile
from blogs import services
from blogs.models import Blog, Comment, Post, PostImage, Tag
from ent import fragments
from ent.publication import publish_due
from privacy import services as privacy_services
from privacy.models import GuardianDecision
from tests.admin_forms import admin_form_data
from tests.conftest import signed_in_client
from tests.factories import MembershipFactory, SchoolFactory, UserFactory, make_member
from tests.privacy.conftest import grant, registry  # noqa: F401 -- the fixture, for the consent withdrawn
from tests.uploads import samples
from uploads import services as upload_services
from uploads.models import MediaFile
from uploads.tasks import process_media

from .factories import BlogFactory, CommentFactory, PostFactory, SeriesFactory, TagFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
CARD = "components/blog_post_card.html"


@pytest.fixture
def draws(monkeypatch):
    """The fragments drawn (not served kept), by template name."""
    drawn = []
    draw = fragments.draw

    def spied(request, template_name, context):
        drawn.append(template_name)
        return draw(request, template_name, context)

    monkeypatch.setattr(fragments, "draw", spied)
    return drawn


def _url(blog, *args, name="blogs:blog-detail") -> str:
    return reverse(name, args=[blog.slug, *args])


def _listing(text: str) -> str:
    """The kept part of the page: the cards, the pagination and the sidebar."""
    return text[text.index('<section id="billets"') : text.index("</aside>")]


def _header(text: str) -> str:
    """The page's header, kept too: cover, title, owner, the person's buttons, the comments waiting."""
    return text[
        text.index('<header class="fr-mb-4w">') : text.index("</header>", text.index('<header class="fr-mb-4w">'))
    ]


def _kept(client, url, draws) -> str:
    """The page drawn, then served kept (nothing drawn): the state every test changes from."""
    client.get(url)
    before = len(draws)
    text = client.get(url).text
    assert len(draws) == before, "the second request drew the list again"
    return _listing(text)


def _now(client, url) -> str:
    return _listing(client.get(url).text)


# --- Kept -----------------------------------------------------------------------------------------


def test_the_list_is_drawn_once_then_served_kept(teacher, counsellor, blog, draws):
    for number in range(3):
        post = PostFactory(blog=blog, author=counsellor, title=f"Tutoriel {number}")
        post.tags.add(TagFactory(name="Digipad"))
        CommentFactory(post=post, author=teacher)
    client, url = signed_in_client(teacher), _url(blog)

    with CaptureQueriesContext(connection) as drawn_log:
        drawn = client.get(url)
    with CaptureQueriesContext(connection) as kept_log:
        kept = client.get(url)

    assert draws == ["blogs/blog_detail.html#header", "blogs/blog_detail.html#listing"]
    assert CARD in {t.name for t in drawn.templates} and CARD not in {t.name for t in kept.templates}
    assert _listing(kept.text) == _listing(drawn.text) and "Tutoriel 2" in _listing(kept.text)
    assert _header(kept.text) == _header(drawn.text) and blog.title in _header(kept.text)
    assert len(kept_log) < len(drawn_log)
    # Neither the blog, nor its posts, nor the permissions' and the moderation's rows: only the person.
    assert not any("blogs_" in query["sql"] for query in kept_log.captured_queries)


def test_htmx_gets_the_list_alone_kept_apart_from_the_page(teacher, counsellor, blog, draws):
    PostFactory(blog=blog, author=counsellor, title="Digipad")
    client, url = signed_in_client(teacher), _url(blog)
    page = client.get(url).text
    partial = client.get(url, headers={"HX-Request": "true"}).text
    again = client.get(url, headers={"HX-Request": "true"}).text
    assert draws == ["blogs/blog_detail.html#header", "blogs/blog_detail.html#listing", "blogs/blog_detail.html#posts"]
    assert partial == again and partial.lstrip().startswith('<section id="billets"')
    assert "<header" not in partial and "Archives" not in partial and "Archives" in page


def test_the_list_is_kept_15_minutes_at_most(teacher, counsellor, blog, monkeypatch):
    """What changes with the time alone (an image processed for over two minutes polls less often)
    is right again within 15 minutes (``accounts.roles.KEPT_FOR``), and the key names the day."""
    kept = []
    cached_many = roles.versions.cached_many

    def spied(entries):
        entries = list(entries)
        kept.extend((what, timeout) for _, what, _, timeout in entries)
        return cached_many(entries)

    monkeypatch.setattr(roles.versions, "cached_many", spied)
    PostFactory(blog=blog, author=counsellor)
    signed_in_client(teacher).get(_url(blog))
    parts = {tuple(what.split(":")[1:3]): (what, timeout) for what, timeout in kept if what.startswith("html:")}
    today = timezone.localdate().isoformat()
    for part in (("blogs", "header"), ("blogs", "blog")):
        what, timeout = parts[part]
        assert timeout == roles.KEPT_FOR == 15 * 60 and what.endswith(f":{teacher.pk}:{today}")


# --- The posts ------------------------------------------------------------------------------------


def test_a_post_written_edited_unpublished_and_deleted_through_the_services(teacher, counsellor, blog, draws):
    client, url = signed_in_client(teacher), _url(blog)
    assert "Digipad" not in _kept(client, url, draws)

    post = services.post_create(
        actor=counsellor, blog=blog, title="Digipad", body="<p>Un mur collaboratif.</p>", action="publier"
    )
    assert "Digipad" in _kept(client, url, draws)

    services.post_update(
        actor=counsellor, post=post, title="Digipad en CP", body="<p>Des étiquettes mobiles.</p>", action="publier"
    )
    text = _kept(client, url, draws)
    assert "Digipad en CP" in text and "Des étiquettes mobiles." in text

    services.post_unpublish(actor=counsellor, post=post)
    assert "Digipad" not in _kept(client, url, draws)

    services.post_publish(actor=counsellor, post=Post.objects.get(pk=post.pk))
    assert "Digipad en CP" in _kept(client, url, draws)
    services.post_delete(actor=counsellor, post=Post.objects.get(pk=post.pk))
    assert "Digipad" not in _now(client, url)


def test_a_post_unpublished_in_the_admin_leaves_the_list(teacher, counsellor, admin_user, blog, draws):
    post = services.post_create(actor=counsellor, blog=blog, title="Vocaroo", body="<p>x</p>", action="publier")
    client, url = signed_in_client(teacher), _url(blog)
    assert "Vocaroo" in _kept(client, url, draws)
    signed_in_client(admin_user).post(
        reverse("admin:blogs_post_changelist"), {"action": "unpublish", "_selected_action": [post.pk]}
    )
    assert "Vocaroo" not in _now(client, url)


def test_a_scheduled_post_shows_once_published_on_schedule(teacher, counsellor, blog, draws):
    soon = timezone.now() + timedelta(hours=1)
    services.post_create(
        actor=counsellor, blog=blog, title="La semaine prochaine", body="<p>x</p>", action="programmer", publish_at=soon
    )
    client, url = signed_in_client(teacher), _url(blog)
    assert "La semaine prochaine" not in _kept(client, url, draws)
    assert publish_due(now=soon + timedelta(minutes=1)) != {}
    assert "La semaine prochaine" in _now(client, url)


def test_the_pagination_the_archive_months_and_a_month_s_page(teacher, counsellor, blog, draws):
    for day in range(1, 11):
        PostFactory(blog=blog, author=counsellor, published_at=datetime(2026, 3, day, 9, tzinfo=PARIS))
    client, url = signed_in_client(teacher), _url(blog)
    home = _kept(client, url, draws)
    assert "Page suivante" not in home and "Mars 2026" in home and "Avril 2026" not in home
    march = _url(blog, 2026, 3, name="blogs:archive")
    assert "(10)" in _kept(client, march, draws)

    PostFactory(blog=blog, author=counsellor, title="En avril", published_at=datetime(2026, 4, 2, 9, tzinfo=PARIS))
    home = _now(client, url)
    assert "Page suivante" in home and "Avril 2026" in home
    assert "En avril" not in _now(client, march)  # its own address, drawn again for the months
    assert "En avril" not in _kept(client, f"{url}?page=2", draws)


# --- Tags -----------------------------------------------------------------------------------------


def test_tags_added_renamed_and_removed_from_either_side(teacher, counsellor, admin_user, blog, draws):
    post = PostFactory(blog=blog, author=counsellor, title="Digipad")
    client, url = signed_in_client(teacher), _url(blog)
    assert "Outil magique" not in _kept(client, url, draws)

    tag = TagFactory(name="Outil magique")
    post.tags.add(tag)  # m2m_changed, the post's side
    text = _kept(client, url, draws)
    assert "Outil magique" in text and "Étiquettes" in text
    tag_url = _url(blog, tag.slug, name="blogs:tag")
    assert "Billets : Outil magique" in _kept(client, tag_url, draws)

    page = signed_in_client(admin_user).get(reverse("admin:blogs_tag_change", args=[tag.pk]))
    response = signed_in_client(admin_user).post(
        reverse("admin:blogs_tag_change", args=[tag.pk]), admin_form_data(page, name="Mur collaboratif")
    )
    assert response.status_code == 302
    assert "Mur collaboratif" in _kept(client, url, draws) and "Outil magique" not in _now(client, url)
    assert "Billets : Mur collaboratif" in _now(client, tag_url)

    Tag.objects.get(pk=tag.pk).posts.remove(post)  # m2m_changed, the tag's side
    assert "Mur collaboratif" not in _now(client, url)


# --- Comments -------------------------------------------------------------------------------------


def test_the_comments_count_follows_comments_written_moderated_and_deleted(teacher, director, counsellor, blog, draws):
    blog.comment_policy = Blog.CommentPolicy.MODERATED
    blog.save(update_fields=["comment_policy"])
    post = PostFactory(blog=blog, author=counsellor, title="Digipad")
    client, url = signed_in_client(director), _url(blog)
    assert "commentaire" not in _kept(client, url, draws)

    waiting = services.comment_create(actor=teacher, post=post, body="Merci !")
    assert waiting.is_pending and "commentaire" not in _kept(client, url, draws)
    services.comment_moderate(actor=counsellor, comment=waiting, decision="approuver")
    assert "1 commentaire" in _kept(client, url, draws)

    other = services.comment_create(actor=counsellor, post=post, body="Avec plaisir.")  # a moderator: at once
    assert "2 commentaires" in _kept(client, url, draws)
    services.comment_moderate(actor=counsellor, comment=other, decision="retirer")
    text = _kept(client, url, draws)
    assert "1 commentaire" in text and "2 commentaires" not in text

    services.comment_delete(actor=teacher, comment=Comment.objects.get(pk=waiting.pk))
    assert "commentaire" not in _now(client, url)


# --- Authors --------------------------------------------------------------------------------------


def test_an_author_renamed_through_the_service_or_the_admin_or_deleted(teacher, admin_user, blog, draws):
    author = make_member(Role.CPC, first_name="Adrien", last_name="Numérique")
    PostFactory(blog=blog, author=author, title="Digipad")
    client, url = signed_in_client(teacher), _url(blog)
    assert "par Adrien Numérique" in _kept(client, url, draws)

    user_update_profile(user=author, first_name="Adrienne", last_name="Numérique")
    assert "par Adrienne Numérique" in _kept(client, url, draws)

    change = reverse("admin:accounts_user_change", args=[author.pk])
    page = signed_in_client(admin_user).get(change)
    response = signed_in_client(admin_user).post(change, admin_form_data(page, last_name="Pédagogie"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "par Adrienne Pédagogie" in _kept(client, url, draws)

    row = PersonRow(
        email=author.email,
        first_name="Adrienne",
        last_name="Importée",
        structure_id=author.memberships.get().structure_id,
        role=Role.CPC,
    )
    account_services.people_import(actor=admin_user, rows=[row])  # bulk_update: no signal
    assert "par Adrienne Importée" in _kept(client, url, draws)

    author.delete()  # the post stays, without its author (SET_NULL: no signal of the post)
    text = _now(client, url)
    assert "Digipad" in text and "Importée" not in text


def test_a_login_does_not_draw_the_blogs_again(teacher, counsellor, blog, draws):
    PostFactory(blog=blog, author=counsellor)
    client, url = signed_in_client(teacher), _url(blog)
    _kept(client, url, draws)
    drawn = len(draws)
    signed_in_client(counsellor)  # logs in: last_login saved
    counsellor.last_login = timezone.now()
    counsellor.save(update_fields=["last_login"])
    client.get(url)
    assert len(draws) == drawn


# --- Images and their media -----------------------------------------------------------------------


def _image(post, actor, django_capture_on_commit_callbacks, *, process=True, file=None) -> MediaFile:
    with django_capture_on_commit_callbacks(execute=process):
        image = services.post_add_image(
            actor=actor,
            post=post,
            file=file or samples.jpeg_upload("qr.jpg"),
            alt_text="Un QR code collé sur un album",
            no_identifiable_pupil=False,
        )
    return MediaFile.objects.get(pk=image.media_id)


def test_an_image_processing_refused_processed_again_and_removed(
    teacher, counsellor, blog, draws, django_capture_on_commit_callbacks
):
    post = PostFactory(blog=blog, author=counsellor, title="Digicode")
    client, url = signed_in_client(teacher), _url(blog)
    assert "ent-media" not in _kept(client, url, draws)

    media = _image(post, counsellor, django_capture_on_commit_callbacks, process=False)
    assert "Image en cours de traitement" in _kept(client, url, draws)

    upload_services.media_record_failure(media_id=media.pk, reason="Panne du traitement.", keep_original=True)
    assert "Image refusée : Panne du traitement." in _kept(client, url, draws)

    with django_capture_on_commit_callbacks(execute=False):
        upload_services.media_reprocess(media=MediaFile.objects.get(pk=media.pk), actor=counsellor)  # the admin's
    assert "Image en cours de traitement" in _kept(client, url, draws)

    process_media(media.pk)
    text = _kept(client, url, draws)
    assert 'alt="Un QR code collé sur un album"' in text and "en cours de traitement" not in text

    upload_services.media_set_alt_text(media=MediaFile.objects.get(pk=media.pk), alt_text="Un QR code et un album")
    assert 'alt="Un QR code et un album"' in _kept(client, url, draws)

    services.post_remove_image(actor=counsellor, image=PostImage.objects.get(post=post))
    assert "ent-media" not in _now(client, url)


def test_the_first_image_follows_the_order_given_in_the_admin(
    teacher, counsellor, blog, draws, django_capture_on_commit_callbacks
):
    """A card shows its post's first image (``PostImage.position``, changed by the admin's inline)."""
    post = PostFactory(blog=blog, author=counsellor, title="Digicode")
    first = _image(post, counsellor, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_add_image(
            actor=counsellor, post=post, file=samples.jpeg_upload("b.jpg"), alt_text="Un album ouvert"
        )
    client, url = signed_in_client(teacher), _url(blog)
    text = _kept(client, url, draws)
    assert first.alt_text in text and "Un album ouvert" not in text

    moved = PostImage.objects.get(media=first)
    moved.position = 2  # after the other (1)
    moved.save(update_fields=["position"])
    assert "Un album ouvert" in _now(client, url)


def test_an_unreadable_image_is_refused(teacher, counsellor, blog, draws, django_capture_on_commit_callbacks):
    post = PostFactory(blog=blog, author=counsellor, title="Digicode")
    client, url = signed_in_client(teacher), _url(blog)
    media = _image(post, counsellor, django_capture_on_commit_callbacks, process=False, file=_truncated())
    assert "Image en cours de traitement" in _kept(client, url, draws)
    process_media(media.pk)
    assert "Image refusée : Cette image est illisible" in _now(client, url)


def _truncated():
    data = samples.image_bytes("JPEG", size=(600, 400))
    return samples.upload("coupée.jpg", data[: len(data) // 2])


def test_an_image_withheld_when_a_consent_is_withdrawn_then_released(
    registry,  # noqa: F811 -- the fixture imported above
    teacher,
    director,
    counsellor,
    blog,
    draws,
    django_capture_on_commit_callbacks,
):
    post = PostFactory(blog=blog, author=counsellor, title="La sortie")
    media = _image(post, counsellor, django_capture_on_commit_callbacks)
    privacy_services.media_declare(actor=counsellor, media=media, pupils=[registry["elodie"]])
    grant(director, registry["request"], registry["elodie"])
    client, url = signed_in_client(teacher), _url(blog)
    assert 'alt="Un QR code collé sur un album"' in _kept(client, url, draws)

    decision = GuardianDecision.objects.get(pupil=registry["elodie"], guardian=1)
    privacy_services.decision_withdraw(actor=director, decision=decision)  # media_withhold: QuerySet.update
    text = _kept(client, url, draws)
    assert "Image retirée : l’autorisation pour Élodie M. a été retirée." in text and "<picture>" not in text

    upload_services.media_release(media_ids=[media.pk])
    assert "Image retirée" not in _now(client, url)


def test_only_the_uploader_sees_the_link_to_declare_the_pupils(
    teacher, counsellor, blog, draws, django_capture_on_commit_callbacks
):
    post = PostFactory(blog=blog, author=counsellor, title="Digicode")
    _image(post, counsellor, django_capture_on_commit_callbacks)
    link = "Élèves visibles ou entendus sur cette photo"
    uploader, reader, url = signed_in_client(counsellor), signed_in_client(teacher), _url(blog)
    assert link in _kept(uploader, url, draws)
    assert link not in _kept(reader, url, draws)
    assert link in _kept(uploader, url, draws)
    assert f"?next={url}" in _now(uploader, url)
    assert f"?next={url}%3Fpage%3D1" in _now(uploader, f"{url}?page=1")  # the address's own


# --- Who looks: per person -------------------------------------------------------------------------


def test_each_person_gets_their_own_list_and_a_new_contributor_theirs_at_once(
    teacher, director, counsellor, blog, draws
):
    first = "Écrivez le premier avec « Écrire un billet »"
    contributor, reader, url = signed_in_client(counsellor), signed_in_client(teacher), _url(blog)
    assert first in _kept(contributor, url, draws)
    assert first not in _kept(reader, url, draws)

    blog.contributor_users.add(teacher)  # m2m_changed, the blog's side
    assert first in _kept(reader, url, draws)
    teacher.contributed_blogs.remove(blog)  # the person's side
    assert first not in _kept(reader, url, draws)
    teacher.contributed_blogs.add(blog)
    assert first in _kept(reader, url, draws)
    teacher.contributed_blogs.clear()  # post_clear does not say which blogs
    assert first not in _kept(reader, url, draws)

    writers = SchoolFactory(name="École des écrivains")
    blog.contributor_structures.add(writers)
    assert first not in _kept(reader, url, draws)
    MembershipFactory(user=teacher, structure=writers, role=Role.TEACHER)  # the person's memberships' version
    assert first in _now(reader, url)


def test_the_blog_s_settings_are_shown_at_once(teacher, counsellor, director, blog, draws):
    PostFactory(blog=blog, author=counsellor)
    client, url = signed_in_client(teacher), _url(blog)
    assert "flux Atom" not in _kept(client, url, draws)
    services.blog_update(actor=counsellor, blog=Blog.objects.get(pk=blog.pk), is_public=True)
    assert "flux Atom" in _now(client, url)


def test_signed_out_and_signed_in_readers_of_a_public_blog_have_their_own_list(
    public_blog, public_post, teacher, draws
):
    signed_in = "Les nouveaux billets vous sont aussi signalés"
    anonymous, reader, url = signed_in_client(), signed_in_client(teacher), _url(public_blog)
    assert signed_in not in _kept(anonymous, url, draws)
    assert signed_in in _kept(reader, url, draws)
    assert signed_in not in _now(anonymous, url)


# --- A series' weeks -------------------------------------------------------------------------------


def _week_labels(text: str) -> list[str]:
    return re.findall(r"Semaine \d+ — [^<]+", text)


def test_a_series_weeks_follow_its_start_and_the_holidays(teacher, counsellor, draws):
    from timeline.models import SchoolHoliday

    series = SeriesFactory(series_start=date(2026, 1, 5), contributors=[counsellor])
    PostFactory(
        blog=series,
        author=counsellor,
        week_start=date(2026, 1, 19),
        published_at=datetime(2026, 1, 19, 8, tzinfo=PARIS),
    )
    client, url = signed_in_client(teacher), _url(series)
    assert _week_labels(_kept(client, url, draws)) == ["Semaine 3 — du 19 au 23 janvier"]

    SchoolHoliday.objects.create(
        zone="A", name="Vacances de test", start=date(2026, 1, 12), end=date(2026, 1, 17), school_year="2025-2026"
    )
    assert _week_labels(_kept(client, url, draws)) == ["Semaine 2 — du 19 au 23 janvier"]

    services.blog_update(actor=counsellor, blog=Blog.objects.get(pk=series.pk), series_start=date(2026, 1, 19))
    assert _week_labels(_now(client, url)) == ["Semaine 1 — du 19 au 23 janvier"]


# --- The token ------------------------------------------------------------------------------------


def test_a_form_of_a_kept_page_posts_with_the_request_s_own_token(teacher, counsellor, blog, post, draws):
    """The list holds no form; the page's forms (sign out, a comment from its post) post with the
    token of the request that served the kept list."""
    client = signed_in_client(teacher, enforce_csrf_checks=True)
    url = _url(blog)
    _kept(client, url, draws)
    text = client.get(url).text
    assert fragments.CSRF_PLACEHOLDER not in text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
    response = client.post(
        reverse("blogs:comment-create", args=[blog.slug, post.pk]), {"body": "Merci", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


# --- Blog-held media of other blogs, and media of other apps ---------------------------------------


def test_another_blog_s_changes_leave_this_list_kept(teacher, counsellor, blog, draws):
    PostFactory(blog=blog, author=counsellor)
    other = BlogFactory(contributors=[counsellor])
    client, url = signed_in_client(teacher), _url(blog)
    _kept(client, url, draws)
    drawn = len(draws)
    post = PostFactory(blog=other, author=counsellor)
    CommentFactory(post=post, author=teacher)
    UserFactory()  # a new account names no author yet
    client.get(url)
    # The list stays kept; the header is drawn again (« Modération (n en attente) » follows every
    # blog's comments: blogs:comments).
    assert draws[drawn:] == ["blogs/blog_detail.html#header"]


# --- The header -------------------------------------------------------------------------------------


def _kept_header(client, url, draws) -> str:
    """The header drawn, then served kept (nothing drawn, nothing of the blog read again)."""
    client.get(url)
    before = len(draws)
    with CaptureQueriesContext(connection) as queries:
        text = client.get(url).text
    assert len(draws) == before, "the second request drew the page again"
    assert not any("blogs_" in query["sql"] for query in queries.captured_queries)
    return _header(text)


def test_the_comments_waiting_for_moderation_are_counted_at_once(teacher, director, counsellor, blog, draws):
    """Written, approved, reported (a CommentReport), kept (« conserver »: a QuerySet.update of
    the reports) and removed: the contributor's « Modération (n en attente) » follows each."""
    blog.comment_policy = Blog.CommentPolicy.MODERATED
    blog.save(update_fields=["comment_policy"])
    post = PostFactory(blog=blog, author=counsellor)
    moderator, url = signed_in_client(counsellor), _url(blog)
    assert "en attente" not in _kept_header(moderator, url, draws)

    waiting = services.comment_create(actor=teacher, post=post, body="Merci !")
    assert "Modération (1 en attente)" in _kept_header(moderator, url, draws)
    services.comment_moderate(actor=counsellor, comment=waiting, decision="approuver")
    assert "en attente" not in _kept_header(moderator, url, draws)

    services.comment_report(actor=director, comment=Comment.objects.get(pk=waiting.pk), reason="Hors sujet")
    assert "Modération (1 en attente)" in _kept_header(moderator, url, draws)
    services.comment_moderate(actor=counsellor, comment=Comment.objects.get(pk=waiting.pk), decision="conserver")
    assert "en attente" not in _kept_header(moderator, url, draws)

    services.comment_report(actor=director, comment=Comment.objects.get(pk=waiting.pk), reason="Encore")
    assert "Modération (1 en attente)" in _kept_header(moderator, url, draws)
    services.comment_moderate(actor=counsellor, comment=Comment.objects.get(pk=waiting.pk), decision="retirer")
    assert "en attente" not in _kept_header(moderator, url, draws)
    assert "Modération" not in _kept_header(signed_in_client(teacher), url, draws)  # a reader has no buttons


def test_the_blog_renamed_and_its_school_renamed_show_at_once(teacher, counsellor, school, draws):
    blog = BlogFactory(
        title="Le blog de l’école",
        owner_kind=Blog.OwnerKind.SCHOOL,
        audience=AudienceKind.TEACHERS,
        contributors=[counsellor],
    )
    blog.owner_structures.set([school])
    client, url = signed_in_client(teacher), _url(blog)
    header = _kept_header(client, url, draws)
    assert "Le blog de l’école" in header and school.name in header

    services.blog_update(
        actor=counsellor, blog=Blog.objects.get(pk=blog.pk), title="Nos projets", description="Ce que font les CM2."
    )
    header = _kept_header(client, url, draws)
    assert "Nos projets" in header and "Ce que font les CM2." in header and "Le blog de l’école" not in header

    school.name = "École Jules-Ferry"
    school.save()  # the admin's, an import's
    assert "École Jules-Ferry" in _kept_header(client, url, draws)


def test_the_cover_sent_processed_and_described_shows_at_once(
    teacher, counsellor, blog, draws, django_capture_on_commit_callbacks
):
    client, url = signed_in_client(teacher), _url(blog)
    assert "ent-media" not in _kept_header(client, url, draws)

    with django_capture_on_commit_callbacks(execute=False):
        services.blog_update(
            actor=counsellor,
            blog=Blog.objects.get(pk=blog.pk),
            cover_file=samples.jpeg_upload("couverture.jpg"),
            cover_alt="Des élèves devant un écran",
        )
    assert "Image en cours de traitement" in _kept_header(client, url, draws)

    cover = Blog.objects.get(pk=blog.pk).cover
    process_media(cover.pk)  # the worker saves the media, not the blog
    header = _kept_header(client, url, draws)
    assert 'alt="Des élèves devant un écran"' in header and "en cours de traitement" not in header

    upload_services.media_set_alt_text(media=MediaFile.objects.get(pk=cover.pk), alt_text="La classe numérique")
    assert 'alt="La classe numérique"' in _kept_header(client, url, draws)


def test_the_cover_withheld_when_a_consent_is_withdrawn_shows_at_once(
    registry,  # noqa: F811 -- the fixture imported above
    teacher,
    director,
    counsellor,
    blog,
    draws,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.blog_update(
            actor=counsellor,
            blog=Blog.objects.get(pk=blog.pk),
            cover_file=samples.jpeg_upload("couverture.jpg"),
            cover_alt="La classe de CM2",
        )
    cover = Blog.objects.get(pk=blog.pk).cover
    privacy_services.media_declare(actor=counsellor, media=cover, pupils=[registry["elodie"]])
    grant(director, registry["request"], registry["elodie"])
    client, url = signed_in_client(teacher), _url(blog)
    assert 'alt="La classe de CM2"' in _kept_header(client, url, draws)

    decision = GuardianDecision.objects.get(pupil=registry["elodie"], guardian=1)
    privacy_services.decision_withdraw(actor=director, decision=decision)  # media_withhold: QuerySet.update
    header = _kept_header(client, url, draws)
    assert "Image retirée" in header and "<picture>" not in header
