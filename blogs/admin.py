from django import forms
from django.contrib import admin
from django_prose_editor.fields import ProseEditorField

from ent.admin import BoundedDatesAdminMixin
from ent.widgets import RichTextWidget

from . import services
from .models import Blog, Comment, CommentReport, Post, PostImage, Tag


@admin.register(Blog)
class BlogAdmin(BoundedDatesAdminMixin, admin.ModelAdmin):
    list_display = ("title", "owner_kind", "audience", "is_weekly_series", "is_public", "comment_policy")
    list_filter = ("owner_kind", "is_weekly_series", "is_public", "comment_policy")
    search_fields = ("title", "slug")
    filter_horizontal = ("owner_structures", "contributor_users", "contributor_structures", "audience_structures")
    raw_id_fields = ("cover", "created_by")
    readonly_fields = ("created_at", "updated_at")

    # Through the service, so that the files of the cover and of the posts' images go too.
    def delete_model(self, request, obj):
        services.blog_delete(actor=request.user, blog=obj)

    def delete_queryset(self, request, queryset):
        for blog in queryset:
            services.blog_delete(actor=request.user, blog=blog)


class PostImageInline(admin.TabularInline):
    model = PostImage
    raw_id_fields = ("media",)
    extra = 0


class PostAdminForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["blog", "title", "body", "tags", "status", "published_at", "week_start", "author"]


@admin.register(Post)
class PostAdmin(BoundedDatesAdminMixin, admin.ModelAdmin):
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

    def delete_model(self, request, obj):
        services.post_delete(actor=request.user, post=obj)

    def delete_queryset(self, request, queryset):
        for post in queryset.select_related("blog"):
            services.post_delete(actor=request.user, post=post)


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
