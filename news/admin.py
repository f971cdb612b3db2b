from django.contrib import admin
from django_prose_editor.fields import ProseEditorField

from audit.admin import EventInline
from ent.widgets import RichTextWidget

from .models import Acknowledgement, FeedToken, Post, Registration


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("title", "feed", "status", "published_at", "expires_at", "pinned", "author")
    list_filter = ("feed", "status", "pinned", "requires_ack")
    search_fields = ("title", "summary", "slug")
    date_hierarchy = "published_at"
    raw_id_fields = ("author", "reviewed_by", "cover")
    filter_horizontal = ("audience_structures",)
    readonly_fields = ("last_reminded_at", "created_at", "updated_at")
    inlines = [EventInline]
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
    raw_id_fields = ("user",)
    readonly_fields = ("key",)
