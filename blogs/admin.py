from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.imports import counted
from ent.admin import BoundedDatesAdminMixin, ServiceModelAdmin

from . import permissions, services
from .models import Blog, Comment, CommentReport, Post, PostImage, Tag


@admin.register(Blog)
class BlogAdmin(BoundedDatesAdminMixin, admin.ModelAdmin):
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
    """The text of a post; its status and date are changed by the actions, through the services."""

    class Meta:
        model = Post
        fields = ["blog", "title", "body", "tags", "week_start"]

    def clean(self):
        cleaned = super().clean()
        blog = self.instance.blog if self.instance.pk else cleaned.get("blog")
        if self.errors or blog is None:
            return cleaned
        # What the service checks again when saving, shown on the form instead of failing there.
        try:
            week = services.post_week_check(blog=blog, week_start=cleaned.get("week_start"), post=self.instance)
        except ValidationError as error:
            self.add_error("week_start", error.message_dict.get("week", error.messages))
            return cleaned
        cleaned["week_start"] = week
        if self.instance.status == Post.Status.SCHEDULED and self.instance.published_at <= timezone.now():
            self.add_error(
                None, "Ce billet est en train d’être publié : enregistrez vos modifications dans une minute."
            )
        return cleaned


def _keep_status(post: Post) -> str:
    """The service action that saves the text and leaves the status as it is."""
    return {
        Post.Status.PUBLISHED: services.PostAction.PUBLISH,
        Post.Status.SCHEDULED: services.PostAction.SCHEDULE,
    }.get(post.status, services.PostAction.DRAFT)


def _text(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "body": data.get("body") or "",
        "tags": data.get("tags") or (),
        "week_start": data.get("week_start"),
    }


@admin.register(Post)
class PostAdmin(ServiceModelAdmin):
    """Every write goes through blogs.services, as on the site: publishing here tells the readers.
    Status and publication date are read-only; « Publier maintenant » and « Remettre en brouillon »
    are actions."""

    form = PostAdminForm
    list_display = ("title", "blog", "status", "published_at", "week_start", "author")
    list_filter = ("status", "blog")
    search_fields = ("title",)
    date_hierarchy = "published_at"
    filter_horizontal = ("tags",)
    readonly_fields = ("status", "published_at", "author", "reading_minutes", "created_at", "updated_at")
    inlines = [PostImageInline]
    actions = ("publish", "unpublish")

    def get_readonly_fields(self, request, obj=None):
        return ("blog", *self.readonly_fields) if obj is not None else self.readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("blog")

    def may_change(self, user, obj):
        return permissions.can_edit_post(user, obj)

    def may_delete(self, user, obj):
        return permissions.can_delete_post(user, obj)

    def create(self, request, form):
        return services.post_create(actor=request.user, blog=form.cleaned_data["blog"], **_text(form))

    def update(self, request, obj, form):
        return services.post_update(
            actor=request.user, post=obj, action=_keep_status(obj), publish_at=obj.published_at, **_text(form)
        )

    def delete(self, request, obj):
        services.post_delete(actor=request.user, post=obj)

    @admin.action(description="Publier maintenant", permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, services.post_publish, ("billet publié", "billets publiés"))

    @admin.action(description="Remettre en brouillon", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(
            request, queryset, services.post_unpublish, ("billet remis en brouillon", "billets remis en brouillon")
        )

    def _set_status(self, request, queryset, service, labels):
        changed = unchanged = 0
        refused = []
        for post in queryset.select_related("blog"):
            try:
                done = service(actor=request.user, post=post)
            except PermissionDenied:
                refused.append(post.title)
                continue
            changed += done
            unchanged += not done
        parts = [f"{counted(changed, *labels)}."]
        if unchanged:
            parts.append(
                f"{counted(unchanged, 'billet était déjà dans cet état', 'billets étaient déjà dans cet état')}."
            )
        if refused:
            parts.append(f"Vous ne pouvez pas modifier : {', '.join(refused)}.")
        self.message_user(request, " ".join(parts), messages.SUCCESS if changed and not refused else messages.WARNING)


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
