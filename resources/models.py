"""Ressources: the district's library of documents, in folders by theme, each folder with an audience."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from accounts.audiences import AudienceFields


class ResourceAction(models.TextChoices):
    """What the audit trail records of the library (``audit.services.record``)."""

    FOLDER_CREATED = "resources.folder.created", "Création du dossier"
    FOLDER_UPDATED = "resources.folder.updated", "Modification du dossier"
    FOLDER_DELETED = "resources.folder.deleted", "Suppression du dossier"
    DOCUMENT_CREATED = "resources.document.created", "Ajout du document"
    DOCUMENT_UPDATED = "resources.document.updated", "Modification du document"
    DOCUMENT_REPLACED = "resources.document.replaced", "Nouvelle version du fichier"
    DOCUMENT_DELETED = "resources.document.deleted", "Suppression du document"


class Theme(models.TextChoices):
    ADMINISTRATIVE = "administratif", "Administratif"
    PEDAGOGICAL = "pedagogique", "Pédagogique"


class Folder(AudienceFields):
    """A folder kept by the district team (« PPMS », « Mathématiques — cycle 2 »), seen by its audience."""

    theme = models.CharField("thème", max_length=20, choices=Theme.choices)
    name = models.CharField("nom", max_length=120)
    description = models.CharField("description", max_length=300, blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "dossier"
        verbose_name_plural = "dossiers"
        ordering = ["theme", "position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resources:folder", args=[self.pk])


class Document(models.Model):
    """A document of a folder. Its file is its newest :class:`Version`; earlier ones are kept."""

    folder = models.ForeignKey(Folder, verbose_name="dossier", on_delete=models.CASCADE, related_name="documents")
    title = models.CharField("titre", max_length=200)
    summary = models.TextField("résumé", max_length=1000, blank=True)
    tags = models.CharField("mots-clés", max_length=200, blank=True, help_text="Séparés par des virgules.")
    school_year = models.CharField("année scolaire", max_length=9, blank=True, help_text="Par exemple 2026-2027.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="ajouté par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("ajouté le", auto_now_add=True)
    # When the file was last replaced (None: never): « Mis à jour le … ».
    updated_at = models.DateTimeField("mis à jour le", null=True, blank=True)
    # The number of the current version (1, 2…): a person's read marker compares with it.
    version = models.PositiveIntegerField("version", default=1)
    current = models.ForeignKey(
        "uploads.MediaFile", verbose_name="fichier", on_delete=models.PROTECT, null=True, related_name="+"
    )
    download_count = models.PositiveIntegerField("téléchargements", default=0)
    # The text inside the current file (PDF, docx, odt), extracted by a task; search_text is it with
    # the title, summary and tags, accent- and case-free (mail.text.search_key), for the site search.
    text = models.TextField("texte du fichier", blank=True)
    search_text = models.TextField("texte pour la recherche", blank=True)

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documents"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["folder", "-created_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resources:document", args=[self.pk])

    @property
    def last_change(self):
        return self.updated_at or self.created_at

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class Version(models.Model):
    """One file a document has had; the newest is ``document.current``."""

    document = models.ForeignKey(Document, verbose_name="document", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("numéro")
    media = models.ForeignKey("uploads.MediaFile", verbose_name="fichier", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="envoyé par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "version"
        verbose_name_plural = "versions"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="resources_version_unique")]

    def __str__(self):
        return f"{self.document} (version {self.number})"


#: The version (``ent.versions``) of the folders, their audiences, the documents and their versions:
#: Accueil's « Nouveau dans les ressources », kept per person, is read again after any change.
RESOURCES_VERSION = "resources"


def reads_version(user_id: int) -> str:
    """The version of the documents this person opened (``services.document_mark_read``)."""
    return f"resources:reads:{user_id}"


class ReadMarker(models.Model):
    """The version of a document a person last opened or downloaded (« Nouveau », « Mis à jour »)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="read_markers")
    version = models.PositiveIntegerField("version lue")

    class Meta:
        verbose_name = "marque de lecture"
        verbose_name_plural = "marques de lecture"
        constraints = [models.UniqueConstraint(fields=["user", "document"], name="resources_read_unique")]

    def __str__(self):
        return f"{self.user} a lu {self.document} (version {self.version})"
