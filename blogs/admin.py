from django import forms
from django.contrib import admin
from django_prose_editor.fields import ProseEditorField

from ent.widgets import RichTextWidget

from .models import Blog, Comment, CommentReport, Post, PostImage, Tag


@admin.register(Blog)
class BlogAdmin(admin.ModelAdmin):
    list_display = ("title", "owner_kind", "audience", "is_weekly_series", "is_public", "comment_policy")
    list_filter = ("owner_kind", "is_weekly_series", "is_public", "comment_policy")
    search_fields = ("title", "slug")
    filter_horizontal = ("owner_structures", "contributor_users", "contributor_structures", "audience_structures")
    raw_id_fields = ("created_by",)
    # The cover is the blog's own media (sent on the site, deleted with the blog): not chosen here.
    readonly_fields = ("cover", "created_at", "updated_at")


class PostImageInline(admin.TabularInline):
    """Images are added and removed on the site (with their alternative text); here only caption and order."""

    model = PostImage
    fields = ("media", "caption", "position")
    readonly_fields = ("media",)
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PostAdminForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["blog", "title", "body", "tags", "status", "published_at", "week_start", "author"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostAdminForm
    # The package's admin widget needs an inline import map, refused by the CSP: use ours.
    formfield_overrides = {ProseEditorField: {"widget": RichTextWidget}}
    list_display = ("title", "blog", "status", "published_at", "week_start", "author")
    list_filter = ("status", "blog")
    search_fields = ("title",)
    date_hierarchy = "published_at"
    raw_id_fields = ("author",)
    filter_horizontal = ("tags",)
    readonly_fields = ("reading_minutes", "created_at", "updated_at")
    inlines = [PostImageInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "slug")
    list_filter = ("kind",)
    search_fields = ("name",)


class CommentReportInline(admin.TabularInline):
    model = CommentReport
    raw_id_fields = ("reporter", "resolved_by")
    extra = 0


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "post", "author", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("body",)
    raw_id_fields = ("post", "author", "moderated_by")
    inlines = [CommentReportInline]
