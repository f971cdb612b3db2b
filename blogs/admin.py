from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.utils import timezone

from accounts.imports import counted
from audit.admin import EventInline
from ent.admin import ReadOnlyAdminMixin, ServiceModelAdmin

from . import permissions, services
from .models import Blog, Comment, CommentReport, Post, PostImage, Tag


class BlogAdminForm(forms.ModelForm):
    """A blog's settings, as on the site; the service sets its relations and records the change."""

    class Meta:
        model = Blog
        fields = [*services.BLOG_FIELDS, *services.BLOG_RELATIONS]

    def blog_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in (*services.BLOG_FIELDS, *services.BLOG_RELATIONS)}


@admin.register(Blog)
class BlogAdmin(ServiceModelAdmin):
    """Every write goes through blogs.services, as on the site: permissions checked, audit trail written.
    A blog created here without contributors has its creator as contributor (``blog_create``)."""

    form = BlogAdminForm
    list_display = ("title", "owner_kind", "audience", "is_weekly_series", "is_public", "comment_policy")
    list_filter = ("owner_kind", "is_weekly_series", "is_public", "comment_policy")
    search_fields = ("title", "slug")
    filter_horizontal = ("owner_structures", "contributor_users", "contributor_structures", "audience_structures")
    # The cover is the blog's own media (sent on the site, deleted with the blog): not chosen here.
    readonly_fields = ("cover", "created_by", "created_at", "updated_at")
    inlines = [EventInline]

    def may_add(self, user):
        return permissions.can_create_blog(user)

    def may_change(self, user, obj):
        return permissions.can_manage_blog(user, obj)

    def may_delete(self, user, obj):
        return permissions.can_manage_blog(user, obj)

    def create(self, request, form):
        return services.blog_create(actor=request.user, **form.blog_fields())

    def update(self, request, obj, form):
        # ``obj`` already carries the form's values: the service compares with the stored blog.
        stored = Blog.objects.get(pk=obj.pk)
        return services.blog_update(actor=request.user, blog=stored, **form.blog_fields())

    def delete(self, request, obj):
        services.blog_delete(actor=request.user, blog=obj)


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


class CommentReportInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Reports are made on the site and decided by moderating the comment (the actions below)."""

    model = CommentReport
    fields = ("reporter", "reason", "created_at", "decision", "resolved_by", "resolved_at")
    readonly_fields = fields
    extra = 0


@admin.register(Comment)
class CommentAdmin(ServiceModelAdmin):
    """Comments are written on the site; here they are read and moderated through the site's service
    (``comment_moderate``: « Publier », « Conserver », « Retirer », each recorded in the audit trail).
    Nothing is typed in: the page is read-only. Deleting is the author's own (``comment_delete``);
    an administrator removes someone else's comment with « Retirer »."""

    list_display = ("__str__", "post", "author", "status", "open_reports", "created_at")
    list_filter = ("status",)
    search_fields = ("body",)
    fields = ("post", "author", "body", "status", "created_at", "moderated_by", "moderated_at")
    readonly_fields = fields
    inlines = [CommentReportInline, EventInline]
    actions = ("approve", "keep", "remove")

    def get_queryset(self, request):
        waiting = Count("reports", filter=Q(reports__resolved_at__isnull=True))
        return super().get_queryset(request).select_related("post__blog", "author").annotate(waiting_reports=waiting)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Only a comment's author deletes it: from its own page, never in bulk.
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description="signalements en attente", ordering="waiting_reports")
    def open_reports(self, comment):
        return comment.waiting_reports

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("blogs.change_comment")

    def may_delete(self, user, obj):
        return permissions.can_delete_comment(user, obj)

    def delete(self, request, obj):
        services.comment_delete(actor=request.user, comment=obj)

    @admin.action(description="Publier (commentaires en attente de validation)", permissions=["moderate"])
    def approve(self, request, queryset):
        self._moderate(
            request,
            queryset,
            decision=services.ModerationDecision.APPROVE,
            concerned=lambda comment: comment.status == Comment.Status.PENDING,
            labels=("commentaire publié", "commentaires publiés"),
            skipped=("n’était pas en attente", "n’étaient pas en attente"),
        )

    @admin.action(description="Conserver (clore les signalements)", permissions=["moderate"])
    def keep(self, request, queryset):
        self._moderate(
            request,
            queryset,
            decision=services.ModerationDecision.KEEP,
            concerned=lambda comment: comment.waiting_reports > 0,
            labels=("commentaire conservé", "commentaires conservés"),
            skipped=("n’avait pas de signalement en attente", "n’avaient pas de signalement en attente"),
        )

    @admin.action(description="Retirer (le commentaire n’est plus affiché)", permissions=["moderate"])
    def remove(self, request, queryset):
        self._moderate(
            request,
            queryset,
            decision=services.ModerationDecision.REMOVE,
            concerned=lambda comment: comment.status != Comment.Status.REMOVED or comment.waiting_reports > 0,
            labels=("commentaire retiré", "commentaires retirés"),
            skipped=("était déjà retiré", "étaient déjà retirés"),
        )

    def _moderate(self, request, queryset, *, decision, concerned, labels, skipped):
        """The site's moderation queue offers a decision only where it applies: the others are left as they are."""
        done = left = 0
        refused = []
        for comment in queryset:
            if not concerned(comment):
                left += 1
                continue
            try:
                services.comment_moderate(actor=request.user, comment=comment, decision=decision)
            except PermissionDenied:
                refused.append(str(comment))
                continue
            done += 1
        parts = [f"{counted(done, *labels)}."]
        if left:
            parts.append(f"{counted(left, 'commentaire', 'commentaires')} {skipped[left > 1]} : rien à faire.")
        if refused:
            parts.append(f"Vous ne pouvez pas modérer : {', '.join(refused)}.")
        self.message_user(request, " ".join(parts), messages.WARNING if refused or not done else messages.SUCCESS)
