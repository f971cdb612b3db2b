"""Events of the district's school year, the official school holidays, and calendar subscriptions."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.audiences import AudienceFields
from accounts.models import PrivateLinkKey, Structure
from ent import dates

from .categories import Category, style_of
from .validators import validate_related_url, validate_web_url


class EventQuerySet(models.QuerySet):
    def overlapping(self, first_day, last_day):
        """Events with at least one day between ``first_day`` and ``last_day`` (inclusive)."""
        return self.filter(start_date__lte=last_day, end_date__gte=first_day)

    def upcoming(self, today=None):
        """Events not yet over (still running today, or later)."""
        return self.filter(end_date__gte=today or timezone.localdate())

    def deadlines(self):
        return self.filter(category=Category.DEADLINE)

    def chronological(self):
        return self.order_by("start_date", "starts_at", "end_date", "title", "pk")


class Event(AudienceFields):
    """An event on the frise: a meeting, a training, a deadline, a project's dates…

    An event lasts whole days (``all_day``: ``start_date`` to ``end_date``, inclusive) or runs
    between two instants (``starts_at``/``ends_at``, aware datetimes). ``start_date``/``end_date``
    are always set: for a timed event they are the Paris dates of its start and end, computed on
    save, so that one date-range query serves both kinds.

    ``school`` is set for a school's own event, added by its director and addressed to its members.
    """

    title = models.CharField("titre", max_length=200)
    description = models.TextField("description", blank=True)
    category = models.CharField("catégorie", max_length=20, choices=Category.choices, default=Category.OTHER)
    all_day = models.BooleanField("toute la journée", default=True)
    start_date = models.DateField("premier jour")
    end_date = models.DateField("dernier jour")
    starts_at = models.DateTimeField("début", null=True, blank=True)
    ends_at = models.DateTimeField("fin", null=True, blank=True)
    place = models.CharField("lieu", max_length=250, blank=True)
    video_url = models.URLField("lien de visioconférence", max_length=500, blank=True, validators=[validate_web_url])
    related_url = models.CharField(
        "lien vers une actualité",
        max_length=500,
        blank=True,
        validators=[validate_related_url],
        help_text="Une page du site (commençant par /) ou une adresse web complète.",
    )
    school = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="timeline_events",
        verbose_name="école",
        help_text="Pour un événement propre à une école, ajouté par sa direction.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ajouté par",
    )
    created_at = models.DateTimeField("ajouté le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", default=timezone.now)
    sequence = models.PositiveIntegerField(
        "révision", default=0, help_text="Augmente à chaque modification (SEQUENCE des agendas)."
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "événements"
        ordering = ["start_date", "starts_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="timeline_event_end_after_start"
            ),
            models.CheckConstraint(
                condition=(Q(all_day=True) & Q(starts_at__isnull=True) & Q(ends_at__isnull=True))
                | (
                    Q(all_day=False)
                    & Q(starts_at__isnull=False)
                    & Q(ends_at__isnull=False)
                    & Q(ends_at__gte=models.F("starts_at"))
                ),
                name="timeline_event_all_day_or_timed",
            ),
        ]
        indexes = [
            models.Index(fields=["start_date", "end_date"], name="timeline_event_dates"),
            models.Index(fields=["category", "end_date"], name="timeline_event_category_end"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.sync_dates()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("timeline:event-detail", args=[self.pk])

    def sync_dates(self) -> None:
        """For a timed event, the Paris dates of its start and of its end."""
        if self.all_day:
            self.starts_at = self.ends_at = None
            return
        if self.starts_at is None or self.ends_at is None:
            return
        self.start_date = timezone.localtime(self.starts_at, dates.PARIS).date()
        local_end = timezone.localtime(self.ends_at, dates.PARIS)
        if local_end.time() == local_end.time().min and self.ends_at > self.starts_at:
            # Ending at midnight: the event's last day is the day before.
            local_end -= timedelta(microseconds=1)
        self.end_date = max(local_end.date(), self.start_date)

    @property
    def style(self):
        return style_of(self.category)

    @property
    def is_deadline(self) -> bool:
        return self.category == Category.DEADLINE

    @property
    def is_multi_day(self) -> bool:
        return self.end_date > self.start_date

    @property
    def when(self) -> str:
        """« du lundi 12 au mercredi 14 octobre 2026 », « le jeudi 1er octobre 2026 de 9 h à 12 h »."""
        if self.all_day:
            return dates.format_date_range(self.start_date, self.end_date)
        return dates.format_datetime_range(self.starts_at, self.ends_at)

    @property
    def is_school_event(self) -> bool:
        return self.school_id is not None


class SchoolHoliday(models.Model):
    """An official school holiday of one zone, from the ministry's calendar.

    ``start`` is the first date of the holiday as the official calendar gives it (the day classes
    end), ``end`` the last day off (the day before classes resume); ``end`` is empty while the
    next year's calendar, which fixes the date of the next rentrée, is not published.
    """

    school_year = models.CharField("année scolaire", max_length=9, help_text="Par exemple « 2026-2027 ».")
    name = models.CharField("nom", max_length=100)
    zone = models.CharField("zone", max_length=1, default="A")
    start = models.DateField("début")
    end = models.DateField(
        "dernier jour",
        null=True,
        blank=True,
        help_text="Vide tant que la date de la rentrée suivante n’est pas publiée.",
    )
    source = models.CharField("source", max_length=500, blank=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "vacances scolaires"
        verbose_name_plural = "vacances scolaires"
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "name", "zone"], name="timeline_holiday_natural_key"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="timeline_holiday_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.school_year} (zone {self.zone})"

    @property
    def short_name(self) -> str:
        """The word a narrow band on the frise can hold: « Toussaint », « Noël », « Été »…"""
        for prefix in ("Vacances de la ", "Vacances de ", "Vacances d’", "Vacances d'", "Pont de l’", "Pont de l'"):
            if self.name.startswith(prefix):
                rest = self.name[len(prefix) :]
                return rest[:1].upper() + rest[1:]
        return self.name

    @property
    def when(self) -> str:
        if self.end is None:
            return f"à partir du {dates.format_day(self.start)}"
        return dates.format_date_range(self.start, self.end)


class CalendarToken(PrivateLinkKey):
    """A person's private calendar subscription address. Regenerating it revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token", verbose_name="personne"
    )
    # The person's choice, kept with their address: changing it changes what their already subscribed
    # calendars show at their next refresh, without subscribing again (and renewing the key keeps it).
    include_holidays = models.BooleanField(
        "vacances scolaires incluses",
        default=False,
        help_text="Le flux contient aussi les vacances scolaires de la zone, en journées entières.",
    )

    class Meta:
        verbose_name = "abonnement d’agenda"
        verbose_name_plural = "abonnements d’agenda"

    def __str__(self):
        return f"Abonnement d’agenda de {self.user}"

    def get_absolute_url(self):
        return reverse("timeline:feed", args=[self.key])


class TimelineAction(models.TextChoices):
    """What the audit trail records on the frise (``audit.services.record``): who, when, what changed."""

    EVENT_CREATED = "timeline.event.created", "Création de l’événement"
    EVENT_UPDATED = "timeline.event.updated", "Modification de l’événement"
    EVENT_DELETED = "timeline.event.deleted", "Suppression de l’événement"
