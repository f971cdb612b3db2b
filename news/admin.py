from django.contrib import admin
from django_prose_editor.fields import ProseEditorField

from ent.admin import BoundedDatesAdminMixin
from ent.widgets import RichTextWidget

from .models import Acknowledgement, FeedToken, Post, PostRevision, Registration


class PostRevisionInline(admin.TabularInline):
    model = PostRevision
    extra = 0
    can_delete = False
    fields = ("created_at", "editor", "action", "changes")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(BoundedDatesAdminMixin, admin.ModelAdmin):
    list_display = ("title", "feed", "status", "published_at", "expires_at", "pinned", "author")
    list_filter = ("feed", "status", "pinned", "requires_ack")
    search_fields = ("title", "summary", "slug")
    date_hierarchy = "published_at"
    raw_id_fields = ("author", "reviewed_by", "cover")
    filter_horizontal = ("audience_structures",)
    readonly_fields = ("last_reminded_at", "created_at", "updated_at")
    inlines = [PostRevisionInline]
    # The package's admin widget needs an inline import map, refused by the CSP: use ours.
    formfield_overrides = {ProseEditorField: {"widget": RichTextWidget}}


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    list_display = ("post", "school", "user", "acknowledged_at")
    list_select_related = ("post", "school", "user")
    raw_id_fields = ("post", "school", "user")


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("post", "school", "class_name", "level", "pupil_count", "registered_by")
    list_select_related = ("post", "school", "registered_by")
    raw_id_fields = ("post", "school", "registered_by")


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    search_fields = ("user__email", "user__last_name")
    raw_id_fields = ("user",)
    # The key is a password for the person's feeds: never shown (renewing it is the person's own page).
    exclude = ("key",)
    readonly_fields = ("created_at",)
