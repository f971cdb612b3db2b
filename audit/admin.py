"""The audit trail in the admin: read only (nobody adds, changes or deletes a row).

``EventInline`` shows an object's history on its own admin page; the list of every event is
filtered by action and searched by the acting person.
"""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.html import format_html, format_html_join

from ent.admin import ReadOnlyAdminMixin

from . import actions
from .models import Event


class ActionFilter(admin.SimpleListFilter):
    title = "action"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(action.code, f"{action.app_name} — {action.label}") for action in actions.all_actions()]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


def changes_table(event: Event) -> str:
    if not event.changes:
        return "—"
    rows = format_html_join(
        "",
        "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
        ((c.get("label", ""), c.get("before") or "—", c.get("after") or "—") for c in event.changes),
    )
    return format_html(
        "<table><thead><tr><th scope='col'>Champ</th><th scope='col'>Avant</th>"
        "<th scope='col'>Après</th></tr></thead><tbody>{}</tbody></table>",
        rows,
    )


@admin.register(Event)
class EventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "label", "target_repr", "target_type", "actor")
    list_filter = (ActionFilter, "target_type")
    search_fields = ("actor__first_name", "actor__last_name", "actor__email")
    search_help_text = "Prénom, nom ou adresse e-mail de la personne qui a agi"
    list_select_related = ("actor", "target_type")
    date_hierarchy = "created_at"
    list_per_page = 100
    fields = ("created_at", "actor", "label", "action", "target_type", "target_id", "target_repr", "changes_list")
    readonly_fields = fields

    @admin.display(description="modifications")
    def changes_list(self, event):
        return changes_table(event)


class EventInline(ReadOnlyAdminMixin, GenericTabularInline):
    """The history of the object of this admin page (newest first), for those who may view it."""

    model = Event
    ct_field = "target_type"
    ct_fk_field = "target_id"
    extra = 0
    can_delete = False
    fields = ("created_at", "label", "actor", "changes_list")
    readonly_fields = fields
    verbose_name_plural = "historique (qui a fait quoi, et quand)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor").order_by("-created_at", "-pk")

    def has_view_permission(self, request, obj=None):
        opts = self.parent_model._meta
        return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or request.user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        )

    @admin.display(description="modifications")
    def changes_list(self, event):
        return changes_table(event)
