from django.db import models

from accounts.audiences import AudienceFields


class Notice(AudienceFields):
    """A test-only piece of information addressed to an audience."""

    title = models.CharField(max_length=100)

    class Meta:
        app_label = "testapp"

    def __str__(self):
        return self.title
