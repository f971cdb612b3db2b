from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.contrib.auth.forms import SetPasswordForm

from ent.forms import DsfrForm, DsfrFormMixin, DsfrModelForm

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
