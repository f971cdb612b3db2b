"""People, the district, its structures (schools, district team, RASED) and memberships."""

import secrets
from urllib.parse import urlsplit

from allauth.mfa.models import Authenticator as MfaAuthenticator
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.cache import cache
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from ent.text import french_sort_key

from .validators import normalise_uai, validate_uai


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L’adresse e-mail est obligatoire.")
        user = self.model(email=normalise_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("is_active", True)
        return self._create_user(email, password, **extra_fields)


def normalise_email(email: str) -> str:
    """E-mail addresses are compared without case: they are stored in lower case."""
    return (email or "").strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """A person. The e-mail address is the login; an account is inactive until activated."""

    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    is_active = models.BooleanField(
        "activé",
        default=False,
        help_text="Un compte non activé ne peut pas se connecter.",
    )
    is_staff = models.BooleanField("accès à l’administration", default=False)
    date_joined = models.DateTimeField("créé le", default=timezone.now)
    sort_name = models.CharField(max_length=310, editable=False, db_index=True, default="")
    # The last day this person used the site (accounts.middleware.LastSeenMiddleware: one write a
    # day at most), for the adoption dashboard; ActiveMonth keeps the months they came.
    last_seen = models.DateField("dernière visite", null=True, blank=True, editable=False)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = "personne"
        verbose_name_plural = "personnes"
        ordering = ["sort_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        self.sort_name = french_sort_key(self.last_name, self.first_name)
        if kwargs.get("update_fields") is not None and {"first_name", "last_name"} & set(kwargs["update_fields"]):
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_name"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name


class District(models.Model):
    """The circonscription. A deployment serves one district."""

    name = models.CharField("nom", max_length=200)
    academie = models.SlugField(
        "académie",
        max_length=60,
        help_text="Comme dans les adresses académiques : « poitiers » pour ac-poitiers.fr.",
    )

    class Meta:
        verbose_name = "circonscription"
        verbose_name_plural = "circonscriptions"

    def __str__(self):
        return self.name

    @property
    def academie_label(self):
        return f"académie de {self.academie.replace('-', ' ').title()}"


class StructureQuerySet(models.QuerySet):
    def schools(self):
        return self.filter(kind=Structure.Kind.SCHOOL)

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(commune__icontains=text) | Q(uai__iexact=normalise_uai(text)))


class Structure(models.Model):
    """A school, the district team or the RASED: a space with members."""

    class Kind(models.TextChoices):
        SCHOOL = "ecole", "École"
        DISTRICT_TEAM = "circonscription", "Équipe de circonscription"
        RASED = "rased", "RASED"

    class SchoolType(models.TextChoices):
        MATERNELLE = "maternelle", "École maternelle"
        ELEMENTAIRE = "elementaire", "École élémentaire"
        PRIMAIRE = "primaire", "École primaire"

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="structures", verbose_name="circonscription"
    )
    kind = models.CharField("type de structure", max_length=20, choices=Kind.choices, default=Kind.SCHOOL)
    code = models.SlugField(
        "code",
        max_length=40,
        unique=True,
        help_text="Identifiant stable : le code UAI pour une école, un code court sinon (ex. « rased-lencloitre »).",
    )
    name = models.CharField("nom", max_length=200)
    sort_name = models.CharField(max_length=200, editable=False, db_index=True, default="")
    uai = models.CharField("code UAI", max_length=8, unique=True, null=True, blank=True, validators=[validate_uai])
    school_type = models.CharField("type d’école", max_length=20, choices=SchoolType.choices, blank=True)
    commune = models.CharField("commune", max_length=120, blank=True)
    address = models.CharField("adresse", max_length=250, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField(
        "adresse fonctionnelle",
        blank=True,
        help_text="Laissée vide pour une école, elle vaut ce.<UAI>@ac-<académie>.fr.",
    )

    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = "structure"
        verbose_name_plural = "structures"
        ordering = ["sort_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="ecole") | (Q(uai__isnull=False) & ~Q(school_type="")),
                name="accounts_school_has_uai_and_type",
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"]), models.Index(fields=["commune"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.sort_name = french_sort_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_name"}
        if self.uai:
            self.uai = normalise_uai(self.uai)
            if not self.code:
                self.code = self.uai.lower()
        if self.kind == self.Kind.SCHOOL and not self.email and self.uai and self.district_id:
            self.email = self.default_school_email(self.uai, self.district.academie)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("accounts:structure-detail", args=[self.code])

    def clean(self):
        super().clean()
        if self.uai:
            self.uai = normalise_uai(self.uai)
        if self.kind == self.Kind.SCHOOL:
            from django.core.exceptions import ValidationError

            errors = {}
            if not self.uai:
                errors["uai"] = "Une école a un code UAI."
            if not self.school_type:
                errors["school_type"] = "Précisez s’il s’agit d’une école maternelle, élémentaire ou primaire."
            if errors:
                raise ValidationError(errors)

    @staticmethod
    def default_school_email(uai: str, academie: str) -> str:
        return f"ce.{uai.lower()}@ac-{academie}.fr"

    @property
    def is_school(self):
        return self.kind == self.Kind.SCHOOL

    @property
    def display_kind(self):
        if self.is_school and self.school_type:
            return self.get_school_type_display()
        return self.get_kind_display()


class AudienceKind(models.TextChoices):
    DISTRICT = "district", "Toute la circonscription"
    DIRECTORS = "directeurs", "Les directeurs et directrices d’école"
    TEACHERS = "enseignants", "Les enseignant·es"
    DISTRICT_TEAM = "equipe", "L’équipe de circonscription"
    RASED = "rased", "Le RASED"
    STRUCTURES = "structures", "Les membres de certaines structures"


class AudienceFields(models.Model):
    """Abstract fields that give a model an audience."""

    audience = models.CharField("public", max_length=20, choices=AudienceKind.choices, default=AudienceKind.DISTRICT)
    audience_structures = models.ManyToManyField(
        Structure,
        blank=True,
        related_name="+",
        verbose_name="structures destinataires",
        help_text="Seulement pour le public « Les membres de certaines structures ».",
    )

    class Meta:
        abstract = True

    def get_audience(self):
        """This row's :class:`accounts.audiences.Audience`."""
        from .audiences import Audience

        ids = (
            frozenset(s.pk for s in self.audience_structures.all())
            if self.audience == AudienceKind.STRUCTURES
            else frozenset()
        )
        return Audience(self.audience, ids)


class Role(models.TextChoices):
    IEN = "ien", "Inspecteur·rice de l’Éducation nationale (IEN)"
    CPC = "cpc", "Conseiller·ère pédagogique"
    SECRETARY = "secretaire", "Secrétaire de circonscription"
    DIRECTOR = "directeur", "Directeur·rice d’école"
    TEACHER = "enseignant", "Enseignant·e"
    RASED = "rased", "Membre du RASED"


#: The version (``ent.versions``) of everyone's memberships: what draws other people's memberships
#: (the directory's member counts) is kept under it. Bumped by the signals of ``Membership``
#: (``accounts/apps.py``: the admin, ``memberships_save``, the factories) and by ``people_import``'s
#: bulk writes. A membership starting or ending with a day changes no row: what is kept under this
#: version is kept per day as well (``accounts.roles.kept_for``).
MEMBERSHIPS_VERSION = "memberships"

#: The version of people's names (``get_full_name``): what draws other people's names (a notebook
#: page's authors, who holds its lock) is kept under it. Bumped when a person is renamed (their
#: profile, the admin, an account anonymised) or deleted (``accounts/apps.py``), and by
#: ``people_import``'s ``bulk_update``; not by a save of other fields only (a login's ``last_login``).
NAMES_VERSION = "names"
NAME_FIELDS = frozenset({"first_name", "last_name"})


class MembershipQuerySet(models.QuerySet):
    def running(self, on=None):
        """Not ended on that day (today by default): current, or starting later. At most one per
        person, structure and role is open, so an import must not add another."""
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gt=on))

    def current(self, on=None):
        """Held on that day (today by default): started and not ended."""
        on = on or timezone.localdate()
        return self.running(on).filter(start_date__lte=on)


class Membership(models.Model):
    """A person's role in a structure, for a period. Ending a membership keeps its history."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name="personne"
    )
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="memberships", verbose_name="structure"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    speciality = models.CharField(
        "spécialité",
        max_length=100,
        blank=True,
        help_text="Pour un·e conseiller·ère pédagogique : « numérique », « EPS », « arts »…",
    )
    start_date = models.DateField("depuis le", default=timezone.localdate)
    end_date = models.DateField(
        "jusqu’au", null=True, blank=True, help_text="Laisser vide tant que le rôle est exercé."
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "rattachement"
        verbose_name_plural = "rattachements"
        ordering = ["structure__sort_name", "role", "user__sort_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "structure", "role"],
                condition=Q(end_date__isnull=True),
                name="accounts_one_open_membership_per_role",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="accounts_membership_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["role", "end_date"])]

    def __str__(self):
        return f"{self.user} — {self.role_label} ({self.structure})"

    @property
    def role_label(self):
        label = self.get_role_display()
        return f"{label} ({self.speciality})" if self.speciality else label

    @property
    def is_current(self):
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date > today)


class AccountAction(models.TextChoices):
    """What the audit trail records about an account (``audit.services.record``): who did it, and when."""

    ACTIVATED = "accounts.user.activated", "Compte activé"
    DEACTIVATED = "accounts.user.deactivated", "Compte désactivé"
    INVITED = "accounts.user.invited", "Invitation envoyée"


class Invitation(models.Model):
    """One invitation e-mail to choose a password. ``sent_at`` makes its sending happen once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations", verbose_name="personne"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        ordering = ["-created_at"]
        constraints = [
            # At most one invitation waiting to be sent per person: a double click cannot queue two.
            models.UniqueConstraint(
                fields=["user"], condition=Q(sent_at__isnull=True), name="accounts_one_pending_invitation"
            ),
        ]

    def __str__(self):
        return f"Invitation de {self.user}"


def new_private_key() -> str:
    return secrets.token_urlsafe(32)


class PrivateLinkKey(models.Model):
    """A person's secret key in private links (Atom feeds, calendar subscriptions) that work without signing in.

    Renewing it kills every old link. Subclasses redeclare ``user`` to keep their own ``related_name``.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s",
        verbose_name="personne",
    )
    key = models.CharField("clé", max_length=64, unique=True, default=new_private_key)
    created_at = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        abstract = True


class AppIcon(models.TextChoices):
    """The icons an outside service may show: DSFR icons, drawn from the project's own static files."""

    SCHOOL = "fr-icon-school-line", "École"
    CLOUD = "fr-icon-cloud-line", "Nuage"
    MAIL = "fr-icon-mail-line", "Courrier"
    TRAINING = "fr-icon-presentation-line", "Formation"
    BOOK = "fr-icon-book-2-line", "Livre"
    ARTICLE = "fr-icon-article-line", "Article"
    FOLDER = "fr-icon-folder-2-line", "Dossier"
    CALENDAR = "fr-icon-calendar-line", "Agenda"
    SURVEY = "fr-icon-survey-line", "Questionnaire"
    TEAM = "fr-icon-team-line", "Équipe"
    COMPUTER = "fr-icon-computer-line", "Ordinateur"
    GLOBE = "fr-icon-global-line", "Globe"


# Its own code, so that the form field's generic « Saisissez une URL valide. » does not replace the message.
https_url_validator = URLValidator(
    schemes=["https"],
    message="Saisissez une adresse complète qui commence par https:// (connexion chiffrée).",
    code="https_only",
)


APP_LINKS_CACHE_KEY = "accounts:app-links"


#: The version of the outside services' links (Accueil's « Mes applis », kept as HTML per person).
APP_LINKS_VERSION = "app_links"


def forget_app_links(**kwargs) -> None:
    """Empty the cached list of links (``accounts.selectors.all_app_links``) and renew what is kept
    under their version; a signal receiver too."""
    from ent import versions

    cache.delete(APP_LINKS_CACHE_KEY)
    versions.bump(APP_LINKS_VERSION)


class AppLink(AudienceFields):
    """« Mes applis »: a link to an outside service the district uses (ONDE, webmail, Magistère…).

    Pure configuration, set by an administrator: shown to its audience (and to the district team),
    opened only when clicked. The icon is one of the project's own, never fetched from the service.
    """

    name = models.CharField("nom", max_length=80)
    description = models.CharField("description", max_length=200, help_text="Une phrase : à quoi sert ce service.")
    url = models.URLField(
        "adresse",
        max_length=500,
        validators=[https_url_validator],
        help_text="Adresse https:// du service. Le lien ne s’ouvre que quand la personne clique dessus.",
    )
    icon = models.CharField("icône", max_length=40, choices=AppIcon.choices, default=AppIcon.GLOBE)
    order = models.PositiveSmallIntegerField("ordre", default=0, help_text="Les plus petits nombres d’abord.")

    class Meta:
        verbose_name = "appli externe"
        verbose_name_plural = "applis externes (« Mes applis »)"
        ordering = ["order", "name"]
        constraints = [
            # The form's validator, held by the database too (a script or update() cannot store http://).
            models.CheckConstraint(condition=Q(url__startswith="https://"), name="accounts_applink_url_https"),
        ]

    def __str__(self):
        return self.name

    @property
    def host(self) -> str:
        """Where the link leads, as the person reads it: « webmail.ac-poitiers.fr »."""
        return urlsplit(self.url).hostname or ""


class Authenticator(MfaAuthenticator):
    """allauth's two-factor authenticators, as the admin shows them: the same rows, named in French.

    allauth's model has no verbose names (its admin would read « Authenticators », « Created at »);
    this proxy gives the model's, and ``accounts.admin.AuthenticatorAdmin`` the fields'.
    """

    class Meta:
        proxy = True
        verbose_name = "authentificateur"
        verbose_name_plural = "authentificateurs"


class ActiveMonth(models.Model):
    """A month in which a person used the site (its first day): written once per person and month,
    with the day's ``last_seen``. The adoption dashboard's month-by-month figures read it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField("mois")

    class Meta:
        verbose_name = "mois d’activité"
        verbose_name_plural = "mois d’activité"
        constraints = [models.UniqueConstraint(fields=["user", "month"], name="accounts_active_month_unique")]
        indexes = [models.Index(fields=["month", "user"])]

    def __str__(self):
        return f"{self.user} — {self.month:%Y-%m}"
