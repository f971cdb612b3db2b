from django import forms

from ent.forms import DsfrForm
from uploads.forms import DocumentUploadField


class DocumentForm(DsfrForm):
    files_not_kept_field = "file"

    title = forms.CharField(label="Titre", max_length=200, error_messages={"required": "Donnez un titre au document."})
    summary = forms.CharField(label="Résumé", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    tags = forms.CharField(label="Mots-clés", required=False, max_length=200, help_text="Séparés par des virgules.")
    school_year = forms.CharField(
        label="Année scolaire", required=False, max_length=9, help_text="Par exemple 2026-2027."
    )
    file = DocumentUploadField(label="Fichier", help_text="PDF, traitement de texte, tableur ou présentation.")


class ReplaceForm(DsfrForm):
    files_not_kept_field = "file"

    file = DocumentUploadField(label="Nouveau fichier", help_text="Les versions précédentes restent disponibles.")
