"""The consent registry of a school, and what each photo or recording shows.

A school keeps the least data about its pupils (``Pupil``: first name, initial of the last name,
class, school year). A ``ConsentRequest`` asks families for a named use (a project, the media, the
channels, the version of the form's text, until a date); each guardian's answer is one
``GuardianDecision``, withdrawable at any time. A ``MediaDeclaration`` says, once per uploaded
media (``uploads.MediaFile``), whether a pupil can be recognised on it, and which. The rules that
read them are in ``rules.py``; every write goes through ``services.py``.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from ent.text import french_sort_key


def school_year_of(day: dt.date) -> str:
    """« 2026-2027 » for any day from 1 August 2026 to 31 July 2027."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


def current_school_year() -> str:
    return school_year_of(timezone.localdate())


class Medium(models.TextChoices):
    """What of a pupil a use shows (the request's « médias »)."""

    IMAGE = "image", "image (photo, vidéo)"
    VOICE = "voix", "voix (enregistrement)"
    FIRST_NAME = "prenom", "prénom"
    WORK = "travaux", "travaux de l’élève"


class Channel(models.TextChoices):
    """Where a use takes it (the request's « canaux de diffusion »), and the reach of a publication."""

    ENT = "ent", "dans l’ENT"
    BOOK = "livre", "livre commun exporté"
    PUBLIC = "public", "site public"
    PRINT = "impression", "impression"


class GuardiansRequired(models.TextChoices):
    BOTH = "both", "Les deux responsables légaux doivent accorder l’autorisation"
    ONE = "one", "L’accord d’un seul responsable légal suffit"


class PrivacyAction(models.TextChoices):
    """What the audit trail records about the registry."""

    PUPIL_CREATED = "privacy.pupil.created", "Ajout de l’élève au registre"
    PUPIL_UPDATED = "privacy.pupil.updated", "Modification de l’élève"
    PUPIL_DELETED = "privacy.pupil.deleted", "Retrait de l’élève du registre"
    REQUEST_CREATED = "privacy.request.created", "Création de la demande d’autorisation"
    REQUEST_UPDATED = "privacy.request.updated", "Modification de la demande d’autorisation"
    DECISION_RECORDED = "privacy.decision.recorded", "Réponse d’un responsable légal enregistrée"
    DECISION_WITHDRAWN = "privacy.decision.withdrawn", "Autorisation retirée"
    MEDIA_DECLARED = "privacy.media.declared", "Élèves visibles ou entendus déclarés"
    MEDIA_BLURRED = "privacy.media.blurred", "Zones floutées sur l’image"
    MEDIA_WITHHELD = "privacy.media.withheld", "Média masqué après un retrait d’autorisation"
    POLICY_UPDATED = "privacy.policy.updated", "Règle des responsables légaux modifiée"
    ACCOUNT_CLOSED = "privacy.account.closed", "Compte fermé : plus aucun rattachement"
    ACCOUNT_OBJECTION = "privacy.account.objection", "Opposition au maintien des contributions enregistrée"
    ACCOUNT_PURGED = "privacy.account.purged", "Données personnelles du compte effacées"


class DistrictPolicy(models.Model):
    """The district's choice (its DPO's): one guardian's consent suffices, or both are needed."""

    district = models.OneToOneField(
        "accounts.District", on_delete=models.CASCADE, related_name="privacy_policy", verbose_name="circonscription"
    )
    guardians_required = models.CharField(
        "accord des responsables légaux",
        max_length=10,
        choices=GuardiansRequired.choices,
        default=GuardiansRequired.BOTH,
        help_text="Depuis 2024, le code civil (art. 372-1) confie la protection de l’image de l’enfant "
        "aux deux parents ensemble : « les deux » est la règle par défaut.",
    )

    class Meta:
        verbose_name = "règle du droit à l’image"
        verbose_name_plural = "règles du droit à l’image"

    def __str__(self):
        return f"{self.district} : {self.get_guardians_required_display().lower()}"


class PupilQuerySet(models.QuerySet):
    def of_school(self, school):
        return self.filter(school=school)

    def search(self, text: str):
        """Accent- and case-insensitive: « elodie » finds « Élodie »."""
        key = french_sort_key(text or "")
        return self.filter(search_name__contains=key) if key else self


class Pupil(models.Model):
    """A pupil, with the least data possible: no birth date, no address, no photo."""

    school = models.ForeignKey(
        "accounts.Structure", on_delete=models.CASCADE, related_name="pupils", verbose_name="école"
    )
    first_name = models.CharField("prénom", max_length=80)
    last_initial = models.CharField("initiale du nom", max_length=1)
    class_name = models.CharField("classe", max_length=40, help_text="Par exemple « CM1 » ou « CE2-CM1 B ».")
    school_year = models.CharField("année scolaire", max_length=9, default=current_school_year)
    guardians = models.PositiveSmallIntegerField(
        "responsables légaux",
        choices=[(1, "Un seul responsable légal"), (2, "Deux responsables légaux")],
        default=2,
    )
    search_name = models.CharField(max_length=120, editable=False, db_index=True, default="")
    created_at = models.DateTimeField("ajouté le", auto_now_add=True)

    objects = PupilQuerySet.as_manager()

    class Meta:
        verbose_name = "élève"
        verbose_name_plural = "élèves"
        ordering = ["class_name", "search_name", "pk"]
        indexes = [models.Index(fields=["school", "school_year", "class_name"], name="privacy_pupil_class_idx")]

    def __str__(self):
        return f"{self.first_name} {self.last_initial}. ({self.class_name})"

    def save(self, *args, **kwargs):
        self.last_initial = (self.last_initial or "").strip()[:1].upper()
        self.search_name = french_sort_key(self.first_name, self.last_initial)
        super().save(*args, **kwargs)

    @property
    def short_name(self) -> str:
        return f"{self.first_name} {self.last_initial}."


class ConsentRequestQuerySet(models.QuerySet):
    def of_school(self, school):
        return self.filter(school=school)


class ConsentRequest(models.Model):
    """What families are asked to allow: a named project, media, channels, until a date."""

    class Project(models.TextChoices):
        NOTEBOOK = "cahier", "Un cahier multimédia"
        BLOG = "blog", "Un blog"
        NEWS = "actualite", "Une actualité"
        SCHOOL_LIFE = "vie", "La vie de l’école (toute l’année)"

    school = models.ForeignKey(
        "accounts.Structure", on_delete=models.CASCADE, related_name="consent_requests", verbose_name="école"
    )
    title = models.CharField("titre", max_length=200, help_text="Le projet, tel que les familles le liront.")
    project = models.CharField("projet", max_length=12, choices=Project.choices)
    # The notebook, blog or news post the request covers (empty for « la vie de l'école »).
    project_content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, verbose_name="type du projet"
    )
    project_object_id = models.PositiveBigIntegerField("identifiant du projet", null=True, blank=True)
    project_object = GenericForeignKey("project_content_type", "project_object_id")
    school_year = models.CharField("année scolaire", max_length=9, default=current_school_year)

    medium_image = models.BooleanField("image (photo, vidéo)", default=False)
    medium_voice = models.BooleanField("voix (enregistrement)", default=False)
    medium_first_name = models.BooleanField("prénom", default=False)
    medium_work = models.BooleanField("travaux de l’élève", default=False)
    channel_ent = models.BooleanField("dans l’ENT", default=False)
    channel_book = models.BooleanField("livre commun exporté", default=False)
    channel_public = models.BooleanField("site public", default=False)
    channel_print = models.BooleanField("impression", default=False)

    form_version = models.CharField(
        "version du texte du formulaire",
        max_length=40,
        help_text="Par exemple « 2026-1 » : ce que les familles ont signé.",
    )
    valid_until = models.DateField("valable jusqu’au")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="créée par"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = ConsentRequestQuerySet.as_manager()

    MEDIUM_FIELDS = {
        Medium.IMAGE: "medium_image",
        Medium.VOICE: "medium_voice",
        Medium.FIRST_NAME: "medium_first_name",
        Medium.WORK: "medium_work",
    }
    CHANNEL_FIELDS = {
        Channel.ENT: "channel_ent",
        Channel.BOOK: "channel_book",
        Channel.PUBLIC: "channel_public",
        Channel.PRINT: "channel_print",
    }

    class Meta:
        verbose_name = "demande d’autorisation"
        verbose_name_plural = "demandes d’autorisation"
        ordering = ["-school_year", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(project_content_type__isnull=True, project_object_id__isnull=True)
                | models.Q(project_content_type__isnull=False, project_object_id__isnull=False),
                name="privacy_request_project_complete",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.school_year})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("privacy:request-detail", args=[self.school.code, self.pk])

    @property
    def media(self) -> list[str]:
        return [m for m, f in self.MEDIUM_FIELDS.items() if getattr(self, f)]

    @property
    def channels(self) -> list[str]:
        return [c for c, f in self.CHANNEL_FIELDS.items() if getattr(self, f)]

    @property
    def media_labels(self) -> list[str]:
        return [Medium(m).label for m in self.media]

    @property
    def channel_labels(self) -> list[str]:
        return [Channel(c).label for c in self.channels]

    def covers(self, medium: str, channel: str) -> bool:
        return getattr(self, self.MEDIUM_FIELDS[medium]) and getattr(self, self.CHANNEL_FIELDS[channel])

    def is_valid_on(self, day: dt.date) -> bool:
        return day <= self.valid_until


class GuardianDecision(models.Model):
    """One guardian's answer for one pupil and one request (a withdrawal keeps the row, dated)."""

    class Decision(models.TextChoices):
        GRANTED = "accordee", "Accordée"
        REFUSED = "refusee", "Refusée"

    request = models.ForeignKey(
        ConsentRequest, on_delete=models.CASCADE, related_name="decisions", verbose_name="demande"
    )
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="decisions", verbose_name="élève")
    guardian = models.PositiveSmallIntegerField(
        "responsable légal", choices=[(1, "Responsable légal 1"), (2, "Responsable légal 2")]
    )
    decision = models.CharField("décision", max_length=10, choices=Decision.choices)
    signed_on = models.DateField("formulaire signé le")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="saisie par"
    )
    recorded_at = models.DateTimeField("saisie le", default=timezone.now)
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="retrait saisi par",
    )

    class Meta:
        verbose_name = "réponse d’un responsable légal"
        verbose_name_plural = "réponses des responsables légaux"
        ordering = ["request", "pupil", "guardian"]
        constraints = [
            models.UniqueConstraint(fields=["request", "pupil", "guardian"], name="privacy_one_decision_per_guardian"),
        ]

    def __str__(self):
        return f"{self.pupil.short_name}, responsable {self.guardian} : {self.status_label.lower()}"

    @property
    def is_granted(self) -> bool:
        return self.decision == self.Decision.GRANTED and self.withdrawn_at is None

    @property
    def is_refused(self) -> bool:
        return self.decision == self.Decision.REFUSED or self.withdrawn_at is not None

    @property
    def status_label(self) -> str:
        if self.withdrawn_at is not None:
            return "Retirée"
        return self.get_decision_display()


class MediaDeclaration(models.Model):
    """Who can be recognised on a photo or heard on a recording: declared once, on the media."""

    media = models.OneToOneField(
        "uploads.MediaFile", on_delete=models.CASCADE, related_name="privacy_declaration", verbose_name="média"
    )
    no_identifiable_pupil = models.BooleanField("aucun élève reconnaissable", default=False)
    pupils = models.ManyToManyField(Pupil, related_name="media_declarations", blank=True, verbose_name="élèves")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="déclaré par"
    )
    declared_at = models.DateTimeField("déclaré le", default=timezone.now)

    class Meta:
        verbose_name = "déclaration des élèves d’un média"
        verbose_name_plural = "déclarations des élèves des médias"

    def __str__(self):
        return f"Déclaration de {self.media}"


class AccountClosure(models.Model):
    """An account closed because its last membership ended: deactivated at once, its personal data
    purged :data:`privacy.retention.ACCOUNT_PURGE_MONTHS` months after ``ended_on``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="closure",
        verbose_name="personne",
    )
    school_name = models.CharField("dernière structure", max_length=200)
    ended_on = models.DateField("dernier rattachement terminé le")
    purge_on = models.DateField("données effacées à partir du")
    objected = models.BooleanField(
        "s’oppose au maintien de ses contributions",
        default=False,
        help_text="Choix enregistré à la fermeture : le compte et ses contributions seront supprimés lors de l’effacement.",
    )
    closed_at = models.DateTimeField("fermé le", default=timezone.now)
    purged_at = models.DateTimeField("effacé le", null=True, blank=True)

    class Meta:
        verbose_name = "compte fermé"
        verbose_name_plural = "comptes fermés"
        ordering = ["-closed_at", "-pk"]
        indexes = [
            models.Index(
                fields=["purge_on"], condition=models.Q(purged_at__isnull=True), name="privacy_closure_due_idx"
            )
        ]

    def __str__(self):
        return f"Compte fermé ({self.school_name}, le {self.ended_on:%d/%m/%Y})"


class DataExport(models.Model):
    """One « Mes données » archive: built by a task, downloadable once by its owner, deleted after
    :data:`privacy.retention.EXPORT_DAYS` days."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports", verbose_name="personne"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField("demandée le", default=timezone.now)
    ready_at = models.DateTimeField("prête le", null=True, blank=True)
    downloaded_at = models.DateTimeField("téléchargée le", null=True, blank=True)
    file = models.FileField("archive", upload_to="exports/", blank=True)

    class Meta:
        verbose_name = "export de mes données"
        verbose_name_plural = "exports de mes données"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Export des données de {self.user} (demandé le {self.created_at:%d/%m/%Y})"
