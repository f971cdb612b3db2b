"""The search index: one row per searchable object, written by the services that write the object.

``Entry`` keeps what a result shows (title, plain text, place, address, date, school year) and two
ways of matching it: ``key`` (``mail.text.search_key`` of title and text: no accents, no case) for
SQLite, and ``vector`` (a ``tsvector`` in the ``fr_unaccent`` configuration, GIN-indexed) filled
on PostgreSQL only. Rights are not here: a provider keeps the entries whose ``object_id`` is in its
app's ``*_visible_to(user)`` queryset.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class Entry(models.Model):
    kind = models.CharField("type", max_length=40)
    object_id = models.PositiveBigIntegerField("objet")
    title = models.CharField("titre", max_length=300)
    body = models.TextField("texte", blank=True)
    place = models.CharField("où", max_length=300, blank=True)
    url = models.CharField("adresse", max_length=500)
    date = models.DateTimeField("date", null=True, blank=True)
    school_year = models.CharField("année scolaire", max_length=9, blank=True)
    title_key = models.TextField(blank=True, editable=False)
    key = models.TextField(blank=True, editable=False)
    # PostgreSQL only (null elsewhere): setweight(title, 'A') || setweight(body, 'B').
    vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "entrée de la recherche"
        verbose_name_plural = "entrées de la recherche"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique")]
        indexes = [models.Index(fields=["kind", "school_year", "-date"], name="search_entry_kind_idx")]

    def __str__(self):
        return f"{self.kind} n° {self.object_id}"
