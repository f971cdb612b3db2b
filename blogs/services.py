"""Writes in the blogs. Each function is one transaction, names who acts, and checks they may.

Readers are told of a post when it is published (at once, or by the ``blogs.publish_due_posts``
task for a scheduled post), once: the notification key is ``blogs.published:<post id>``.
Contributors are told of comments waiting for approval and of reported comments.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, slugify

from accounts.models import User
from accounts.services import private_key_renew
from notifications.services import notify
from uploads.models import MediaFile
from uploads.services import media_delete, media_upload

from . import permissions
from .models import Blog, Comment, CommentReport, FeedToken, Post, PostImage, Tag
from .selectors import blog_contributors
from .weeks import monday_of

MAX_IMAGES_PER_POST = 12
# A second identical comment within this delay is a double click, not a new comment.
DUPLICATE_COMMENT_WINDOW = timedelta(seconds=60)


class PostAction(models.TextChoices):
    DRAFT = "brouillon", "Enregistrer le brouillon"
    SCHEDULE = "programmer", "Programmer la publication"
    PUBLISH = "publier", "Publier maintenant"


class ModerationDecision(models.TextChoices):
    APPROVE = "approuver", "Publier le commentaire"
    KEEP = "conserver", "Conserver le commentaire"
    REMOVE = "retirer", "Retirer le commentaire"


# --- Blogs -------------------------------------------------------------------------------------

BLOG_FIELDS = (
    "title",
    "slug",
    "description",
    "owner_kind",
    "audience",
    "comment_policy",
    "is_public",
    "is_weekly_series",
    "series_start",
)
BLOG_RELATIONS = ("owner_structures", "contributor_users", "contributor_structures", "audience_structures")


def _set_cover(*, actor: User, blog: Blog, cover_file, cover_alt: str) -> None:
    if cover_file is None:
        return
    if not cover_alt.strip():
        raise ValidationError({"cover_alt": "Décrivez l’image de couverture (texte alternatif)."})
    previous = blog.cover
    try:
        blog.cover = media_upload(
            file=cover_file, kind=MediaFile.Kind.IMAGE, uploaded_by=actor, alt_text=cover_alt.strip(), holder=blog
        )
    except ValidationError as error:
        raise ValidationError({"cover_file": error.messages}) from error
    blog.save(update_fields=["cover", "updated_at"])
    if previous is not None:
        media_delete(media=previous)


def blog_create(
    *,
    actor: User,
    title: str,
    slug: str = "",
    description: str = "",
    owner_kind: str = Blog.OwnerKind.DISTRICT,
    owner_structures: Iterable = (),
    contributor_users: Iterable = (),
    contributor_structures: Iterable = (),
    audience: str,
    audience_structures: Iterable = (),
    comment_policy: str = Blog.CommentPolicy.MODERATED,
    is_public: bool = False,
    is_weekly_series: bool = False,
    series_start: date | None = None,
    cover_file=None,
    cover_alt: str = "",
) -> Blog:
    """Create a blog. Its creator writes in it unless other contributors are named."""
    if not permissions.can_create_blog(actor):
        raise PermissionDenied
    contributor_users, contributor_structures = list(contributor_users), list(contributor_structures)
    if not contributor_users and not contributor_structures:
        contributor_users = [actor]
    with transaction.atomic():
        blog = Blog.objects.create(
            title=title.strip(),
            slug=slug or slugify(title)[:80],
            description=description.strip(),
            owner_kind=owner_kind,
            audience=audience,
            comment_policy=comment_policy,
            is_public=is_public,
            is_weekly_series=is_weekly_series,
            series_start=series_start if is_weekly_series else None,
            created_by=actor,
        )
        blog.owner_structures.set([] if owner_kind == Blog.OwnerKind.DISTRICT else owner_structures)
        blog.contributor_users.set(contributor_users)
        blog.contributor_structures.set(contributor_structures)
        blog.audience_structures.set(audience_structures)
        _set_cover(actor=actor, blog=blog, cover_file=cover_file, cover_alt=cover_alt)
    return blog


def blog_update(*, actor: User, blog: Blog, cover_file=None, cover_alt: str = "", **changes) -> Blog:
    """Change a blog's settings. ``changes`` are fields of :data:`BLOG_FIELDS` and :data:`BLOG_RELATIONS`."""
    if not permissions.can_manage_blog(actor, blog):
        raise PermissionDenied
    unknown = set(changes) - set(BLOG_FIELDS) - set(BLOG_RELATIONS)
    if unknown:
        raise TypeError(f"blog_update() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        for name in BLOG_FIELDS:
            if name in changes:
                value = changes[name]
                setattr(blog, name, value.strip() if isinstance(value, str) else value)
        if not blog.is_weekly_series:
            blog.series_start = None
        blog.save()
        for name in BLOG_RELATIONS:
            if name in changes:
                getattr(blog, name).set(changes[name])
        if blog.owner_kind == Blog.OwnerKind.DISTRICT:
            blog.owner_structures.clear()
        _set_cover(actor=actor, blog=blog, cover_file=cover_file, cover_alt=cover_alt)
    return blog


def blog_delete(*, actor: User, blog: Blog) -> None:
    """Delete a blog, its posts and comments, and the files of its cover and images."""
    if not permissions.can_manage_blog(actor, blog):
        raise PermissionDenied
    with transaction.atomic():
        media = [image.media for image in PostImage.objects.filter(post__blog=blog).select_related("media")]
        if blog.cover is not None:
            media.append(blog.cover)
        blog.delete()
        for item in media:
            media_delete(media=item)


# --- Posts -------------------------------------------------------------------------------------


def tool_tags(names: Iterable[str]) -> list[Tag]:
    """The "tool" tags of these names, created when new (« Digipad », « Vocaroo »…)."""
    tags = []
    for name in dict.fromkeys(n.strip()[:60] for n in names if n.strip()):
        # By name, then by the address it would get (« Zz? » is « Zz! »): two tags never share one.
        slug = Tag.slug_for(Tag.Kind.TOOL, name)
        tag = Tag.objects.filter(kind=Tag.Kind.TOOL, name__iexact=name).first() or Tag.objects.filter(slug=slug).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(kind=Tag.Kind.TOOL, name=name, slug=slug)
            except IntegrityError:  # created by someone else meanwhile
                tag = Tag.objects.get(slug=slug)
        tags.append(tag)
    return tags


def _apply_action(post: Post, *, action: str, publish_at: datetime | None, now: datetime) -> bool:
    """Set the post's status and date for ``action``; True if it becomes published now."""
    was_published = post.is_published
    if action == PostAction.PUBLISH:
        post.status = Post.Status.PUBLISHED
        if not was_published:
            post.published_at = now
        return not was_published
    if action == PostAction.SCHEDULE:
        if publish_at is None or publish_at <= now:
            raise ValidationError(
                {"publish_date": "Choisissez une date et une heure à venir pour programmer la publication."}
            )
        post.status = Post.Status.SCHEDULED
        post.published_at = publish_at
        return False
    post.status = Post.Status.DRAFT
    post.published_at = publish_at
    return False


def _check_week(*, blog: Blog, week_start: date | None) -> date | None:
    if not blog.is_weekly_series or week_start is None:
        return None
    week_start = monday_of(week_start)
    if week_start < monday_of(blog.series_start):
        raise ValidationError({"week": "Cette semaine est antérieure au début de la série."})
    return week_start


def _save_post(post: Post, *, tags: Iterable[Tag], new_tool_names: Iterable[str]) -> None:
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError as error:
        raise ValidationError({"week": "Cette semaine a déjà un tutoriel : choisissez-en une autre."}) from error
    post.tags.set([*tags, *tool_tags(new_tool_names)])


def post_create(
    *,
    actor: User,
    blog: Blog,
    title: str,
    body: str = "",
    tags: Iterable[Tag] = (),
    new_tool_names: Iterable[str] = (),
    week_start: date | None = None,
    publish_at: datetime | None = None,
    action: str = PostAction.DRAFT,
    image=None,
    image_alt: str = "",
    image_caption: str = "",
) -> Post:
    """Write a post: a draft, scheduled for ``publish_at``, or published at once (readers are told)."""
    if not permissions.can_write_post(actor, blog):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        post = Post(
            blog=blog,
            author=actor,
            title=title.strip(),
            body=body,
            week_start=_check_week(blog=blog, week_start=week_start),
        )
        published_now = _apply_action(post, action=action, publish_at=publish_at, now=now)
        _save_post(post, tags=tags, new_tool_names=new_tool_names)
        if image is not None:
            post_add_image(actor=actor, post=post, file=image, alt_text=image_alt, caption=image_caption)
        if published_now:
            _notify_published(post)
    return post


def post_update(
    *,
    actor: User,
    post: Post,
    title: str,
    body: str = "",
    tags: Iterable[Tag] = (),
    new_tool_names: Iterable[str] = (),
    week_start: date | None = None,
    publish_at: datetime | None = None,
    action: str = PostAction.DRAFT,
    image=None,
    image_alt: str = "",
    image_caption: str = "",
) -> Post:
    """Edit a post and change its status (keeping a published post published keeps its date)."""
    if not permissions.can_edit_post(actor, post):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        post = Post.objects.select_for_update(of=("self",)).select_related("blog").get(pk=post.pk)
        post.title, post.body = title.strip(), body
        post.week_start = _check_week(blog=post.blog, week_start=week_start)
        published_now = _apply_action(post, action=action, publish_at=publish_at, now=now)
        _save_post(post, tags=tags, new_tool_names=new_tool_names)
        if image is not None:
            post_add_image(actor=actor, post=post, file=image, alt_text=image_alt, caption=image_caption)
        if published_now:
            _notify_published(post)
    return post


def post_delete(*, actor: User, post: Post) -> None:
    if not permissions.can_delete_post(actor, post):
        raise PermissionDenied
    with transaction.atomic():
        media = [image.media for image in post.images.select_related("media")]
        post.delete()
        for item in media:
            media_delete(media=item)


def post_add_image(*, actor: User, post: Post, file, alt_text: str, caption: str = "") -> PostImage:
    """Add an image to a post, through the uploads pipeline. Its alternative text is required."""
    if not permissions.can_edit_post(actor, post):
        raise PermissionDenied
    if not alt_text.strip():
        raise ValidationError(
            {"image_alt": "Décrivez l’image (texte alternatif) : c’est indispensable à qui ne la voit pas."}
        )
    with transaction.atomic():
        count = post.images.count()
        if count >= MAX_IMAGES_PER_POST:
            raise ValidationError({"image": f"Un billet a au plus {MAX_IMAGES_PER_POST} images."})
        try:
            media = media_upload(
                file=file, kind=MediaFile.Kind.IMAGE, uploaded_by=actor, alt_text=alt_text.strip(), holder=post
            )
        except ValidationError as error:
            raise ValidationError({"image": error.messages}) from error
        return PostImage.objects.create(post=post, media=media, caption=caption.strip(), position=count)


def post_remove_image(*, actor: User, image: PostImage) -> None:
    if not permissions.can_edit_post(actor, image.post):
        raise PermissionDenied
    with transaction.atomic():
        media_delete(media=image.media)  # the image goes with it (CASCADE)


def post_publish_scheduled(*, post_id: int, now: datetime | None = None) -> bool:
    """Publish one scheduled post whose time has come, and tell its readers. False if there is
    nothing to do (already published, unscheduled, deleted, not yet due): safe to run twice."""
    now = now or timezone.now()
    with transaction.atomic():
        post = Post.objects.select_for_update(of=("self",)).select_related("blog", "author").filter(pk=post_id).first()
        if post is None or post.status != Post.Status.SCHEDULED or post.published_at > now:
            return False
        post.status = Post.Status.PUBLISHED
        post.save(update_fields=["status", "updated_at"])
        _notify_published(post)
    return True


def posts_publish_due(*, now: datetime | None = None) -> list[int]:
    """Publish every scheduled post that is due, each in its own transaction. Returns their ids."""
    now = now or timezone.now()
    due = list(Post.objects.due(now).order_by("published_at", "pk").values_list("pk", flat=True))
    return [pk for pk in due if post_publish_scheduled(post_id=pk, now=now)]


def _notify_published(post: Post) -> None:
    blog = post.blog
    notify(
        kind="blogs.published",
        actor=post.author,
        target=post,
        text=f"{blog.title} : {post.title}",
        url=post.get_absolute_url(),
        audience=blog.get_audience(),
        key=f"blogs.published:{post.pk}",
    )


# --- Comments ----------------------------------------------------------------------------------


def comment_create(*, actor: User, post: Post, body: str) -> Comment:
    """Comment a post: published at once, or waiting for a contributor in a moderated blog (who is told)."""
    if not permissions.can_comment(actor, post):
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Écrivez votre commentaire avant de l’envoyer."})
    blog = post.blog
    with transaction.atomic():
        duplicate = (
            post.comments.filter(author=actor, body=body, created_at__gte=timezone.now() - DUPLICATE_COMMENT_WINDOW)
            .exclude(status=Comment.Status.REMOVED)
            .first()
        )
        if duplicate is not None:
            return duplicate
        waits = blog.is_moderated and not permissions.can_moderate(actor, blog)
        comment = Comment.objects.create(
            post=post, author=actor, body=body, status=Comment.Status.PENDING if waits else Comment.Status.PUBLISHED
        )
        if waits:
            notify(
                kind="blogs.comment_pending",
                actor=actor,
                target=comment,
                text=f"Un commentaire attend votre validation : « {Truncator(post.title).chars(80)} »",
                url=reverse("blogs:moderation", args=[blog.slug]),
                recipients=blog_contributors(blog=blog),
                key=f"blogs.comment_pending:{comment.pk}",
            )
    return comment


def comment_delete(*, actor: User, comment: Comment) -> None:
    if not permissions.can_delete_comment(actor, comment):
        raise PermissionDenied
    with transaction.atomic():
        comment.delete()


def comment_report(*, actor: User, comment: Comment, reason: str = "") -> CommentReport:
    """Report a comment to the blog's contributors (once per person; they are told once per comment)."""
    if not permissions.can_report_comment(actor, comment):
        raise PermissionDenied
    with transaction.atomic():
        report, created = CommentReport.objects.get_or_create(
            comment=comment, reporter=actor, defaults={"reason": reason.strip()[:300]}
        )
        if not created and report.resolved_at is not None:
            # Reported again after a decision: it waits for a new one.
            report.reason, report.resolved_at, report.resolved_by, report.decision = (
                reason.strip()[:300],
                None,
                None,
                "",
            )
            report.save(update_fields=["reason", "resolved_at", "resolved_by", "decision"])
        blog = comment.post.blog
        notify(
            kind="blogs.comment_reported",
            actor=actor,
            target=comment,
            text=f"Un commentaire a été signalé : « {Truncator(comment.post.title).chars(80)} »",
            url=reverse("blogs:moderation", args=[blog.slug]),
            recipients=blog_contributors(blog=blog),
            key=f"blogs.comment_reported:{comment.pk}",
        )
    return report


def comment_moderate(*, actor: User, comment: Comment, decision: str) -> Comment:
    """A contributor approves a waiting comment, keeps a reported one, or removes either."""
    if not permissions.can_moderate(actor, comment.post.blog):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        open_reports = comment.reports.filter(resolved_at__isnull=True)
        if decision == ModerationDecision.APPROVE:
            if comment.status != Comment.Status.PENDING:
                return comment
            comment.status = Comment.Status.PUBLISHED
        elif decision == ModerationDecision.REMOVE:
            comment.status = Comment.Status.REMOVED
            open_reports.update(resolved_at=now, resolved_by=actor, decision=CommentReport.Decision.REMOVE)
        elif decision == ModerationDecision.KEEP:
            open_reports.update(resolved_at=now, resolved_by=actor, decision=CommentReport.Decision.KEEP)
            return comment
        else:
            raise ValueError(f"Unknown moderation decision: {decision!r}")
        comment.moderated_by, comment.moderated_at = actor, now
        comment.save(update_fields=["status", "moderated_by", "moderated_at"])
    return comment


# --- Feeds -------------------------------------------------------------------------------------


def feed_token_renew(*, actor: User) -> FeedToken:
    """Create this person's private feed key, or replace it (the old links stop working)."""
    return private_key_renew(model=FeedToken, user=actor)
