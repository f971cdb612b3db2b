from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.imports import counted
from accounts.models import Structure
from audit.admin import EventInline
from ent.admin import ReadOnlyAdminMixin, ServiceModelAdmin

from . import permissions, services
from .models import Acknowledgement, FeedToken, Post, PostStatus, Registration


class PostAdminForm(forms.ModelForm):
    """What the site's form offers; status, dates of publication and authorship are the services'."""

    class Meta:
        model = Post
        fields = [
            "feed",
            "slug",
            "title",
            "summary",
            "body",
            "expires_at",
            "pinned",
            "audience_structures",
            "requires_ack",
            "ack_due_date",
            "registration_closes_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "audience_structures" in self.fields:
            self.fields["audience_structures"].queryset = Structure.objects.schools()
            self.fields["audience_structures"].label = "écoles destinataires"
            self.fields["audience_structures"].help_text = "Vide : tout le public du fil."
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = "Vide : tiré du titre."

    def post_input(self) -> services.PostInput:
        data = self.cleaned_data
        return services.PostInput(
            title=data.get("title") or "",
            summary=data.get("summary") or "",
            body=data.get("body") or "",
            # Not editable here: the date stays the one the services set.
            published_at=self.instance.published_at,
            expires_at=data.get("expires_at"),
            pinned=bool(data.get("pinned")),
            school_ids=frozenset(school.pk for school in data.get("audience_structures") or ()),
            requires_ack=bool(data.get("requires_ack")),
            ack_due_date=data.get("ack_due_date"),
            registration_closes_at=data.get("registration_closes_at"),
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        post = self.instance if self.instance.pk else Post(feed=cleaned.get("feed"), status=PostStatus.DRAFT)
        try:
            # The checks the service makes again when saving, shown on the form instead of failing there.
            services.post_input_check(post=post, data=self.post_input())
        except ValidationError as error:
            for name, messages_ in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages_)
        return cleaned


@admin.register(Post)
class PostAdmin(ServiceModelAdmin):
    """Every write goes through news.services, as on the site: publishing here notifies the
    audience and records the revision. Status and publication date are read-only; « Publier » and
    « Archiver » are actions."""

    form = PostAdminForm
    list_display = ("title", "feed", "status", "published_at", "expires_at", "pinned", "author")
    list_filter = ("feed", "status", "pinned", "requires_ack")
    search_fields = ("title", "summary", "slug")
    date_hierarchy = "published_at"
    filter_horizontal = ("audience_structures",)
    readonly_fields = (
        "status",
        "published_at",
        "audience",
        "author",
        "reviewed_by",
        "review_comment",
        "cover",
        "last_reminded_at",
        "created_at",
        "updated_at",
    )
    inlines = [EventInline]
    actions = ("publish", "archive")

    def get_readonly_fields(self, request, obj=None):
        # A post's feed and address are chosen when it is created.
        return ("feed", "slug", *self.readonly_fields) if obj is not None else self.readonly_fields

    def may_change(self, user, obj):
        return permissions.can_edit_post(user, obj)

    def may_delete(self, user, obj):
        return permissions.can_delete_post(user, obj)

    def create(self, request, form):
        data = form.cleaned_data
        return services.post_create(
            actor=request.user, feed=data["feed"], data=form.post_input(), slug=data.get("slug") or ""
        )

    def update(self, request, obj, form):
        return services.post_update(actor=request.user, post=obj, data=form.post_input())

    def delete(self, request, obj):
        services.post_delete(actor=request.user, post=obj)

    @admin.action(description="Publier (ou programmer, si la date de publication est à venir)", permissions=["change"])
    def publish(self, request, queryset):
        published = scheduled = 0
        refused = []
        for post in queryset:
            try:
                post = services.post_publish(actor=request.user, post=post)
            except (PermissionDenied, ValidationError):
                refused.append(post.title)
                continue
            if post.status == PostStatus.PUBLISHED:
                published += 1
            else:
                scheduled += 1
        parts = []
        if published:
            parts.append(
                f"{counted(published, 'actualité publiée', 'actualités publiées')} et annoncée(s) à son public."
            )
        if scheduled:
            parts.append(f"{counted(scheduled, 'actualité programmée', 'actualités programmées')}.")
        if refused:
            parts.append(
                f"{counted(len(refused), 'actualité n’a pas pu être publiée', 'actualités n’ont pas pu être publiées')} "
                f"(déjà publiée, archivée ou date de retrait passée) : {', '.join(refused)}."
            )
        self.message_user(request, " ".join(parts), messages.WARNING if refused else messages.SUCCESS)

    @admin.action(description="Archiver (retirer du fil, garder dans les archives)", permissions=["change"])
    def archive(self, request, queryset):
        archived = 0
        refused = []
        for post in queryset:
            try:
                services.post_archive(actor=request.user, post=post)
            except PermissionDenied:
                refused.append(post.title)
                continue
            archived += 1
        parts = [f"{counted(archived, 'actualité archivée', 'actualités archivées')}."]
        if refused:
            parts.append(
                f"{counted(len(refused), 'actualité non archivée', 'actualités non archivées')} "
                f"(seule une actualité publiée s’archive) : {', '.join(refused)}."
            )
        self.message_user(request, " ".join(parts), messages.WARNING if refused else messages.SUCCESS)


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read only: a director acknowledges on the site (``post_acknowledge``); nobody forges one here,
    and no service withdraws one."""

    list_display = ("post", "school", "user", "acknowledged_at")
    list_filter = (("post", admin.RelatedOnlyFieldListFilter), ("school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("post__title", "school__name", "school__uai")
    list_select_related = ("post", "school", "user")
    date_hierarchy = "acknowledged_at"


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read only: a class is registered, changed or withdrawn on the site by whoever registered it
    (``registration_save``, ``registration_withdraw``), until the project's closing date."""

    list_display = ("post", "school", "class_name", "level", "pupil_count", "registered_by")
    list_filter = (("post", admin.RelatedOnlyFieldListFilter), ("school", admin.RelatedOnlyFieldListFilter), "level")
    search_fields = ("post__title", "school__name", "class_name")
    list_select_related = ("post", "school", "registered_by")


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    search_fields = ("user__email", "user__last_name")
    raw_id_fields = ("user",)
    # The key is a password for the person's feeds: never shown (renewing it is the person's own page).
    exclude = ("key",)
    readonly_fields = ("created_at",)
