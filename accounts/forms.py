from django import forms
from django.contrib.auth.forms import SetPasswordForm

from ent.forms import DsfrForm, DsfrFormMixin, DsfrModelForm

from .models import Structure, User


class ProfileForm(DsfrModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class DirectorySearchForm(DsfrForm):
    q = forms.CharField(
        label="Rechercher une école", required=False, max_length=100, help_text="Nom, commune ou code UAI"
    )
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Toutes les structures"), *Structure.Kind.choices]
    )


class InvitationPasswordForm(DsfrFormMixin, SetPasswordForm):
    """Django's set-password form, with French labels from its translations."""
