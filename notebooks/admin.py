from django import forms
from django.contrib import admin

from audit.admin import EventInline
from ent.admin import ReadOnlyAdminMixin, ServiceModelAdmin

from . import permissions, services
from .models import BookExport, Notebook, Page

ADMIN_FIELDS = [*services.NOTEBOOK_FIELDS, "school", *services.NOTEBOOK_RELATIONS]


class NotebookAdminForm(forms.ModelForm):
    """A notebook's settings, as on the site; the service sets its relations and records the change."""

    class Meta:
        model = Notebook
        fields = ADMIN_FIELDS

    def notebook_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ADMIN_FIELDS}


@admin.register(Notebook)
class NotebookAdmin(ServiceModelAdmin):
    """Every write goes through notebooks.services, as on the site (permissions, audit trail)."""

    form = NotebookAdminForm
    list_display = ("title", "audience", "opens_on", "closes_on", "policy")
    list_filter = ("policy", "audience")
    search_fields = ("title", "slug", "theme")
    filter_horizontal = ("contributor_users", "contributor_structures", "audience_structures")
    readonly_fields = ("slug", "cover", "created_by", "created_at", "updated_at")
    inlines = [EventInline]

    def may_add(self, user):
        return permissions.can_create_notebook(user)

    def may_change(self, user, obj):
        return permissions.can_manage_notebook(user, obj)

    def may_delete(self, user, obj):
        return permissions.can_manage_notebook(user, obj)

    def create(self, request, form):
        return services.notebook_create(actor=request.user, **form.notebook_fields())

    def update(self, request, obj, form):
        stored = Notebook.objects.get(pk=obj.pk)
        return services.notebook_update(actor=request.user, notebook=stored, **form.notebook_fields())

    def delete(self, request, obj):
        services.notebook_delete(actor=request.user, notebook=obj)


@admin.register(Page)
class PageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Pages are written on the site (locks, versions, validation); here they are read, and deleted
    through ``page_delete`` by whoever manages their notebook."""

    list_display = ("title", "notebook", "school", "class_label", "status", "updated_at")
    list_filter = ("status",)
    search_fields = ("title", "notebook__title", "school__name")
    list_select_related = ("notebook", "school")
    inlines = [EventInline]

    def has_delete_permission(self, request, obj=None):
        return obj is None or permissions.can_delete_page(request.user, obj)

    def delete_model(self, request, obj):
        services.page_delete(actor=request.user, page=obj)

    def delete_queryset(self, request, queryset):
        for page in queryset:
            services.page_delete(actor=request.user, page=page)


@admin.register(BookExport)
class BookExportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The books made by the ``notebooks.export_book`` task: read only."""

    list_display = ("notebook", "format", "status", "progress", "created_at", "finished_at")
    list_filter = ("format", "status")
    list_select_related = ("notebook",)
