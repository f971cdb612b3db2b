"""Notifications (one row per person told), their e-mail delivery state, digests and preferences.

E-mail delivery is a small state machine on each notification, so that no notification is
ever e-mailed twice (see docs/architecture/notifications.md)::

    none      nothing to send (the person chose "never", or read it on the site first)
    pending   waiting: "immediate" ones from ``deliver_after``, the others for their digest
    sending   claimed by one worker (conditional UPDATE), e-mail being handed to the server
    sent      handed to the mail server (``emailed_at``)
    failed    the send failed or was interrupted: never retried on its own, an administrator may
              put it back to "pending" (admin action)
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ent.dates import format_day

from . import kinds
from .kinds import Frequency


class EmailState(models.TextChoices):
    NONE = "none", "Pas d’e-mail"
    PENDING = "pending", "À envoyer"
    SENDING = "sending", "Envoi en cours"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec de l’envoi"


class PushState(models.TextChoices):
    """Push to the person's devices: claimed once per notice (``pending`` → ``sent``), then one
    :class:`PushDelivery` per device."""

    NONE = "none", "Pas d’envoi sur les appareils"
    PENDING = "pending", "À envoyer sur les appareils"
    SENT = "sent", "Envoyée sur les appareils"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_user(self, user):
        return self.filter(recipient=user)

    def due_immediate(self, now):
        return self.filter(email_state=EmailState.PENDING, email_frequency=Frequency.IMMEDIATE, deliver_after__lte=now)

    def due_push(self, now):
        return self.filter(push_state=PushState.PENDING, push_after__lte=now)

    def pending_digest(self, frequency):
        return self.filter(email_state=EmailState.PENDING, email_frequency=frequency)


class Digest(models.Model):
    """One digest e-mail to one person; its notifications point to it (``Notification.digest``)."""

    class State(models.TextChoices):
        SENDING = "sending", "Envoi en cours"
        SENT = "sent", "Envoyé"
        FAILED = "failed", "Échec de l’envoi"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_digests",
        verbose_name="destinataire",
    )
    frequency = models.CharField(
        "fréquence",
        max_length=10,
        choices=[(Frequency.DAILY, Frequency.DAILY.label), (Frequency.WEEKLY, Frequency.WEEKLY.label)],
    )
    state = models.CharField("état", max_length=10, choices=State.choices, default=State.SENDING)
    created_at = models.DateTimeField("préparé le", default=timezone.now)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    error = models.CharField("erreur", max_length=255, blank=True)

    class Meta:
        verbose_name = "résumé envoyé par e-mail"
        verbose_name_plural = "résumés envoyés par e-mail"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="notif_digest_recipient_idx")]

    def __str__(self):
        return f"{self.get_frequency_display()} pour {self.recipient} (le {format_day(self.created_at, with_weekday=False)})"


class Notification(models.Model):
    """Something new, told to one person: the bell, the "Notifications" page and the e-mails."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="destinataire"
    )
    kind = models.CharField("type", max_length=80)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="type d’objet"
    )
    target_id = models.PositiveBigIntegerField("identifiant de l’objet", null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    text = models.CharField("texte", max_length=300)
    url = models.CharField("lien", max_length=500)
    key = models.CharField(
        "clé d’unicité",
        max_length=200,
        null=True,
        blank=True,
        help_text="Une seule notification par personne et par clé (ex. « timeline.deadline:42:7d »).",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    read_at = models.DateTimeField("lue le", null=True, blank=True)

    email_frequency = models.CharField("envoi par e-mail", max_length=10, choices=Frequency.choices)
    email_state = models.CharField("état de l’e-mail", max_length=10, choices=EmailState.choices)
    deliver_after = models.DateTimeField(
        "à envoyer à partir du",
        null=True,
        blank=True,
        help_text="Pour un envoi immédiat : tout de suite, ou le prochain matin ouvré (droit à la déconnexion).",
    )
    email_claimed_at = models.DateTimeField("envoi commencé le", null=True, blank=True)
    emailed_at = models.DateTimeField("envoyée par e-mail le", null=True, blank=True)
    digest = models.ForeignKey(
        Digest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name="résumé",
    )
    email_error = models.CharField("erreur d’envoi", max_length=255, blank=True)
    push_state = models.CharField(
        "état de l’envoi sur les appareils", max_length=10, choices=PushState.choices, default=PushState.NONE
    )
    push_after = models.DateTimeField(
        "à envoyer sur les appareils à partir du",
        null=True,
        blank=True,
        help_text="Tout de suite, ou le prochain matin ouvré (droit à la déconnexion).",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification"
        verbose_name_plural = "notifications"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=Q(key__isnull=False), name="notif_unique_recipient_key"
            ),
        ]
        indexes = [
            # The "Notifications" page, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created_idx"),
            # The bell: unread count of one person, on every page.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread_idx"),
            # The sweep and the digests: only what is still to be e-mailed.
            models.Index(
                fields=["email_frequency", "deliver_after"],
                condition=Q(email_state="pending"),
                name="notif_email_pending_idx",
            ),
            models.Index(
                fields=["email_claimed_at"], condition=Q(email_state="sending"), name="notif_email_sending_idx"
            ),
            # The push sender and the sweep: only what is still to be pushed.
            models.Index(fields=["push_after"], condition=Q(push_state="pending"), name="notif_push_pending_idx"),
        ]

    def __str__(self):
        return f"{self.text} → {self.recipient}"

    @property
    def kind_info(self) -> kinds.Kind:
        return kinds.describe(self.kind)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailSettings(models.Model):
    """A person's e-mail settings that are not per kind. No row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
        verbose_name="personne",
    )
    quiet_hours = models.BooleanField(
        "droit à la déconnexion",
        default=True,
        help_text="Aucun e-mail immédiat entre 20 h et 7 h ni le week-end : ils partent le matin suivant.",
    )
    unsubscribed_at = models.DateTimeField(
        "désabonnement le",
        null=True,
        blank=True,
        help_text="Après un désabonnement, tout type sans choix explicite vaut « Jamais ».",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "réglages des e-mails"
        verbose_name_plural = "réglages des e-mails"

    def __str__(self):
        return f"Réglages des e-mails de {self.user}"


class KindPreference(models.Model):
    """How often a person wants e-mails about one kind of notification."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name="personne",
    )
    kind = models.CharField("type", max_length=80)
    frequency = models.CharField("envoi par e-mail", max_length=10, choices=Frequency.choices)
    push = models.BooleanField(
        "sur mes appareils",
        null=True,
        blank=True,
        help_text="Vide : le choix par défaut du type (oui).",
    )

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"
        ordering = ["user", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notif_one_preference_per_kind")]

    def __str__(self):
        return f"{self.user} — {self.kind_info.label} : {self.get_frequency_display()}"

    @property
    def kind_info(self) -> kinds.Kind:
        return kinds.describe(self.kind)


class PushSubscription(models.Model):
    """One device (a browser) where a person receives notifications: its Web Push subscription."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
        verbose_name="personne",
    )
    endpoint = models.URLField("adresse du service de notification", max_length=1000, unique=True)
    p256dh = models.CharField("clé publique de l’appareil", max_length=100)
    auth = models.CharField("secret d’authentification", max_length=50)
    label = models.CharField("appareil", max_length=100)
    created_at = models.DateTimeField("ajouté le", default=timezone.now)
    last_sent_at = models.DateTimeField("dernier envoi le", null=True, blank=True)

    class Meta:
        verbose_name = "appareil recevant les notifications"
        verbose_name_plural = "appareils recevant les notifications"
        ordering = ["user", "-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="notif_push_sub_user_idx")]

    def __str__(self):
        return f"{self.label} de {self.user}"


class PushDelivery(models.Model):
    """One notification pushed to one device: at most once (unique constraint)."""

    class State(models.TextChoices):
        SENT = "sent", "Envoyée"
        FAILED = "failed", "Échec de l’envoi"

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="push_deliveries", verbose_name="notification"
    )
    subscription = models.ForeignKey(
        PushSubscription,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name="appareil",
    )
    endpoint_host = models.CharField("service de notification", max_length=255)
    state = models.CharField("état", max_length=10, choices=State.choices, default=State.SENT)
    status_code = models.PositiveSmallIntegerField("réponse du service", null=True, blank=True)
    error = models.CharField("erreur", max_length=255, blank=True)
    created_at = models.DateTimeField("envoyée le", default=timezone.now)

    class Meta:
        verbose_name = "envoi sur un appareil"
        verbose_name_plural = "envois sur les appareils"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "subscription"], name="notif_push_once_per_device")
        ]

    def __str__(self):
        return f"Notification n° {self.notification_id} → {self.endpoint_host}"


def effective_frequency(*, explicit: str | None, unsubscribed: bool, default: str) -> str:
    """The one rule deciding how a person is e-mailed about a kind."""
    if explicit:
        return explicit
    return Frequency.NEVER if unsubscribed else default


# Without a choice, a person who added a device receives every kind there (they asked for it).
PUSH_DEFAULT = True


def effective_push(explicit: bool | None) -> bool:
    """The one rule deciding whether a kind is pushed to a person's devices."""
    return PUSH_DEFAULT if explicit is None else explicit
