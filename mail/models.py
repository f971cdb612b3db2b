"""Messagerie: messages between the district team and the schools.

One :class:`Message` row per message, whatever the number of recipients, and one
:class:`Delivery` row per mailbox it reaches (a person's, or the shared mailbox of the district
team), written in bulk when the message is delivered. A message goes

    brouillon → (programmé →) envoyé          (``status``, from :class:`~ent.publication.Publishable`)

"Envoyer" schedules it 15 seconds ahead (``undo_until``: « Annuler l’envoi » puts it back to a
draft until then); "Envoi différé" schedules it at a chosen time. The shared ``ent.publish_due``
task (and a countdown task for the 15 seconds) delivers it through ``services.message_deliver``:
the recipients are resolved then, each person once, and their deliveries written in one
transaction. A sent message may be recalled (``recalled_at``) within ``ENT_MAIL_RECALL_MINUTES``.

How it was addressed is kept as chosen (``addressing``: recipient tokens per field, see
``mail.recipients``) so that « À : Tous les directeurs » reads as the sender wrote it; who
received it is the deliveries. Bcc recipients are in ``addressing["bcc"]`` and in deliveries with
``field="bcc"``, which only the sender sees.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Structure
from ent.publication import PublicationStatus, Publishable, PublishableQuerySet
from ent.richtext import RichTextField

SUBJECT_MAX = 200


class MessageStatus(models.TextChoices):
    DRAFT = PublicationStatus.DRAFT.value, "Brouillon"
    SCHEDULED = PublicationStatus.SCHEDULED.value, "Programmé"
    SENT = PublicationStatus.PUBLISHED.value, "Envoyé"


class MessageQuerySet(PublishableQuerySet):
    def sent(self):
        return self.filter(status=MessageStatus.SENT)

    def drafts(self):
        return self.filter(status=MessageStatus.DRAFT)

    def scheduled(self):
        return self.filter(status=MessageStatus.SCHEDULED)


class Message(Publishable):
    """A message; ``published_at`` is its (planned or actual) sending time."""

    status = models.CharField("état", max_length=20, choices=MessageStatus.choices, default=MessageStatus.DRAFT)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="mail_messages",
        verbose_name="expéditeur·rice",
    )
    # Written from the shared mailbox: « Équipe de circonscription (Mme X) ».
    sent_as = models.ForeignKey(
        Structure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="au nom de",
    )
    subject = models.CharField("objet", max_length=SUBJECT_MAX, blank=True)
    body = RichTextField("message", heading_levels=(3, 4), blank=True)
    # {"to": ["u:12", "directors"], "cc": [...], "bcc": [...]}: tokens of mail.recipients, as chosen.
    addressing = models.JSONField("destinataires choisis", default=dict, blank=True)
    no_reply = models.BooleanField(
        "ne pas répondre", default=False, help_text="Une annonce : les destinataires ne peuvent pas y répondre."
    )
    read_receipt = models.BooleanField(
        "accusé de lecture demandé",
        default=False,
        help_text="Vous verrez qui l’a lu et quand ; les destinataires en sont prévenus.",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies", verbose_name="en réponse à"
    )
    # The conversation: the first message of the thread (a first message points to itself).
    thread = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="conversation"
    )
    forwarded_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="transféré de"
    )
    # Sending twice the same form (a double click, a retry) sends once.
    send_key = models.UUIDField("clé d’envoi", null=True, blank=True, unique=True, editable=False)
    undo_until = models.DateTimeField("annulable jusqu’au", null=True, blank=True, editable=False)
    recalled_at = models.DateTimeField("rappelé le", null=True, blank=True, editable=False)
    recipient_count = models.PositiveIntegerField("nombre de destinataires", default=0, editable=False)
    attachments_size = models.PositiveBigIntegerField("taille des pièces jointes", default=0, editable=False)
    last_reminded_at = models.DateTimeField("dernière relance le", null=True, blank=True, editable=False)
    # Subject, body text and sender's name without accents or case, for the mailbox search.
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField("créé le", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "message"
        verbose_name_plural = "messages"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["programme", "publie"]) | Q(published_at__isnull=False),
                name="mail_message_sent_has_date",
            ),
            models.CheckConstraint(
                condition=Q(recalled_at__isnull=True) | Q(status="publie"),
                name="mail_message_recalled_was_sent",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "published_at"], name="mail_message_due_idx"),
            models.Index(fields=["sender", "status", "-updated_at"], name="mail_message_sender_idx"),
            models.Index(fields=["thread", "published_at"], name="mail_message_thread_idx"),
        ]

    def __str__(self):
        # Not the subject: this name reaches the audit trail and the admin, which keep no content.
        return f"Message n° {self.pk}" if self.pk else "Nouveau message"

    def get_absolute_url(self):
        return reverse("mail:message", args=[self.pk])

    @property
    def is_recalled(self) -> bool:
        return self.recalled_at is not None


class DeliveryField(models.TextChoices):
    SENDER = "sender", "Expéditeur·rice"
    TO = "to", "À"
    CC = "cc", "Copie"
    BCC = "bcc", "Copie cachée"


class DeliveryQuerySet(models.QuerySet):
    def received(self):
        return self.exclude(field=DeliveryField.SENDER)

    def unread(self):
        """Received, not read, not in the trash, and not recalled by its sender (a recalled message
        no longer asks to be read: its content is hidden)."""
        return self.received().filter(read_at__isnull=True, trashed_at__isnull=True, message__recalled_at__isnull=True)


class Delivery(models.Model):
    """A message in one mailbox: a person's (``user``) or the district team's shared one (``shared_box``).

    The sender's own copy (« Envoyés ») is a delivery with ``field="sender"``. Its place in the
    mailbox: the inbox (no folder), a personal folder, or the trash (``trashed_at``); emptying the
    trash deletes the row (the message stays for the others).
    """

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries", verbose_name="message")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mail_deliveries",
        verbose_name="destinataire",
    )
    shared_box = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="boîte partagée",
    )
    field = models.CharField("champ", max_length=10, choices=DeliveryField.choices, default=DeliveryField.TO)
    # How it reached this mailbox, as addressed: « Tous les directeurs », « École Jules-Ferry ».
    via = models.CharField("reçu comme", max_length=200, blank=True)
    # The recipient's school when it was delivered: « lu dans 27 / 34 écoles ».
    school = models.ForeignKey(
        Structure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="école"
    )
    delivered_at = models.DateTimeField("reçu le", default=timezone.now)
    read_at = models.DateTimeField("lu le", null=True, blank=True)
    flagged = models.BooleanField("suivi", default=False)
    folder = models.ForeignKey(
        "Folder", on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries", verbose_name="dossier"
    )
    trashed_at = models.DateTimeField("mis à la corbeille le", null=True, blank=True)
    # Shared mailbox: who of the team took care of it.
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="traité par",
    )
    handled_at = models.DateTimeField("traité le", null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = "message reçu"
        verbose_name_plural = "messages reçus"
        ordering = ["-delivered_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(shared_box__isnull=True))
                | (Q(user__isnull=True) & Q(shared_box__isnull=False)),
                name="mail_delivery_one_mailbox",
            ),
            models.UniqueConstraint(
                fields=["message", "user"], condition=Q(user__isnull=False), name="mail_delivery_once_per_person"
            ),
            models.UniqueConstraint(
                fields=["message", "shared_box", "field"],
                condition=Q(shared_box__isnull=False),
                name="mail_delivery_once_per_shared_box",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "field", "folder", "trashed_at", "-delivered_at"], name="mail_delivery_box_idx"
            ),
            models.Index(
                fields=["user"],
                condition=Q(read_at__isnull=True, trashed_at__isnull=True) & ~Q(field="sender"),
                name="mail_delivery_unread_idx",
            ),
            models.Index(
                fields=["shared_box", "field", "trashed_at", "-delivered_at"], name="mail_delivery_shared_idx"
            ),
            models.Index(fields=["message", "field"], name="mail_delivery_message_idx"),
        ]

    def __str__(self):
        return f"{self.message} → {self.user or self.shared_box}"  # no subject (see Message.__str__)


class Folder(models.Model):
    """A personal folder (nested one level). Messages filed here are kept past the inbox's retention."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_folders", verbose_name="propriétaire"
    )
    name = models.CharField("nom", max_length=80)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name="dans le dossier"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "dossier"
        verbose_name_plural = "dossiers"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "parent", "name"],
                name="mail_folder_unique_name",
                violation_error_message="Ce dossier existe déjà.",
            ),
            models.UniqueConstraint(
                fields=["owner", "name"],
                condition=Q(parent__isnull=True),
                name="mail_folder_unique_top_name",
                violation_error_message="Ce dossier existe déjà.",
            ),
        ]

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class ContactList(models.Model):
    """« Favoris »: a person's saved list of recipients (tokens of ``mail.recipients``)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mail_contact_lists",
        verbose_name="propriétaire",
    )
    name = models.CharField("nom", max_length=80)
    entries = models.JSONField("destinataires", default=list, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "liste de favoris"
        verbose_name_plural = "listes de favoris"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"],
                name="mail_contact_list_unique_name",
                violation_error_message="Vous avez déjà une liste de ce nom.",
            )
        ]

    def __str__(self):
        return self.name


class MailSettings(models.Model):
    """A person's messaging settings: the signature added under what they write."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_settings", verbose_name="personne"
    )
    signature = models.TextField("signature", max_length=1000, blank=True)

    class Meta:
        verbose_name = "réglages de messagerie"
        verbose_name_plural = "réglages de messagerie"

    def __str__(self):
        return f"Messagerie de {self.user}"


class AbuseReport(models.Model):
    """A recipient reports a message as abusive; an administrator acts on it (metadata only)."""

    class Status(models.TextChoices):
        OPEN = "ouvert", "À examiner"
        DISMISSED = "classe", "Classé sans suite"
        ACTED = "traite", "Traité"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports", verbose_name="message")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="signalé par"
    )
    reason = models.TextField("motif", max_length=2000)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField("signalé le", default=timezone.now, editable=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="traité par",
    )
    handled_at = models.DateTimeField("traité le", null=True, blank=True)

    class Meta:
        verbose_name = "signalement"
        verbose_name_plural = "signalements"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "reporter"],
                condition=Q(status="ouvert"),
                name="mail_report_once_open",
                violation_error_message="Vous avez déjà signalé ce message.",
            )
        ]

    def __str__(self):
        return f"Signalement du message {self.message_id}"


class MailAction(models.TextChoices):
    """What the audit trail records of the messaging (never the content)."""

    SENT = "mail.message.sent", "Envoi"
    SCHEDULED = "mail.message.scheduled", "Envoi programmé"
    CANCELLED = "mail.message.cancelled", "Envoi annulé"
    RECALLED = "mail.message.recalled", "Message rappelé"
    REMINDED = "mail.message.reminded", "Relance des non-lecteurs"
    HANDLED = "mail.message.handled", "Pris en charge (boîte partagée)"
    REPORTED = "mail.message.reported", "Signalement"
    REPORT_HANDLED = "mail.report.handled", "Signalement traité"
