"""Forms of the mailbox side: folders, « Déplacer vers », « Signaler un abus », the search."""

from django import forms

from ent.forms import DsfrForm

from .models import Folder


class FolderForm(DsfrForm):
    name = forms.CharField(label="Nom du dossier", max_length=Folder._meta.get_field("name").max_length)
    parent = forms.ModelChoiceField(
        label="Dans le dossier",
        queryset=Folder.objects.none(),
        required=False,
        empty_label="Aucun (dossier principal)",
        help_text="Un dossier se range dans un dossier principal, sur un niveau.",
    )

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owner is not None:
            self.fields["parent"].queryset = Folder.objects.filter(owner=owner, parent__isnull=True).order_by("name")


class FolderRenameForm(DsfrForm):
    name = forms.CharField(label="Nouveau nom", max_length=Folder._meta.get_field("name").max_length)


class MoveForm(DsfrForm):
    folder = forms.ModelChoiceField(
        label="Déplacer vers",
        queryset=Folder.objects.none(),
        required=False,
        empty_label="Boîte de réception",
    )
    mark_optional = False  # « Boîte de réception » is a choice, not an absence

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owner is not None:
            self.fields["folder"].queryset = Folder.objects.filter(owner=owner).select_related("parent")


class ReportForm(DsfrForm):
    reason = forms.CharField(
        label="Ce qui pose problème",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Un administrateur lira votre signalement ; il ne voit pas le contenu du message.",
    )


class SearchForm(DsfrForm):
    q = forms.CharField(label="Rechercher dans ma messagerie", max_length=200, required=False)
    mark_optional = False  # a filter
