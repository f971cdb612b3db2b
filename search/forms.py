from django import forms
from django.utils import timezone

from ent.forms import DsfrForm
from search import registry


def _years() -> list[tuple[str, str]]:
    today = timezone.localdate()
    current = today.year if today.month >= 9 else today.year - 1
    return [("", "Toutes")] + [(f"{y}-{y + 1}", f"{y}-{y + 1}") for y in range(current, current - 6, -1)]


class SearchForm(DsfrForm):
    mark_optional = False  # a search
    q = forms.CharField(label="Rechercher", max_length=200, required=False)
    type = forms.ChoiceField(label="Type", required=False)
    annee = forms.ChoiceField(label="Année scolaire", required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "Tous")] + [(p.kind, p.label) for p in registry.providers(user)]
        self.fields["annee"].choices = _years()
