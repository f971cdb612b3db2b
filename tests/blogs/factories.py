"""factory_boy factories of the blogs."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from accounts.audiences import AudienceKind
from blogs.models import Blog, Comment, Post, Tag
from tests.factories import UserFactory


class BlogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Blog
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Blog n°{n}")
    slug = factory.Sequence(lambda n: f"blog-{n}")
    description = "Un blog de la circonscription."
    owner_kind = Blog.OwnerKind.DISTRICT
    audience = AudienceKind.DISTRICT
    comment_policy = Blog.CommentPolicy.IMMEDIATE

    @factory.post_generation
    def contributors(self, create, extracted, **kwargs):
        if create and extracted:
            self.contributor_users.set(extracted)


class SeriesFactory(BlogFactory):
    title = "L’outil numérique de la semaine"
    slug = "outil-numerique"
    is_weekly_series = True
    series_start = date(2026, 8, 31)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("kind", "name")

    kind = Tag.Kind.TOOL
    name = factory.Sequence(lambda n: f"Outil {n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    blog = factory.SubFactory(BlogFactory)
    title = factory.Sequence(lambda n: f"Billet n°{n}")
    body = "<p>Un court tutoriel, pour une lecture rapide et aisée.</p>"
    status = Post.Status.PUBLISHED
    published_at = factory.Sequence(lambda n: timezone.now() - timedelta(days=1, minutes=n))
    author = factory.SubFactory(UserFactory)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    body = "Merci pour ce tutoriel !"
    status = Comment.Status.PUBLISHED
