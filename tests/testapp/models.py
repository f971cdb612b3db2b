from django.db import models

from accounts.audiences import AudienceFields
from ent.publication import Publishable
from ent.richtext import RichTextField


class Notice(AudienceFields):
    """A test-only piece of information addressed to an audience."""

    title = models.CharField(max_length=100)

    class Meta:
        app_label = "testapp"

    def __str__(self):
        return self.title


class Bulletin(Publishable):
    """A test-only publishable model: ``announcements`` counts how often its service told people."""

    title = models.CharField(max_length=100)
    announcements = models.PositiveSmallIntegerField(default=0)

    class Meta:
        app_label = "testapp"
        ordering = ["pk"]

    def __str__(self):
        return self.title


class Article(models.Model):
    """A test-only model with rich text, one with the default headings and one with h4 too."""

    body = RichTextField(blank=True)
    notes = RichTextField(blank=True, heading_levels=(2, 3, 4))

    class Meta:
        app_label = "testapp"

    def __str__(self):
        return f"Article {self.pk}"
