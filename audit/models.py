"""The audit trail: who did what, to which object, when, and which fields changed.

One row per action a service performs (``audit.services.record``). The target is any model
(content type + id); its short text is kept, so the row still says what it was about once the
object is deleted. Rows are never changed nor deleted by the application.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class Event(models.Model):
    created_at = models.DateTimeField("le", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
        help_text="Vide : une tâche automatique (publication programmée…) ou une personne supprimée depuis.",
    )
    action = models.CharField("code de l’action", max_length=80)
    label = models.CharField("action", max_length=300)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name="type d’objet"
    )
    target_id = models.PositiveBigIntegerField("identifiant de l’objet")
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField("objet", max_length=200)
    # [{"field": "title", "label": "Titre", "before": "…", "after": "…"}, …]
    changes = models.JSONField("modifications", default=list, blank=True)

    class Meta:
        verbose_name = "action enregistrée"
        verbose_name_plural = "journal des actions"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "-created_at"], name="audit_event_target_idx"),
            models.Index(fields=["actor", "-created_at"], name="audit_event_actor_idx"),
            models.Index(fields=["action", "-created_at"], name="audit_event_action_idx"),
        ]

    def __str__(self):
        return f"{self.label} — {self.target_repr}"
