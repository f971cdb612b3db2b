"""Cahiers multimédias: shared notebooks whose pages, written by teachers of many schools, make a common book.

A :class:`Notebook` is read by an audience (:class:`~accounts.audiences.AudienceFields`) and written
by its contributors (people, whole structures, or every teacher of its readers); its managers are
its creator, the district team, and a school's director for the notebook of their school. A
:class:`Page` holds ordered :class:`Block` s (rich text, an image, a recording with its transcript).
Validating a page (or saving it, in a notebook whose pages are published at once) keeps a frozen
copy, a :class:`PageEdition`: readers read those copies, and the common book is made of them
(:class:`BookExport`). A :class:`PageLock` says who is editing a page.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.audiences import AudienceFields
from accounts.models import Structure
from ent import versions
from ent.richtext import RichTextField

LOCK_MINUTES = 10


#: The version (``ent.versions``) of the notebooks, their audiences and contributors: Accueil's
#: « Cahiers multimédias ouverts », kept per person, is read again after any change (``apps.py``).
NOTEBOOKS_VERSION = "notebooks"


def page_version(page_id: int) -> str:
    """The version of one page as its page shows it (``views.page_detail_view``): the page, its
    authors, blocks, frozen copies, lock, and the media it holds (:func:`pages_changed`)."""
    return f"notebooks:page:{page_id}"


def pages_changed(page_ids) -> None:
    """These pages changed: what is kept of them is drawn again. Called by the signals of the
    pages, their authors, blocks, copies, locks and media (``apps.py``), and by the services' writes
    that send none (the lock's upsert, ``QuerySet.update``)."""
    ids = sorted({int(pk) for pk in page_ids if pk is not None})
    if ids:
        versions.bump(*(page_version(pk) for pk in ids))


class Notebook(AudienceFields):
    """A shared notebook: its theme, its readers (the audience), its contributors and its rules."""

    class Colour(models.TextChoices):
        # DSFR illustrative colour names (badges, backgrounds): never the only way something is told.
        BLUE = "blue-ecume", "Bleu écume"
        GREEN = "green-emeraude", "Vert émeraude"
        PURPLE = "purple-glycine", "Violet glycine"
        ORANGE = "orange-terre-battue", "Orange terre battue"
        PINK = "pink-tuile", "Rose tuile"
        YELLOW = "yellow-tournesol", "Jaune tournesol"

    class Policy(models.TextChoices):
        IMMEDIATE = "immediate", "Les pages sont publiées dès leur enregistrement"
        VALIDATED = "validee", "Les pages sont validées d’abord par les responsables du cahier"

    title = models.CharField("titre", max_length=150)
    subtitle = models.CharField("sous-titre", max_length=200, blank=True)
    slug = models.SlugField("adresse", max_length=80, unique=True)
    theme = models.CharField("thème", max_length=150, blank=True, help_text="Par exemple « Laïcité », « Sciences ».")
    cover = models.ForeignKey(
        "uploads.MediaFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="image de couverture",
    )
    colour = models.CharField("couleur", max_length=30, choices=Colour.choices, default=Colour.BLUE)
    presentation = RichTextField("présentation", blank=True)
    school = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="école",
        help_text="Le cahier d’une école : son directeur ou sa directrice le gère.",
    )
    contributor_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="contributed_notebooks", verbose_name="contributeur·rices"
    )
    contributor_structures = models.ManyToManyField(
        Structure,
        blank=True,
        related_name="+",
        verbose_name="structures contributrices",
        help_text="Tous les membres de ces écoles ou équipes peuvent ajouter des pages.",
    )
    teachers_of_readers_contribute = models.BooleanField(
        "tous les enseignant·es des lecteurs contribuent",
        default=False,
        help_text="Chaque enseignant·e à qui le cahier est ouvert peut y ajouter des pages.",
    )
    opens_on = models.DateField("ouvert aux contributions le")
    closes_on = models.DateField("fermé aux contributions le")
    policy = models.CharField("publication des pages", max_length=20, choices=Policy.choices, default=Policy.VALIDATED)
    school_pages_editable = models.BooleanField(
        "les contributeur·rices modifient les pages de leur école",
        default=False,
        help_text="Sinon, chacun·e ne modifie que ses propres pages.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "cahier multimédia"
        verbose_name_plural = "cahiers multimédias"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="notebooks_closes_after_opens"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notebooks:notebook-detail", args=[self.slug])

    @property
    def is_validated(self) -> bool:
        return self.policy == self.Policy.VALIDATED

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_edition__isnull=False)


class Page(models.Model):
    """A page of a notebook, written by a class of a school; readers read its latest frozen copy."""

    class Status(models.TextChoices):
        DRAFT = "brouillon", "Brouillon"
        PROPOSED = "proposee", "Proposée"
        PUBLISHED = "publiee", "Publiée"
        RETURNED = "renvoyee", "Renvoyée"

    notebook = models.ForeignKey(Notebook, on_delete=models.CASCADE, related_name="pages", verbose_name="cahier")
    title = models.CharField("titre", max_length=200)
    position = models.PositiveIntegerField("ordre", default=0)
    school = models.ForeignKey(
        Structure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="école"
    )
    class_label = models.CharField("classe", max_length=60, blank=True, help_text="Par exemple « CE1 », « CP-CE1 ».")
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="notebook_pages", verbose_name="auteur·rices"
    )
    status = models.CharField("état", max_length=20, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField("commentaire de la relecture", max_length=2000, blank=True)
    version = models.PositiveIntegerField("version", default=1, help_text="Augmente à chaque enregistrement.")
    published_edition = models.ForeignKey(
        "PageEdition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="copie publiée",
    )
    proposal = models.JSONField("contenu proposé", default=dict, blank=True, editable=False)
    previous_proposal = models.JSONField(
        "contenu de la proposition précédente", default=dict, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    proposed_at = models.DateTimeField("proposée le", null=True, blank=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = "page"
        verbose_name_plural = "pages"
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["notebook", "status"]), models.Index(fields=["notebook", "position"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notebooks:page-detail", args=[self.notebook.slug, self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def credit(self) -> str:
        """« École élémentaire Jean Raffarin, CE1 de Mme X » (authors prefetched)."""
        parts = [self.school.name] if self.school_id else []
        names = ", ".join(a.get_full_name() for a in self.authors.all())
        klass = self.class_label
        if klass and names:
            parts.append(f"{klass} de {names}")
        elif klass or names:
            parts.append(klass or names)
        return ", ".join(parts)


class Block(models.Model):
    """One block of a page: rich text, an image (alt text on the media) or a recording and its transcript."""

    class Kind(models.TextChoices):
        TEXT = "texte", "Texte"
        IMAGE = "image", "Image"
        AUDIO = "audio", "Enregistrement"

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="blocks", verbose_name="page")
    position = models.PositiveIntegerField("ordre", default=0)
    kind = models.CharField("type", max_length=10, choices=Kind.choices, default=Kind.TEXT)
    body = RichTextField("texte", blank=True)
    media = models.ForeignKey(
        "uploads.MediaFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="fichier"
    )
    caption = models.CharField("légende", max_length=200, blank=True)
    transcript = models.TextField("transcription", max_length=5000, blank=True)

    class Meta:
        verbose_name = "bloc"
        verbose_name_plural = "blocs"
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.position + 1} de « {self.page} »"


class PageLock(models.Model):
    """Who is editing a page, until when: one row per page, taken by one statement (see services)."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, primary_key=True, related_name="lock")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    taken_at = models.DateTimeField("pris le")
    expires_at = models.DateTimeField("expire le")

    class Meta:
        verbose_name = "verrou de page"
        verbose_name_plural = "verrous de pages"

    def __str__(self):
        return f"« {self.page} » en cours de modification par {self.holder}"


class PageEdition(models.Model):
    """A frozen copy of a page, made when it is published: what readers read and books are made of.

    ``content`` is a JSON snapshot: title, school, class label, authors, and the blocks in order
    (kind, html, media id, caption, transcript).
    """

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="editions", verbose_name="page")
    number = models.PositiveIntegerField("numéro")
    content = models.JSONField("contenu")
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("figée le", auto_now_add=True)

    class Meta:
        verbose_name = "copie figée"
        verbose_name_plural = "copies figées"
        ordering = ["page", "-number"]
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="notebooks_edition_number_unique")]

    def __str__(self):
        return f"« {self.content.get('title', '')} », copie {self.number}"


class BookExport(models.Model):
    """The common book of a notebook in one format, made by the ``notebooks.export_book`` task."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        EPUB = "epub", "EPUB"

    class Status(models.TextChoices):
        PENDING = "attente", "En attente"
        RUNNING = "en_cours", "En cours"
        READY = "pret", "Prêt"
        FAILED = "echec", "Échec"

    notebook = models.ForeignKey(Notebook, on_delete=models.CASCADE, related_name="exports", verbose_name="cahier")
    format = models.CharField("format", max_length=10, choices=Format.choices)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    fingerprint = models.CharField("empreinte du contenu", max_length=64)
    editions = models.JSONField("copies figées", default=list, help_text="Les identifiants des copies, dans l’ordre.")
    file = models.FileField("fichier", upload_to="notebooks/books/", max_length=255, blank=True)
    error = models.CharField("raison de l’échec", max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "livre exporté"
        verbose_name_plural = "livres exportés"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notebook", "format", "fingerprint"], name="notebooks_one_export_per_content"
            )
        ]

    def __str__(self):
        return f"Livre « {self.notebook} » ({self.get_format_display()})"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    def filename(self) -> str:
        from django.utils.text import slugify

        return f"{slugify(self.notebook.title) or 'cahier'}.{self.format}"


class NotebooksAction(models.TextChoices):
    """What the audit trail records in the notebooks (``audit.services.record``)."""

    NOTEBOOK_CREATED = "notebooks.notebook.created", "Création du cahier"
    NOTEBOOK_UPDATED = "notebooks.notebook.updated", "Modification du cahier"
    NOTEBOOK_DELETED = "notebooks.notebook.deleted", "Suppression du cahier"
    PAGE_CREATED = "notebooks.page.created", "Création de la page"
    PAGE_UPDATED = "notebooks.page.updated", "Modification de la page"
    PAGE_PROPOSED = "notebooks.page.proposed", "Page proposée à la validation"
    PAGE_PUBLISHED = "notebooks.page.published", "Publication de la page"
    PAGE_RETURNED = "notebooks.page.returned", "Page renvoyée à ses auteur·rices"
    PAGE_MOVED = "notebooks.page.moved", "Page déplacée"
    PAGE_DELETED = "notebooks.page.deleted", "Suppression de la page"
    LOCK_LIFTED = "notebooks.page.lock_lifted", "Verrou de modification levé"
    BOOK_REQUESTED = "notebooks.book.requested", "Export du livre commun demandé"
