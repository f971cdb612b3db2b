from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.safestring import SafeString

from ent.forms import DsfrForm, DsfrFormMixin, DsfrModelForm, FieldsDrawnOnce

from .models import Structure, User


class ProfileForm(DsfrModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class DirectorySearchForm(DsfrForm):
    mark_optional = False  # a search
    q = forms.CharField(
        label="Rechercher une école", required=False, max_length=100, help_text="Nom, commune ou code UAI"
    )
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Toutes les structures"), *Structure.Kind.choices]
    )


SEARCH_FIELDS = FieldsDrawnOnce(
    "accounts/directory.html#search_fields",
    lambda data: DirectorySearchForm(dict(data) if data is not None else None),
    maxsize=16,
)


def directory_fields_html(form: DirectorySearchForm) -> SafeString:
    """The directory's search fields as drawn for this form. Without a search typed (the directory
    as it opens, or only a kind chosen) they are the same for everyone: drawn once per process
    (about half the page's own time through Django's widget templates). What a person typed, or a
    wrong choice with its message, is drawn now and kept nowhere."""
    if form.data.get("q") or (form.is_bound and not form.is_valid()):
        return SEARCH_FIELDS.now(form)
    return SEARCH_FIELDS.kept(
        tuple((name, form.data[name]) for name in ("q", "kind") if name in form.data) if form.is_bound else None
    )


class InvitationPasswordForm(DsfrFormMixin, SetPasswordForm):
    """Django's set-password form, with French labels from its translations."""


class LoginForm(AllauthLoginForm):
    """allauth's login form, labelled for the district's people; the reset link sits outside the label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Adresse e-mail"
        self.fields["login"].help_text = "Votre adresse professionnelle, par exemple prenom.nom@ac-poitiers.fr"
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("aria-describedby", None)
