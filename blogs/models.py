"""Blogs: the weekly tutorial series « L’outil numérique de la semaine » and project blogs.

A :class:`Blog` belongs to the district, a school or a project between schools; its contributors
(people or whole structures) write :class:`Post` s, its readers are an audience. A post is a draft,
scheduled or published; scheduled posts are published by the shared ``ent.publish_due`` task
(:mod:`ent.publication`).
"""

import functools
import html
import math
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify

from accounts.audiences import AudienceFields
from accounts.models import PrivateLinkKey, Structure
from ent.dates import format_day
from ent.publication import PublicationStatus, Publishable, PublishableQuerySet
from ent.richtext import RichTextField
from ent.text import french_sort_key

WORDS_PER_MINUTE = 200

_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def plain_text(body_html: str) -> str:
    """The text of a sanitised HTML body, without tags or entities (blocks separated by a space).
    Remembered per process for the last bodies seen: a blog's page writes 20 excerpts."""
    text = html.unescape(strip_tags(_BLOCK_END.sub(" ", body_html or "")))
    return " ".join(text.split())


def reading_minutes(body_html: str) -> int:
    words = len(re.findall(r"\w+", plain_text(body_html)))
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


class Blog(AudienceFields):
    """A blog: its owner, its contributors, its readers (the audience) and its rules."""

    class OwnerKind(models.TextChoices):
        DISTRICT = "circonscription", "La circonscription"
        SCHOOL = "ecole", "Une école"
        PROJECT = "projet", "Un projet entre écoles"

    class CommentPolicy(models.TextChoices):
        NONE = "aucun", "Pas de commentaires"
        IMMEDIATE = "immediat", "Commentaires publiés aussitôt"
        MODERATED = "modere", "Commentaires publiés après validation d’un·e contributeur·rice"

    title = models.CharField("titre", max_length=150)
    slug = models.SlugField(
        "adresse", max_length=80, unique=True, help_text="La fin de l’adresse du blog, ex. « outil-numerique »."
    )
    description = models.TextField("présentation", max_length=1000, blank=True)
    cover = models.ForeignKey(
        "uploads.MediaFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="image de couverture",
    )
    owner_kind = models.CharField("blog de", max_length=20, choices=OwnerKind.choices, default=OwnerKind.DISTRICT)
    owner_structures = models.ManyToManyField(
        Structure,
        blank=True,
        related_name="+",
        verbose_name="écoles",
        help_text="L’école du blog, ou les écoles du projet.",
    )
    contributor_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="contributed_blogs", verbose_name="contributeur·rices"
    )
    contributor_structures = models.ManyToManyField(
        Structure,
        blank=True,
        related_name="+",
        verbose_name="structures contributrices",
        help_text="Tous les membres de ces écoles ou équipes peuvent écrire dans le blog.",
    )
    comment_policy = models.CharField(
        "commentaires", max_length=20, choices=CommentPolicy.choices, default=CommentPolicy.MODERATED
    )
    is_public = models.BooleanField(
        "blog public",
        default=False,
        help_text="Lisible sans se connecter, par exemple par les familles : ses images deviennent publiques aussi.",
    )
    is_weekly_series = models.BooleanField(
        "série hebdomadaire", default=False, help_text="Un billet par semaine d’école, numéroté."
    )
    series_start = models.DateField(
        "début de la série", null=True, blank=True, help_text="La semaine de cette date est la semaine 1."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "blog"
        verbose_name_plural = "blogs"
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_weekly_series=False) | Q(series_start__isnull=False),
                name="blogs_series_has_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("blogs:blog-detail", args=[self.slug])

    @property
    def allows_comments(self) -> bool:
        return self.comment_policy != self.CommentPolicy.NONE

    @property
    def is_moderated(self) -> bool:
        return self.comment_policy == self.CommentPolicy.MODERATED

    def owner_label(self) -> str:
        """« Circonscription », the school's name, or « Projet : A, B et C » (uses owner_structures)."""
        if self.owner_kind == self.OwnerKind.DISTRICT:
            return "Blog de la circonscription"
        names = [s.name for s in self.owner_structures.all()]
        if self.owner_kind == self.OwnerKind.SCHOOL:
            return names[0] if names else "Blog d’école"
        if len(names) > 1:
            return "Projet entre " + ", ".join(names[:-1]) + " et " + names[-1]
        return "Projet entre écoles"


class Tag(models.Model):
    """What a post is about: the tool, the cycle, the discipline."""

    class Kind(models.TextChoices):
        TOOL = "outil", "Outil"
        CYCLE = "cycle", "Cycle"
        DISCIPLINE = "discipline", "Discipline"

    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.TOOL)
    name = models.CharField("nom", max_length=60)
    slug = models.SlugField("adresse", max_length=80, unique=True)
    sort_name = models.CharField(max_length=60, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = "étiquette"
        verbose_name_plural = "étiquettes"
        ordering = ["kind", "sort_name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="blogs_tag_unique_name_per_kind")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.slug_for(self.kind, self.name)
        self.sort_name = french_sort_key(self.name)[:60]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_name"}
        super().save(*args, **kwargs)

    @staticmethod
    def slug_for(kind: str, name: str) -> str:
        """The address a tag of this kind and name gets: « outil-digipad ».

        Names that differ only by punctuation share it (« Zz! », « Zz? »): look a tag up by this,
        not by its name. A name without a letter or digit (« 🎨 ») is spelled by its code points
        (« outil-u1f3a8 »), so that each emoji has its own address.
        """
        words = slugify(name)
        if not words:
            words = "-".join(f"u{ord(c):x}" for c in name if not c.isspace() and c not in "\ufe0f\u200d")
        return slugify(f"{kind}-{words}")[:80]


class PostQuerySet(PublishableQuerySet):
    def published(self):
        return self.filter(status=Post.Status.PUBLISHED)

    def in_preparation(self):
        return self.filter(status__in=[Post.Status.DRAFT, Post.Status.SCHEDULED])


class Post(Publishable):
    """A post: a draft, scheduled for a date and time, or published (``status`` and ``published_at``
    come from :class:`~ent.publication.Publishable`; ``published_at`` is the planned or actual time)."""

    Status = PublicationStatus

    blog = models.ForeignKey(Blog, on_delete=models.CASCADE, related_name="posts", verbose_name="blog")
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("adresse", max_length=200, blank=True)
    body = RichTextField("texte", blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts", verbose_name="étiquettes")
    week_start = models.DateField(
        "semaine", null=True, blank=True, help_text="Le lundi de la semaine du tutoriel (séries hebdomadaires)."
    )
    reading_minutes = models.PositiveSmallIntegerField("temps de lecture (minutes)", default=1, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blog_posts",
        verbose_name="auteur·rice",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = "billet"
        verbose_name_plural = "billets"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["blog", "week_start"],
                condition=Q(week_start__isnull=False),
                name="blogs_one_post_per_week",
            ),
            models.CheckConstraint(
                condition=Q(status="brouillon") | Q(published_at__isnull=False),
                name="blogs_post_scheduled_or_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["blog", "status", "-published_at"]),
            models.Index(fields=["status", "published_at"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The body is sanitised by its field on the way in; the reading time counts what is kept.
        self.reading_minutes = reading_minutes(self.body.html)
        self.slug = slugify(self.title)[:200] or "billet"
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"body", "title"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "body", "reading_minutes", "slug"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blogs:post-detail", args=[self.blog.slug, self.pk, self.slug or "billet"])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def reading_label(self) -> str:
        return f"Lecture : {self.reading_minutes} min"

    def excerpt(self, words: int = 40) -> str:
        return Truncator(plain_text(self.body)).words(words, truncate="…")


class PostImage(models.Model):
    """An image of a post, processed by the uploads pipeline; its alternative text is on the media."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images", verbose_name="billet")
    media = models.OneToOneField("uploads.MediaFile", on_delete=models.CASCADE, related_name="+", verbose_name="image")
    caption = models.CharField("légende", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "image de billet"
        verbose_name_plural = "images de billets"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.caption or f"Image {self.pk} de « {self.post} »"


class Comment(models.Model):
    """A reader's comment: plain text, published at once or after a contributor's approval."""

    class Status(models.TextChoices):
        PENDING = "en_attente", "En attente de validation"
        PUBLISHED = "publie", "Publié"
        REMOVED = "retire", "Retiré"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments", verbose_name="billet")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blog_comments", verbose_name="auteur·rice"
    )
    body = models.TextField("commentaire", max_length=2000)
    status = models.CharField("état", max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField("écrit le", auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField("modéré le", null=True, blank=True)

    class Meta:
        verbose_name = "commentaire"
        verbose_name_plural = "commentaires"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["post", "status", "created_at"])]

    def __str__(self):
        return Truncator(self.body).chars(60)

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#commentaire-{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class CommentReport(models.Model):
    """Someone reports a comment; a contributor decides to keep or remove it."""

    class Decision(models.TextChoices):
        KEEP = "conserve", "Conservé"
        REMOVE = "retire", "Retiré"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports", verbose_name="commentaire")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="signalé par"
    )
    reason = models.CharField("raison", max_length=300, blank=True)
    created_at = models.DateTimeField("signalé le", auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField("traité le", null=True, blank=True)
    decision = models.CharField("décision", max_length=20, choices=Decision.choices, blank=True)

    class Meta:
        verbose_name = "signalement"
        verbose_name_plural = "signalements"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="blogs_one_report_per_person"),
        ]

    def __str__(self):
        return f"Signalement de {self.reporter} (le {format_day(self.created_at, with_weekday=False)})"


class FeedToken(PrivateLinkKey):
    """A person's private key to the Atom feeds of the blogs they may read; renewing it revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blog_feed_token", verbose_name="personne"
    )

    class Meta:
        verbose_name = "clé de flux"
        verbose_name_plural = "clés de flux"

    def __str__(self):
        return f"Clé de flux de {self.user}"


class BlogsAction(models.TextChoices):
    """What the audit trail records in the blogs (``audit.services.record``): who, when, what changed."""

    BLOG_CREATED = "blogs.blog.created", "Création du blog"
    BLOG_UPDATED = "blogs.blog.updated", "Modification du blog"
    BLOG_DELETED = "blogs.blog.deleted", "Suppression du blog"
    POST_CREATED = "blogs.post.created", "Création du billet"
    POST_UPDATED = "blogs.post.updated", "Modification du billet"
    POST_SCHEDULED = "blogs.post.scheduled", "Publication programmée du billet"
    POST_PUBLISHED = "blogs.post.published", "Publication du billet"
    POST_PUBLISHED_ON_SCHEDULE = "blogs.post.published_on_schedule", "Publication du billet, à la date programmée"
    POST_UNPUBLISHED = "blogs.post.unpublished", "Billet remis en brouillon"
    POST_DELETED = "blogs.post.deleted", "Suppression du billet"
    COMMENT_APPROVED = "blogs.comment.approved", "Commentaire publié après modération"
    COMMENT_KEPT = "blogs.comment.kept", "Commentaire signalé, conservé"
    COMMENT_REMOVED = "blogs.comment.removed", "Commentaire retiré"
    COMMENT_DELETED = "blogs.comment.deleted", "Commentaire supprimé"
