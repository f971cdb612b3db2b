"""Writes in the blogs. Each function is one transaction, names who acts, and checks they may.

Readers are told of a post when it is published (at once, or by the shared ``ent.publish_due``
task for a scheduled post, through :func:`post_publish_scheduled`), once: the notification key is ``blogs.published:<post id>``.
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
from accounts.permissions import acts_for_district
from audit.changes import changes_between, describe, describe_html, model_fields, snapshot
from audit.services import record
from notifications.services import notify
from privacy.models import Channel
from privacy.services import check_publication, media_declare
from uploads.models import MediaFile
from uploads.selectors import media_of
from uploads.services import media_delete, media_errors_on, media_upload

from . import permissions
from .models import Blog, BlogsAction, Comment, CommentReport, Post, PostImage, Tag
from .search import post_index, post_unindex
from .selectors import blog_comments_changed, blog_contributors
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

# What the audit trail compares, field by field (audit.changes).
BLOG_AUDIT_FIELDS = model_fields(Blog, (*BLOG_FIELDS, *BLOG_RELATIONS))
POST_AUDIT_FIELDS = model_fields(Post, ("title", "body", "status", "published_at", "week_start", "tags"))


def _record_blog(*, actor: User, blog: Blog, action: str, before: dict | None) -> None:
    changes = changes_between(before, snapshot(blog, BLOG_AUDIT_FIELDS), BLOG_AUDIT_FIELDS)
    record(actor=actor, target=blog, action=action, changes=changes)


def _post_state(post: Post) -> dict[str, str]:
    return snapshot(post, POST_AUDIT_FIELDS) | {"body": describe_html(post.body)}


def _record_post(*, actor: User | None, post: Post, before: dict | None, was: str | None = None) -> None:
    """Record a post's creation or edit, then its publication or scheduling if its status just became so."""
    action = BlogsAction.POST_CREATED if before is None else BlogsAction.POST_UPDATED
    record(
        actor=actor, target=post, action=action, changes=changes_between(before, _post_state(post), POST_AUDIT_FIELDS)
    )
    if post.status not in (was, Post.Status.DRAFT):
        _record_status(actor=actor, post=post)


def _record_status(*, actor: User | None, post: Post) -> None:
    """Record the status a post has just taken: published, scheduled, or back to draft."""
    if post.status == Post.Status.PUBLISHED:
        record(actor=actor, target=post, action=BlogsAction.POST_PUBLISHED)
    elif post.status == Post.Status.SCHEDULED:
        label = f"Publication programmée le {describe(post.published_at)}"
        record(actor=actor, target=post, action=BlogsAction.POST_SCHEDULED, label=label)
    else:
        record(actor=actor, target=post, action=BlogsAction.POST_UNPUBLISHED)


def _set_cover(*, actor: User, blog: Blog, cover_file, cover_alt: str) -> None:
    if cover_file is None:
        return
    previous = blog.cover
    with media_errors_on(file="cover_file", alt_text="cover_alt", image_name="l’image de couverture"):
        blog.cover = media_upload(
            file=cover_file, kind=MediaFile.Kind.IMAGE, uploaded_by=actor, alt_text=cover_alt, holder=blog
        )
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
    """Create a blog. Its creator writes in it unless other contributors are named.

    A teacher or a director creates only a blog of a school where they teach, read by named
    structures (:func:`permissions.can_set_blog_scope`), and always writes in it.
    """
    owner_structures = [] if owner_kind == Blog.OwnerKind.DISTRICT else list(owner_structures)
    if not permissions.can_create_blog(actor) or not permissions.can_set_blog_scope(
        actor, owner_kind=owner_kind, owner_structures=owner_structures, audience=audience
    ):
        raise PermissionDenied
    if is_public and not permissions.can_make_blog_public(actor, owner_structures=owner_structures):
        raise PermissionDenied
    contributor_users, contributor_structures = list(contributor_users), list(contributor_structures)
    if not contributor_users and not contributor_structures:
        contributor_users = [actor]
    elif not acts_for_district(actor) and actor not in contributor_users:
        contributor_users.append(actor)
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
        blog.owner_structures.set(owner_structures)
        blog.contributor_users.set(contributor_users)
        blog.contributor_structures.set(contributor_structures)
        blog.audience_structures.set(audience_structures)
        _set_cover(actor=actor, blog=blog, cover_file=cover_file, cover_alt=cover_alt)
        _record_blog(actor=actor, blog=blog, action=BlogsAction.BLOG_CREATED, before=None)
    return blog


def _scope_changes(blog: Blog, changes: dict) -> dict | None:
    """The blog's owner and readers after ``changes``, if these change them (None otherwise)."""
    current = {
        "owner_kind": blog.owner_kind,
        "owner_structures": {s.pk for s in blog.owner_structures.all()},
        "audience": blog.audience,
    }
    after = {
        "owner_kind": changes.get("owner_kind", current["owner_kind"]),
        "owner_structures": {getattr(s, "pk", s) for s in changes.get("owner_structures", current["owner_structures"])},
        "audience": changes.get("audience", current["audience"]),
    }
    if after["owner_kind"] == Blog.OwnerKind.DISTRICT:
        after["owner_structures"] = set()
    return after if after != current else None


def blog_update(*, actor: User, blog: Blog, cover_file=None, cover_alt: str = "", **changes) -> Blog:
    """Change a blog's settings. ``changes`` are fields of :data:`BLOG_FIELDS` and :data:`BLOG_RELATIONS`."""
    if not permissions.can_manage_blog(actor, blog):
        raise PermissionDenied
    unknown = set(changes) - set(BLOG_FIELDS) - set(BLOG_RELATIONS)
    if unknown:
        raise TypeError(f"blog_update() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        # Compared with the stored row: a model form has already copied the new values onto ``blog``.
        stored = Blog.objects.get(pk=blog.pk)
        scope = _scope_changes(stored, changes)
        if scope is not None and not permissions.can_set_blog_scope(actor, **scope):
            raise PermissionDenied
        owners = (scope or {}).get("owner_structures") or {s.pk for s in stored.owner_structures.all()}
        if (
            changes.get("is_public")
            and not stored.is_public
            and not permissions.can_make_blog_public(actor, owner_structures=owners)
        ):
            raise PermissionDenied
        before = snapshot(stored, BLOG_AUDIT_FIELDS)
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
        if blog.is_public and not stored.is_public:
            _check_public_blog(blog)
        if (blog.title, blog.is_weekly_series) != (stored.title, stored.is_weekly_series):
            from .search import blog_posts_index

            blog_posts_index(blog)  # their results show the blog's title, under its kind
        _record_blog(actor=actor, blog=blog, action=BlogsAction.BLOG_UPDATED, before=before)
    return blog


def blog_delete(*, actor: User, blog: Blog) -> None:
    """Delete a blog, its posts and comments; its cover and the posts' images go with them (uploads)."""
    if not permissions.can_manage_blog(actor, blog):
        raise PermissionDenied
    with transaction.atomic():
        record(actor=actor, target=blog, action=BlogsAction.BLOG_DELETED)
        blog.delete()


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


def blog_reach(blog: Blog) -> str:
    """Where a blog's posts are read: the public site when the blog is public, otherwise the ENT."""
    return Channel.PUBLIC if blog.is_public else Channel.ENT


def _check_post_media(post: Post, *, publisher: str) -> None:
    """A post going out (published or scheduled): its photos must be allowed where the blog is read."""
    if post.status in (Post.Status.PUBLISHED, Post.Status.SCHEDULED):
        check_publication(media_of(post), reach=blog_reach(post.blog), publisher=publisher, project=post.blog)


def _check_public_blog(blog: Blog) -> None:
    """A blog made public: its cover and the photos of its published and scheduled posts go on the public site."""
    media = list(media_of(blog))
    for post in blog.posts.filter(status__in=[Post.Status.PUBLISHED, Post.Status.SCHEDULED]):
        media.extend(media_of(post))
    check_publication(media, reach=Channel.PUBLIC, publisher="blogs.blog_make_public", project=blog)


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


def post_week_check(*, blog: Blog, week_start: date | None, post: Post | None = None) -> date | None:
    """The Monday a post of ``blog`` would be saved on, or the ValidationError saving would raise."""
    week = _check_week(blog=blog, week_start=week_start)
    taken = Post.objects.filter(blog=blog, week_start=week).exclude(pk=post.pk if post is not None else None)
    if week is not None and taken.exists():
        raise ValidationError({"week": "Cette semaine a déjà un tutoriel : choisissez-en une autre."})
    return week


def _save_post(post: Post, *, tags: Iterable[Tag], new_tool_names: Iterable[str]) -> None:
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError as error:
        raise ValidationError({"week": "Cette semaine a déjà un tutoriel : choisissez-en une autre."}) from error
    post.tags.set([*tags, *tool_tags(new_tool_names)])
    post_index(post)


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
    image_no_identifiable_pupil: bool = False,
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
            post_add_image(
                actor=actor,
                post=post,
                file=image,
                alt_text=image_alt,
                caption=image_caption,
                no_identifiable_pupil=image_no_identifiable_pupil,
            )
        _check_post_media(post, publisher="blogs.post_write")
        _record_post(actor=actor, post=post, before=None)
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
    image_no_identifiable_pupil: bool = False,
) -> Post:
    """Edit a post and change its status (keeping a published post published keeps its date)."""
    if not permissions.can_edit_post(actor, post):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        post = Post.objects.select_for_update(of=("self",)).select_related("blog").get(pk=post.pk)
        before, was = _post_state(post), post.status
        post.title, post.body = title.strip(), body
        post.week_start = _check_week(blog=post.blog, week_start=week_start)
        published_now = _apply_action(post, action=action, publish_at=publish_at, now=now)
        _save_post(post, tags=tags, new_tool_names=new_tool_names)
        if image is not None:
            post_add_image(
                actor=actor,
                post=post,
                file=image,
                alt_text=image_alt,
                caption=image_caption,
                no_identifiable_pupil=image_no_identifiable_pupil,
            )
        _check_post_media(post, publisher="blogs.post_write")
        _record_post(actor=actor, post=post, before=before, was=was)
        if published_now:
            _notify_published(post)
    return post


def _set_status(*, actor: User, post: Post, action: str) -> tuple[Post, bool]:
    if not permissions.can_edit_post(actor, post):
        raise PermissionDenied
    with transaction.atomic():
        post = Post.objects.select_for_update(of=("self",)).select_related("blog").get(pk=post.pk)
        before = post.status
        published_now = _apply_action(post, action=action, publish_at=post.published_at, now=timezone.now())
        if post.status != before:
            _check_post_media(post, publisher="blogs.post_publish")
        post.save(update_fields=["status", "published_at", "updated_at"])
        post_index(post)
        if post.status != before:
            _record_status(actor=actor, post=post)
        if published_now:
            _notify_published(post)
    return post, post.status != before


def post_publish(*, actor: User, post: Post) -> bool:
    """« Publier maintenant » without touching the text; readers are told (once). False if it was
    already published."""
    return _set_status(actor=actor, post=post, action=PostAction.PUBLISH)[1]


def post_unpublish(*, actor: User, post: Post) -> bool:
    """Back to draft (published or scheduled), its date kept. False if it was a draft already."""
    return _set_status(actor=actor, post=post, action=PostAction.DRAFT)[1]


def post_delete(*, actor: User, post: Post) -> None:
    if not permissions.can_delete_post(actor, post):
        raise PermissionDenied
    with transaction.atomic():
        record(actor=actor, target=post, action=BlogsAction.POST_DELETED)
        post_unindex(post.pk)
        post.delete()  # its images go with it (uploads.access.register_holder)


def post_add_image(
    *, actor: User, post: Post, file, alt_text: str, caption: str = "", no_identifiable_pupil: bool = False
) -> PostImage:
    """Add an image to a post, through the uploads pipeline (which requires its alternative text).
    ``no_identifiable_pupil``: declared at once (privacy); otherwise declared on the media's page."""
    if not permissions.can_edit_post(actor, post):
        raise PermissionDenied
    with transaction.atomic():
        count = post.images.count()
        if count >= MAX_IMAGES_PER_POST:
            raise ValidationError({"image": f"Un billet a au plus {MAX_IMAGES_PER_POST} images."})
        with media_errors_on(file="image", alt_text="image_alt"):
            media = media_upload(
                file=file, kind=MediaFile.Kind.IMAGE, uploaded_by=actor, alt_text=alt_text, holder=post
            )
        if no_identifiable_pupil:
            media_declare(actor=actor, media=media, no_identifiable_pupil=True)
        return PostImage.objects.create(post=post, media=media, caption=caption.strip(), position=count)


def post_remove_image(*, actor: User, image: PostImage) -> None:
    if not permissions.can_edit_post(actor, image.post):
        raise PermissionDenied
    with transaction.atomic():
        media_delete(media=image.media)  # the image goes with it (CASCADE)


def post_publish_scheduled(*, post: Post) -> None:
    """Publish a scheduled post whose time has come and tell its readers (once): the publication
    service of :mod:`ent.publication`, which calls it with the post locked, checked due, in its
    transaction. Refused (left scheduled, logged by the task) when a photo lost its consent meanwhile."""
    check_publication(
        media_of(post), reach=blog_reach(post.blog), publisher="blogs.post_publish_scheduled", project=post.blog
    )
    before = _post_state(post)
    post.status = Post.Status.PUBLISHED
    post.save(update_fields=["status", "updated_at"])
    changes = changes_between(before, _post_state(post), POST_AUDIT_FIELDS)
    record(actor=None, target=post, action=BlogsAction.POST_PUBLISHED_ON_SCHEDULE, changes=changes)
    _notify_published(post)


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
        record(actor=actor, target=comment, action=BlogsAction.COMMENT_DELETED)
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
            action = BlogsAction.COMMENT_APPROVED
        elif decision == ModerationDecision.REMOVE:
            comment.status = Comment.Status.REMOVED
            open_reports.update(resolved_at=now, resolved_by=actor, decision=CommentReport.Decision.REMOVE)
            action = BlogsAction.COMMENT_REMOVED
        elif decision == ModerationDecision.KEEP:
            if open_reports.update(resolved_at=now, resolved_by=actor, decision=CommentReport.Decision.KEEP):
                record(actor=actor, target=comment, action=BlogsAction.COMMENT_KEPT)
                blog_comments_changed()  # QuerySet.update: no signal to bump it
            return comment
        else:
            raise ValueError(f"Unknown moderation decision: {decision!r}")
        comment.moderated_by, comment.moderated_at = actor, now
        comment.save(update_fields=["status", "moderated_by", "moderated_at"])
        record(actor=actor, target=comment, action=action)
    return comment
