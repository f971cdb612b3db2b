"""factory_boy factories for the news app."""

import datetime as dt

import factory
from django.utils import timezone

from accounts.audiences import AudienceKind
from news.models import Acknowledgement, Feed, Post, PostStatus, Registration
from tests.factories import SchoolFactory, UserFactory


class PostFactory(factory.django.DjangoModelFactory):
    """A post published an hour ago, in the pedagogical feed, addressed to the whole district."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    feed = Feed.PEDAGOGY
    title = factory.Sequence(lambda n: f"Animation pédagogique n°{n}")
    slug = factory.Sequence(lambda n: f"actualite-{n}")
    summary = "Une animation pour les enseignants de la circonscription."
    body = "<p>Rendez-vous <strong>mercredi</strong> à Lencloître.</p>"
    status = PostStatus.PUBLISHED
    author = factory.SubFactory(UserFactory)
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    audience = factory.LazyAttribute(
        lambda o: AudienceKind.DIRECTORS if o.feed == Feed.DIRECTORS else AudienceKind.DISTRICT
    )

    class Params:
        draft = factory.Trait(status=PostStatus.DRAFT, published_at=None)
        directors = factory.Trait(feed=Feed.DIRECTORS)
        projects = factory.Trait(feed=Feed.PROJECTS)

    @factory.post_generation
    def schools(self, create, extracted, **kwargs):
        if create and extracted:
            self.audience = AudienceKind.STRUCTURES
            self.save(update_fields=["audience"])
            self.audience_structures.set(extracted)


class AcknowledgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Acknowledgement

    post = factory.SubFactory(PostFactory, directors=True, requires_ack=True)
    school = factory.SubFactory(SchoolFactory)
    user = factory.SubFactory(UserFactory)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    post = factory.SubFactory(PostFactory, projects=True)
    school = factory.SubFactory(SchoolFactory)
    registered_by = factory.SubFactory(UserFactory)
    class_name = factory.Sequence(lambda n: f"CE2 n°{n}")
    level = "CE2"
    pupil_count = 24
