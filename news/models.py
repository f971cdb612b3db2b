"""News posts in three feeds, who read them, acknowledgements of reading and class registrations.

A post lives in one feed (:class:`Feed`). The feed decides who may read at all (the directors'
feed is closed to teachers); the post's audience (:class:`~accounts.audiences.AudienceFields`)
may narrow it to some schools. Its status follows two workflows:

* the district team writes: brouillon → (programmé →) publié → archivé;
* a director or a teacher proposes: brouillon → soumis → publié, or → renvoyé (with a comment)
  → soumis again.

A post is *live* while it is published, its publication time has come and its expiry has not;
past its expiry it leaves the feed but stays in the archive.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from accounts.audiences import AudienceFields
from accounts.models import PrivateLinkKey, Structure
from ent.predicates import Predicate, where
from ent.publication import PublicationStatus, Publishable, PublishableQuerySet
from ent.richtext import RichTextField


class Feed(models.TextChoices):
    """The three feeds. The value is the feed's URL slug."""

    PEDAGOGY = "pedagogie", "Actualités pédagogiques"
    PROJECTS = "projets", "Propositions de projets"
    DIRECTORS = "directeurs", "Informations aux directeurs"


FEED_DESCRIPTIONS = {
    Feed.PEDAGOGY: "Animations pédagogiques, ressources et informations pour toute la circonscription.",
    Feed.PROJECTS: "Projets proposés aux écoles de la circonscription : inscrivez vos classes.",
    Feed.DIRECTORS: "Informations destinées aux directrices et directeurs d’école.",
}


class PostStatus(models.TextChoices):
    """The shared publication statuses (ent.publication) and the proposal workflow's."""

    DRAFT = PublicationStatus.DRAFT.value, "Brouillon"
    SUBMITTED = "soumis", "Soumis à validation"
    RETURNED = "renvoye", "Renvoyé à son auteur"
    SCHEDULED = PublicationStatus.SCHEDULED.value, "Programmé"
    PUBLISHED = PublicationStatus.PUBLISHED.value, "Publié"
    ARCHIVED = "archive", "Archivé"


def once_published(now=None) -> Predicate:
    """Published at some point, whether still in the feed, expired or archived (the one definition)."""
    return where(status__in=[PostStatus.PUBLISHED, PostStatus.ARCHIVED], published_at__lte=now or timezone.now())


class PostQuerySet(PublishableQuerySet):
    def once_published(self, now=None):
        """Published at some point, whether still in the feed, expired or archived."""
        return self.filter(once_published(now).q())

    def live(self, now=None):
        """In the feed now: published, its time has come, not expired."""
        now = now or timezone.now()
        return self.filter(status=PostStatus.PUBLISHED, published_at__lte=now).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )

    def archived(self, now=None):
        """Out of the feed but kept: expired, or archived by the district team."""
        now = now or timezone.now()
        return self.once_published(now).filter(Q(status=PostStatus.ARCHIVED) | Q(expires_at__lte=now))


class Post(Publishable, AudienceFields):
    """A post; ``status`` and ``published_at`` come from :class:`~ent.publication.Publishable`:
    a scheduled post is published by the shared beat task through ``services.post_publish_scheduled``."""

    feed = models.CharField("fil", max_length=20, choices=Feed.choices)
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("identifiant", max_length=220, unique=True)
    summary = models.CharField(
        "résumé", max_length=300, help_text="Une ou deux phrases, affichées dans la liste et dans les notifications."
    )
    body = RichTextField("texte", heading_levels=(2, 3, 4), blank=True)
    status = models.CharField("état", max_length=20, choices=PostStatus.choices, default=PostStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="news_posts",
        verbose_name="auteur·rice",
    )
    expires_at = models.DateTimeField(
        "retrait du fil le",
        null=True,
        blank=True,
        help_text="Facultatif : passé cette date, l’actualité quitte le fil mais reste dans les archives.",
    )
    pinned = models.BooleanField("à la une", default=False, help_text="Affichée en tête du fil.")
    requires_ack = models.BooleanField(
        "accusé de lecture demandé",
        default=False,
        help_text="Chaque directeur ou directrice confirme avoir pris connaissance de l’information.",
    )
    ack_due_date = models.DateField("à confirmer avant le", null=True, blank=True)
    last_reminded_at = models.DateTimeField("dernière relance le", null=True, blank=True, editable=False)
    registration_closes_at = models.DateTimeField(
        "inscriptions ouvertes jusqu’au",
        null=True,
        blank=True,
        help_text="Pour un projet : les classes peuvent s’inscrire jusqu’à cette date.",
    )
    review_comment = models.TextField("commentaire de la relecture", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="relu par",
    )
    cover = models.ForeignKey(
        "uploads.MediaFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="image de couverture",
    )
    created_at = models.DateTimeField("créé le", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = "actualité"
        verbose_name_plural = "actualités"
        ordering = ["-pinned", "-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(expires_at__gt=F("published_at")),
                name="news_post_expires_after_publication",
                violation_error_message="La date de retrait doit suivre la date de publication.",
            ),
            models.CheckConstraint(
                condition=Q(requires_ack=False) | Q(feed="directeurs"),
                name="news_post_ack_only_for_directors",
                violation_error_message="Seules les informations aux directeurs demandent un accusé de lecture.",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True) | Q(feed="projets"),
                name="news_post_registrations_only_for_projects",
                violation_error_message="Seules les propositions de projets ouvrent des inscriptions.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["programme", "publie", "archive"]) | Q(published_at__isnull=False),
                name="news_post_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["feed", "status", "-published_at"], name="news_post_feed_idx"),
            models.Index(fields=["status", "published_at"], name="news_post_due_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:post-detail", args=[self.pk])

    @property
    def excerpt(self) -> str:
        return self.summary or Truncator(strip_tags(self.body)).words(40)

    @property
    def feed_label(self) -> str:
        return Feed(self.feed).label

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == PostStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    def is_archived(self, now=None) -> bool:
        now = now or timezone.now()
        return once_published(now).check(self) and (
            self.status == PostStatus.ARCHIVED or (self.expires_at is not None and self.expires_at <= now)
        )

    def registrations_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.registration_closes_at is not None and self.registration_closes_at > now and self.is_live(now)


class NewsAction(models.TextChoices):
    """What the audit trail records about a post (``audit.services.record``): who, when, what changed."""

    CREATED = "news.post.created", "Création"
    UPDATED = "news.post.updated", "Modification"
    ANNOUNCED_AGAIN = "news.post.announced_again", "Modification, annoncée à nouveau"
    SCHEDULED = "news.post.scheduled", "Programmée"
    PUBLISHED = "news.post.published", "Publication"
    PUBLISHED_ON_SCHEDULE = "news.post.published_on_schedule", "Publication programmée"
    SUBMITTED = "news.post.submitted", "Proposition soumise à validation"
    RETURNED = "news.post.returned", "Renvoyée à son auteur"
    ARCHIVED = "news.post.archived", "Archivage"
    DELETED = "news.post.deleted", "Suppression"


#: The version (``ent.versions``) of the posts, their audiences and acknowledgements, and of their
#: covers' and attachments' files (processed, deleted): what is kept per person from them (Accueil's
#: panels, a feed's filter and cards) is read again after any change (``apps.py`` follows them).
NEWS_VERSION = "news"


def reads_version(user_id: int) -> str:
    """The version of the posts this person opened (bumped by ``services.post_mark_read``)."""
    return f"news:reads:{user_id}"


class PostRead(models.Model):
    """This person opened this post (for « Nouveau »)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="news_reads")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "lecture"
        verbose_name_plural = "lectures"
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="news_read_once")]

    def __str__(self):
        return f"{self.user} a lu {self.post}"


class Acknowledgement(models.Model):
    """A school's director confirmed having read a post ("J’ai pris connaissance")."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="acknowledgements", verbose_name="actualité")
    school = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="+", verbose_name="école")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="confirmé par",
    )
    acknowledged_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "accusé de lecture"
        verbose_name_plural = "accusés de lecture"
        ordering = ["-acknowledged_at"]
        constraints = [models.UniqueConstraint(fields=["post", "school"], name="news_ack_once_per_school")]

    def __str__(self):
        return f"{self.school} — {self.post}"


class Level(models.TextChoices):
    PS = "PS", "Petite section (PS)"
    MS = "MS", "Moyenne section (MS)"
    GS = "GS", "Grande section (GS)"
    CP = "CP", "CP"
    CE1 = "CE1", "CE1"
    CE2 = "CE2", "CE2"
    CM1 = "CM1", "CM1"
    CM2 = "CM2", "CM2"
    MULTI = "multi", "Classe à plusieurs niveaux"


class Registration(models.Model):
    """A class taking part in a project (« Mon école participe »)."""

    MAX_PUPILS = 40

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="registrations", verbose_name="projet")
    school = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="+", verbose_name="école")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="news_registrations",
        verbose_name="inscrite par",
    )
    class_name = models.CharField("nom de la classe", max_length=100, help_text="Par exemple « CE2 de Mme Martin ».")
    level = models.CharField("niveau", max_length=10, choices=Level.choices)
    pupil_count = models.PositiveSmallIntegerField("nombre d’élèves")
    comment = models.TextField("commentaire", max_length=1000, blank=True)
    created_at = models.DateTimeField("inscrite le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "inscription de classe"
        verbose_name_plural = "inscriptions de classes"
        ordering = ["school__name", "class_name"]
        constraints = [
            models.UniqueConstraint(fields=["post", "registered_by"], name="news_registration_once_per_person"),
            models.CheckConstraint(
                condition=Q(pupil_count__gte=1) & Q(pupil_count__lte=40), name="news_registration_pupil_count"
            ),
        ]

    def __str__(self):
        return f"{self.class_name} ({self.school})"


class FeedToken(PrivateLinkKey):
    """A person's private key for the Atom feeds. Regenerating it revokes the old links."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="news_feed_token")

    class Meta:
        verbose_name = "lien de flux Atom"
        verbose_name_plural = "liens de flux Atom"

    def __str__(self):
        return f"Flux Atom de {self.user}"
