"""Every publisher of photos and recordings, walked: refused without consent, published with it.

``SCENARIOS`` must name every key of ``privacy.publishers``: a publisher registered without a
scenario here fails ``test_every_publisher_is_walked``.
"""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from blogs import services as blog_services
from blogs.models import Blog
from mail.services import compose
from news import services as news_services
from news.models import PostStatus
from notebooks import services as notebook_services
from privacy import publishers, services
from privacy.models import Channel, ConsentRequest, Medium
from tests.blogs.factories import BlogFactory
from tests.blogs.factories import PostFactory as BlogPostFactory
from tests.factories import MessageFactory, NotebookBlockFactory, NotebookFactory, NotebookPageFactory
from tests.news.factories import PostFactory as NewsPostFactory
from tests.uploads import samples
from uploads.models import MediaFile
from uploads.services import media_upload

from .conftest import grant

pytestmark = pytest.mark.django_db


def _image(actor, holder):
    return media_upload(
        file=samples.jpeg_upload("classe.jpg"),
        kind=MediaFile.Kind.IMAGE,
        uploaded_by=actor,
        alt_text="La classe",
        holder=holder,
    )


def news_publish(actor, reach_channel):
    post = NewsPostFactory(draft=True, author=actor)
    return _image(actor, post), Channel.ENT, lambda: news_services.post_publish(actor=actor, post=post)


def news_scheduled(actor, reach_channel):
    post = NewsPostFactory(author=actor, status=PostStatus.SCHEDULED, published_at=timezone.now())
    return _image(actor, post), Channel.ENT, lambda: news_services.post_publish_scheduled(post=post)


def _blog_post(actor, *, public=False, status="brouillon"):
    blog = BlogFactory(is_public=public)
    post = BlogPostFactory(
        blog=blog, author=actor, status=status, published_at=timezone.now() if status != "brouillon" else None
    )
    image = blog_services.post_add_image(
        actor=actor, post=post, file=samples.jpeg_upload("classe.jpg"), alt_text="La classe"
    )
    return blog, post, image.media


def blog_write(actor, reach_channel):
    blog, post, media = _blog_post(actor, public=True)
    return (
        media,
        Channel.PUBLIC,
        lambda: blog_services.post_update(
            actor=actor, post=post, title=post.title, body="<p>Texte</p>", action="publier"
        ),
    )


def blog_publish(actor, reach_channel):
    blog, post, media = _blog_post(actor)
    return media, Channel.ENT, lambda: blog_services.post_publish(actor=actor, post=post)


def blog_scheduled(actor, reach_channel):
    blog, post, media = _blog_post(actor, status="programme")
    return media, Channel.ENT, lambda: blog_services.post_publish_scheduled(post=post)


def blog_public(actor, reach_channel):
    blog, post, media = _blog_post(actor, status="publie")
    return (
        media,
        Channel.PUBLIC,
        lambda: blog_services.blog_update(actor=actor, blog=Blog.objects.get(pk=blog.pk), is_public=True),
    )


def _page(actor):
    notebook = NotebookFactory()
    page = NotebookPageFactory(notebook=notebook, author=actor, status="proposee")
    media = _image(actor, page)
    NotebookBlockFactory(page=page, kind="image", media=media, body="")
    return notebook, page, media


def page_publish(actor, reach_channel):
    notebook, page, media = _page(actor)
    return media, Channel.ENT, lambda: notebook_services.page_publish(actor=actor, page=page)


def book_export(actor, reach_channel):
    notebook, page, media = _page(actor)
    return (
        media,
        Channel.BOOK,
        lambda: (
            notebook_services._publish(actor=actor, page=page, notify_authors=False)
            if not page.editions.exists()
            else None,
            notebook_services.book_export_request(actor=actor, notebook=notebook, format="pdf"),
        ),
    )


def mail_send(actor, reach_channel):
    message = MessageFactory(sender=actor, status="brouillon", published_at=None, subject="Photos de la sortie")
    message.addressing = {"to": ["team"], "cc": [], "bcc": []}
    message.save()
    media = _image(actor, message)
    return media, Channel.ENT, lambda: compose.message_send(actor=actor, message=message, send_key=uuid.uuid4())


SCENARIOS = {
    "news.post_publish": news_publish,
    "news.post_publish_scheduled": news_scheduled,
    "blogs.post_write": blog_write,
    "blogs.post_publish": blog_publish,
    "blogs.post_publish_scheduled": blog_scheduled,
    "blogs.blog_make_public": blog_public,
    "notebooks.page_publish": page_publish,
    "notebooks.book_export": book_export,
    "mail.message_send": mail_send,
}


def test_every_publisher_is_walked():
    assert {p.key for p in publishers.all_publishers()} == set(SCENARIOS)


def _consent(director, school, channel):
    return services.request_create(
        actor=director,
        school=school,
        data=services.RequestInput(
            title="La vie de l’école",
            project=ConsentRequest.Project.SCHOOL_LIFE,
            media=[Medium.IMAGE, Medium.VOICE],
            channels=[channel],
            form_version="2026-1",
            valid_until=timezone.localdate() + dt.timedelta(days=100),
        ),
    )


@pytest.mark.parametrize("key", sorted(SCENARIOS))
def test_publication_is_refused_without_consent_and_allowed_with_it(key, counsellor, director, school, registry):
    media, reach, publish = SCENARIOS[key](counsellor, None)
    # Undeclared: refused, saying what to do.
    with pytest.raises(ValidationError) as error:
        publish()
    assert "indiquez les élèves visibles ou entendus" in " ".join(error.value.messages)
    services.media_declare(actor=counsellor, media=media, pupils=[registry["elodie"]])
    # Declared, without consent for that reach: refused, naming the pupil and what is missing.
    with pytest.raises(ValidationError) as error:
        publish()
    message = " ".join(error.value.messages)
    assert "Élodie M. (CM1)" in message and "pas d’autorisation d’image" in message
    # Consent for another reach does not do.
    other = Channel.BOOK if reach != Channel.BOOK else Channel.ENT
    grant(director, _consent(director, school, other), registry["elodie"])
    with pytest.raises(ValidationError):
        publish()
    # With both guardians' consent for that reach: published.
    grant(director, _consent(director, school, reach), registry["elodie"])
    publish()


def test_aucun_eleve_reconnaissable_publishes_without_consent(counsellor, registry):
    media, reach, publish = news_publish(counsellor, None)
    services.media_declare(actor=counsellor, media=media, no_identifiable_pupil=True)
    publish()
