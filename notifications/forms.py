from django import forms

from ent.forms import DsfrForm

from . import kinds
from .kinds import Frequency


def _field_name(key: str) -> str:
    return "kind_" + key.replace(".", "__")


def _push_field_name(key: str) -> str:
    return "push_" + key.replace(".", "__")


class PreferencesForm(DsfrForm):
    """One "how often by e-mail" choice per kind the person can receive, grouped by app, and the quiet
    hours. A kind not offered has no field: a value posted for it is ignored."""

    quiet_hours = forms.BooleanField(
        label="Respecter mon droit à la déconnexion",
        required=False,
        help_text="Aucun e-mail immédiat entre 20 h et 7 h ni le samedi et le dimanche : "
        "ils vous parviennent à 7 h le jour ouvré suivant. Les résumés quotidiens ne partent pas le week-end.",
    )

    def __init__(
        self,
        *args,
        offered: list[kinds.Kind],
        initial_frequencies: dict[str, str],
        initial_push: dict[str, bool] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        initial_push = initial_push or {}
        self.offered = list(offered)
        self.kind_fields: dict[str, str] = {}
        self.push_fields: dict[str, str] = {}
        for kind in self.offered:
            name = _field_name(kind.key)
            self.kind_fields[kind.key] = name
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                choices=Frequency.choices,
                initial=initial_frequencies.get(kind.key, kind.default_frequency),
                help_text=f"Par défaut : {Frequency(kind.default_frequency).label.lower()}.",
            )
            push_name = _push_field_name(kind.key)
            self.push_fields[kind.key] = push_name
            self.fields[push_name] = forms.BooleanField(
                label=f"{kind.label} : sur mes appareils",
                required=False,
                initial=initial_push.get(kind.key, True),
            )

    def groups(self) -> list[tuple[str, list]]:
        """``[(app name, [(e-mail field, push field), …]), …]`` for the template."""
        return [
            (
                app_name,
                [(self[self.kind_fields[kind.key]], self[self.push_fields[kind.key]]) for kind in app_kinds],
            )
            for app_name, app_kinds in kinds.grouped_by_app(self.offered)
        ]

    def frequencies(self) -> dict[str, str]:
        return {key: self.cleaned_data[name] for key, name in self.kind_fields.items()}

    def push(self) -> dict[str, bool]:
        return {key: self.cleaned_data[name] for key, name in self.push_fields.items()}
