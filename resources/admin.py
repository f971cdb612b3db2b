from django import forms
from django.contrib import admin

from ent.admin import ReadOnlyAdminMixin, ServiceModelAdmin
from uploads.forms import DocumentUploadField

from . import permissions, services
from .models import Document, Folder, Version


@admin.register(Folder)
class FolderAdmin(ServiceModelAdmin):
    """Folders are written by resources.services, as on the site."""

    list_display = ["name", "theme", "audience", "position"]
    list_filter = ["theme", "audience"]
    search_fields = ["name", "description"]
    filter_horizontal = ["audience_structures"]
    fields = ["theme", "name", "description", "position", "audience", "audience_structures"]

    def may_add(self, user):
        return permissions.can_manage(user)

    def may_change(self, user, obj):
        return permissions.can_manage(user)

    def may_delete(self, user, obj):
        return permissions.can_manage(user)

    def _fields(self, form):
        data = form.cleaned_data
        return {name: data[name] for name in services.FOLDER_FIELDS}, list(data.get("audience_structures") or ())

    def create(self, request, form):
        fields, structures = self._fields(form)
        return services.folder_create(actor=request.user, audience_structures=structures, **fields)

    def update(self, request, obj, form):
        fields, structures = self._fields(form)
        return services.folder_update(folder=obj, actor=request.user, audience_structures=structures, **fields)

    def delete(self, request, obj):
        services.folder_delete(folder=obj, actor=request.user)


class DocumentAdminForm(forms.ModelForm):
    file = DocumentUploadField(
        label="Nouveau fichier",
        required=False,
        help_text="Obligatoire pour ajouter un document ; pour un document existant, remplace le fichier "
        "(les versions précédentes restent).",
    )

    class Meta:
        model = Document
        fields = ["folder", *services.DOCUMENT_FIELDS]

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not data.get("file"):
            self.add_error("file", "Choisissez le fichier du document.")
        return data


class VersionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Version
    fields = ["number", "media", "uploaded_by", "created_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Document)
class DocumentAdmin(ServiceModelAdmin):
    form = DocumentAdminForm
    list_display = ["title", "folder", "school_year", "version", "download_count", "created_at"]
    list_filter = ["folder__theme", "folder", "school_year"]
    search_fields = ["title", "summary", "tags"]
    readonly_fields = ["version", "updated_at", "download_count", "created_by", "created_at"]
    inlines = [VersionInline]

    def may_add(self, user):
        return permissions.can_manage(user)

    def may_change(self, user, obj):
        return permissions.can_manage(user)

    def may_delete(self, user, obj):
        return permissions.can_manage(user)

    def create(self, request, form):
        data = form.cleaned_data
        return services.document_create(
            folder=data["folder"],
            file=data["file"],
            actor=request.user,
            **{name: data[name] for name in services.DOCUMENT_FIELDS},
        )

    def update(self, request, obj, form):
        data = form.cleaned_data
        document = services.document_update(
            document=obj,
            actor=request.user,
            folder=data["folder"],
            **{name: data[name] for name in services.DOCUMENT_FIELDS},
        )
        if data.get("file"):
            document = services.document_replace_file(document=document, file=data["file"], actor=request.user)
        return document

    def delete(self, request, obj):
        services.document_delete(document=obj, actor=request.user)
