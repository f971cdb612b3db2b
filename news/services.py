"""Writes on news. Each function is one transaction, names who acts, and checks that they may.

Notifications are written in the same transaction through ``notifications.services.notify``
(its e-mails leave on commit), with a dedupe key so that nobody is told twice about the same
thing: ``news.published:<post>`` for a publication, ``news.published:<post>:r<event>`` when
the author asks to notify again after an edit (``<event>``: the audit event of that edit), ``news.ack_reminder:<post>:<day>`` for a reminder.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator, slugify

from accounts.audiences import AudienceKind
from accounts.models import Structure, User
from accounts.permissions import schools_directed_by
from audit.changes import changes_between, describe, describe_html
from audit.models import Event
from audit.services import record
from ent import versions
from ent.dates import format_time
from notifications.services import notifications_mark_read_for, notify
from privacy.models import Channel
from privacy.services import check_publication, media_declare
from uploads.models import MediaFile
from uploads.selectors import media_of
from uploads.services import media_delete, media_errors_on, media_set_alt_text, media_upload

from . import permissions, selectors
from .models import (
    NEWS_VERSION,
    Acknowledgement,
    Feed,
    NewsAction,
    Post,
    PostRead,
    PostStatus,
    Registration,
    reads_version,
)
from .search import post_index, post_unindex

KIND_PUBLISHED = "news.published"
KIND_DIRECTORS = "news.directors"
KIND_ACK_REMINDER = "news.ack_reminder"
KIND_PROPOSAL_SUBMITTED = "news.proposal_submitted"
KIND_PROPOSAL_REVIEWED = "news.proposal_reviewed"


class RegistrationClosed(PermissionDenied):
    """Registrations to this project are closed (the message is for the person)."""


class ReminderRefused(ValidationError):
    """A reminder was already sent today, or nobody is missing."""


@dataclass
class PostInput:
    """What a person typed in the post form. Publication options are ignored for proposers."""

    title: str
    summary: str
    body: str = ""
    published_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    pinned: bool = False
    # Empty: the feed's whole public; otherwise only these schools.
    school_ids: frozenset = frozenset()
    requires_ack: bool = False
    ack_due_date: dt.date | None = None
    registration_closes_at: dt.datetime | None = None
    cover_file: object = None
    cover_alt: str = ""
    remove_cover: bool = False
    # privacy: the new cover shows no recognisable pupil (else it is declared on its own page).
    cover_no_identifiable_pupil: bool = False
    attachment_files: list = field(default_factory=list)
    remove_attachment_ids: frozenset = frozenset()


# --- Audit trail (who changed what, and when) ---------------------------------------------------

TRACKED_FIELDS = [
    ("feed", "Fil"),
    ("title", "Titre"),
    ("summary", "Résumé"),
    ("body", "Texte"),
    ("status", "État"),
    ("published_at", "Publication"),
    ("expires_at", "Retrait du fil"),
    ("pinned", "À la une"),
    ("audience", "Public"),
    ("schools", "Écoles destinataires"),
    ("requires_ack", "Accusé de lecture"),
    ("ack_due_date", "À confirmer avant le"),
    ("registration_closes_at", "Inscriptions jusqu’au"),
    ("cover", "Image de couverture"),
    ("attachments", "Pièces jointes"),
]


def _when(value) -> str:
    return describe(value)


def _snapshot(post: Post) -> dict[str, str]:
    """The post as a person would describe it, field by field (strings, for the diff)."""
    schools = (
        ", ".join(sorted(s.name for s in post.audience_structures.all()))
        if post.pk and post.audience == AudienceKind.STRUCTURES
        else ""
    )
    attachments = ", ".join(m.original_name or "document" for m in selectors.post_attachments(post)) if post.pk else ""
    return {
        "feed": post.get_feed_display(),
        "title": post.title,
        "summary": post.summary,
        "body": describe_html(post.body),
        "status": post.get_status_display(),
        "published_at": _when(post.published_at),
        "expires_at": _when(post.expires_at),
        "pinned": "oui" if post.pinned else "non",
        "audience": post.get_audience_display(),
        "schools": schools,
        "requires_ack": "oui" if post.requires_ack else "non",
        "ack_due_date": _when(post.ack_due_date),
        "registration_closes_at": _when(post.registration_closes_at),
        "cover": (post.cover.original_name or "image") if post.cover_id else "",
        "attachments": attachments,
    }


def _revise(post: Post, *, editor, action: str, label: str = "", before: dict | None) -> Event:
    """Record ``action`` on the post in the audit trail, with the fields changed since ``before``
    (None for a creation)."""
    changes = changes_between(before, _snapshot(post), TRACKED_FIELDS)
    return record(actor=editor, target=post, action=action, label=label, changes=changes)


# --- Notifications -----------------------------------------------------------------------------


def _announce(post: Post, *, actor, key: str) -> int:
    """Tell the post's audience (once per key)."""
    kind = KIND_DIRECTORS if post.feed == Feed.DIRECTORS else KIND_PUBLISHED
    return notify(
        kind=kind,
        actor=actor,
        target=post,
        text=f"{post.get_feed_display()} : {post.title}",
        url=post.get_absolute_url(),
        recipients=selectors.post_recipients(post),
        key=key,
    )


# --- Writing -----------------------------------------------------------------------------------


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "actualite"
    slug, n = base, 2
    while Post.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def post_input_check(*, post: Post, data: PostInput) -> None:
    """Raise the ValidationError that saving ``data`` on ``post`` would raise (for the admin's form)."""
    _validate(post, data, now=timezone.now())


def _validate(post: Post, data: PostInput, *, now: dt.datetime) -> None:
    errors = {}
    if not data.title.strip():
        errors["title"] = "Donnez un titre à l’actualité."
    if not data.summary.strip():
        errors["summary"] = "Écrivez un court résumé : il apparaît dans la liste et dans les notifications."
    publication = data.published_at or (post.published_at if post.status == PostStatus.PUBLISHED else None) or now
    if data.expires_at is not None and data.expires_at <= publication:
        errors["expires_at"] = "La date de retrait doit être postérieure à la date de publication."
    if data.requires_ack and post.feed != Feed.DIRECTORS:
        errors["requires_ack"] = "Seules les informations aux directeurs demandent un accusé de lecture."
    if data.ack_due_date is not None and not data.requires_ack:
        errors["ack_due_date"] = "Une date limite n’a de sens que si un accusé de lecture est demandé."
    if data.registration_closes_at is not None and post.feed != Feed.PROJECTS:
        errors["registration_closes_at"] = "Seules les propositions de projets ouvrent des inscriptions."
    if post.status == PostStatus.PUBLISHED and data.published_at and data.published_at > now:
        errors["published_at"] = "Cette actualité est déjà publiée : sa date de publication ne peut pas être future."
    if post.status == PostStatus.SCHEDULED and data.published_at is None:
        errors["published_at"] = "Indiquez la date de publication programmée, ou publiez l’actualité tout de suite."
    if errors:
        raise ValidationError(errors)


def _apply(post: Post, data: PostInput, *, actor) -> None:
    post.title = data.title.strip()
    post.summary = data.summary.strip()
    post.body = data.body or ""
    if permissions.can_set_publication_options(actor):
        post.published_at = (
            data.published_at if post.status != PostStatus.PUBLISHED else (data.published_at or post.published_at)
        )
        post.expires_at = data.expires_at
        post.pinned = data.pinned
        post.requires_ack = data.requires_ack
        post.ack_due_date = data.ack_due_date if data.requires_ack else None
        post.audience = (
            AudienceKind.STRUCTURES
            if data.school_ids
            else (AudienceKind.DIRECTORS if post.feed == Feed.DIRECTORS else AudienceKind.DISTRICT)
        )
    elif not post.pk:
        post.audience = AudienceKind.DISTRICT
    post.registration_closes_at = data.registration_closes_at if post.feed == Feed.PROJECTS else None


def _apply_schools(post: Post, data: PostInput, *, actor) -> None:
    if not permissions.can_set_publication_options(actor):
        return
    if post.audience == AudienceKind.STRUCTURES:
        post.audience_structures.set(Structure.objects.schools().filter(pk__in=data.school_ids))
    else:
        post.audience_structures.clear()


def _apply_media(post: Post, data: PostInput, *, actor) -> None:
    """Cover and attachments go through the uploads pipeline, held by the post (access: can_view_post)."""
    old_cover = post.cover if post.cover_id and (data.remove_cover or data.cover_file is not None) else None
    if old_cover is not None:
        post.cover = None
    if data.cover_file is not None:
        with media_errors_on(file="cover", alt_text="cover_alt", image_name="l’image de couverture"):
            post.cover = media_upload(
                file=data.cover_file, kind=MediaFile.Kind.IMAGE, uploaded_by=actor, alt_text=data.cover_alt, holder=post
            )
        if data.cover_no_identifiable_pupil:
            media_declare(actor=actor, media=post.cover, no_identifiable_pupil=True)
    elif post.cover_id and data.cover_alt and post.cover.alt_text != data.cover_alt:
        media_set_alt_text(media=post.cover, alt_text=data.cover_alt)
    post.save(update_fields=["cover"])
    if old_cover is not None:
        media_delete(media=old_cover)
    for media in selectors.post_attachments(post):
        if media.pk in data.remove_attachment_ids:
            media_delete(media=media)
    for upload in data.attachment_files:
        with media_errors_on(file="attachments"):
            media_upload(file=upload, kind=MediaFile.Kind.DOCUMENT, uploaded_by=actor, holder=post)


def post_create(*, actor: User, feed: str, data: PostInput, slug: str = "") -> Post:
    """A new post, as a draft (publish it with :func:`post_publish`)."""
    if feed not in Feed.values or not permissions.can_create_post(actor, feed):
        raise PermissionDenied
    now = timezone.now()
    post = Post(feed=feed, author=actor, status=PostStatus.DRAFT, slug=slug or _unique_slug(data.title))
    _validate(post, data, now=now)
    with transaction.atomic():
        _apply(post, data, actor=actor)
        post.save()
        _apply_schools(post, data, actor=actor)
        _apply_media(post, data, actor=actor)
        _revise(post, editor=actor, action=NewsAction.CREATED, before=None)
        post_index(post)
    return post


def post_update(*, actor: User, post: Post, data: PostInput, notify_again: bool = False) -> Post:
    """Edit a post. A published post is not announced again unless its author asks (notify_again)."""
    if not permissions.can_edit_post(actor, post):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        post = Post.objects.select_for_update(of=("self",)).select_related("cover").get(pk=post.pk)
        if not permissions.can_edit_post(actor, post):
            raise PermissionDenied
        _validate(post, data, now=now)
        before = _snapshot(post)
        _apply(post, data, actor=actor)
        post.save()
        _apply_schools(post, data, actor=actor)
        _apply_media(post, data, actor=actor)
        announce = notify_again and permissions.can_notify_again(actor, post) and post.is_live(now)
        action = NewsAction.ANNOUNCED_AGAIN if announce else NewsAction.UPDATED
        revision = _revise(post, editor=actor, action=action, before=before)
        if announce:
            _announce(post, actor=actor, key=f"news.published:{post.pk}:r{revision.pk}")
        post_index(post)
    return post


class PostStepRefused(PermissionDenied):
    """The button pressed (publish, submit) is not this person's to press on this post (the message says why).

    ``stale`` is True when this person takes this step on other posts, so that their form offered the
    button while the post was in another state (published or sent back meanwhile by someone else):
    the form answers with the message and what they typed. False when they never take it (the button
    is never theirs: a forged request).
    """

    def __init__(self, message: str, *, stale: bool = False):
        super().__init__(message)
        self.stale = stale


@dataclass(frozen=True)
class _Step:
    """A step after saving: who may take it on this post, who may take it at all, and how a refusal reads."""

    may: Callable[[User, Post], bool]
    may_ever: Callable[[User], bool]
    refused: str
    who: str
    done: str


_STEPS = {
    "publish": _Step(
        permissions.can_publish_post,
        permissions.can_set_publication_options,
        "Publication refusée",
        "seule l’équipe de circonscription publie : soumettez votre proposition à validation",
        "publiée",
    ),
    "submit": _Step(
        permissions.can_submit_post,
        permissions.can_propose,
        "Envoi refusé",
        "seuls les directeurs, directrices et enseignant·es soumettent une proposition",
        "soumise",
    ),
}
SAVE_STEPS = ("draft", *_STEPS)


def _check_step(actor: User, post: Post, then: str) -> None:
    step = _STEPS.get(then)
    if step is None or step.may(actor, post):
        return
    stale = step.may_ever(actor)
    if stale:
        reason = f"une actualité « {post.get_status_display().lower()} » ne peut pas être {step.done}"
    else:
        reason = step.who
    raise PostStepRefused(f"{step.refused} : {reason}. Rien n’a été enregistré.", stale=stale)


def post_write(
    *,
    actor: User,
    feed: str,
    data: PostInput,
    post: Post | None = None,
    then: str = "draft",
    notify_again: bool = False,
) -> Post:
    """The post form's save: create (or update) the post, then publish or submit it, all or nothing.

    ``then`` is the button pressed: ``"draft"`` (save only), ``"publish"`` or ``"submit"``. A step
    this person may not take is refused with :class:`PostStepRefused` before anything is written
    (no post, no revision, no file), and checked again under the row lock.
    """
    if then not in SAVE_STEPS:
        raise ValueError(f"Unknown step after saving: {then!r}")
    candidate = post if post is not None else Post(feed=feed, author=actor, status=PostStatus.DRAFT)
    _check_step(actor, candidate, then)
    with transaction.atomic():
        if post is None:
            post = post_create(actor=actor, feed=feed, data=data)
        else:
            post = post_update(actor=actor, post=post, data=data, notify_again=notify_again)
        _check_step(actor, post, then)
        if then == "publish":
            post = post_publish(actor=actor, post=post)
        elif then == "submit":
            post = post_submit(actor=actor, post=post)
    return post


def post_publish(*, actor: User, post: Post) -> Post:
    """Publish now, or schedule when the publication date is in the future. Announces it once."""
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if not permissions.can_publish_post(actor, post):
            raise PermissionDenied
        now = timezone.now()
        if post.expires_at is not None and post.expires_at <= max(post.published_at or now, now):
            raise ValidationError({"expires_at": "La date de retrait est déjà passée : modifiez-la avant de publier."})
        check_publication(media_of(post), reach=Channel.ENT, publisher="news.post_publish", project=post)
        before = _snapshot(post)
        was_proposal = post.status == PostStatus.SUBMITTED and post.author_id != actor.pk
        if was_proposal:
            post.reviewed_by = actor
            post.review_comment = ""
        if post.published_at is not None and post.published_at > now:
            post.status = PostStatus.SCHEDULED
            post.save()
            label = f"Programmée pour le {_when(post.published_at)}"
            _revise(post, editor=actor, action=NewsAction.SCHEDULED, label=label, before=before)
        else:
            post.status = PostStatus.PUBLISHED
            post.published_at = post.published_at or now
            post.save()
            _revise(post, editor=actor, action=NewsAction.PUBLISHED, before=before)
            _announce(post, actor=actor, key=f"news.published:{post.pk}")
        post_index(post)
        if was_proposal and post.author_id:
            verb = (
                "est publiée" if post.status == PostStatus.PUBLISHED else "sera publiée le " + _when(post.published_at)
            )
            notify(
                kind=KIND_PROPOSAL_REVIEWED,
                actor=actor,
                target=post,
                text=f"Votre proposition « {post.title} » {verb}.",
                url=post.get_absolute_url(),
                recipients=User.objects.filter(pk=post.author_id),
                key=f"news.proposal_reviewed:{post.pk}:published",
            )
    return post


def post_publish_scheduled(*, post: Post) -> None:
    """Publish a scheduled post whose time has come: the publication service of
    :mod:`ent.publication`, which calls it with the post locked, checked due, in its transaction.
    Records the revision and announces it once (same key as publishing by hand). Refused (left
    scheduled, logged by the task) when a photo lost its consent meanwhile."""
    check_publication(media_of(post), reach=Channel.ENT, publisher="news.post_publish_scheduled", project=post)
    before = _snapshot(post)
    post.status = PostStatus.PUBLISHED
    post.save(update_fields=["status", "updated_at"])
    _revise(post, editor=None, action=NewsAction.PUBLISHED_ON_SCHEDULE, before=before)
    post_index(post)
    _announce(post, actor=post.author, key=f"news.published:{post.pk}")


def post_submit(*, actor: User, post: Post) -> Post:
    """A proposer sends their post to the district team for validation."""
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if not permissions.can_submit_post(actor, post):
            raise PermissionDenied
        before = _snapshot(post)
        post.status = PostStatus.SUBMITTED
        post.save(update_fields=["status", "updated_at"])
        revision = _revise(post, editor=actor, action=NewsAction.SUBMITTED, before=before)
        notify(
            kind=KIND_PROPOSAL_SUBMITTED,
            actor=actor,
            target=post,
            text=f"{actor.get_full_name()} propose « {post.title} » ({post.get_feed_display()}).",
            url=post.get_absolute_url(),
            recipients=selectors.district_team(),
            key=f"news.proposal_submitted:{post.pk}:r{revision.pk}",
        )
    return post


def post_return(*, actor: User, post: Post, comment: str) -> Post:
    """Send a proposal back to its author, saying what to change."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Expliquez à l’auteur ce qu’il faut modifier."})
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if not permissions.can_return_post(actor, post):
            raise PermissionDenied
        before = _snapshot(post)
        post.status = PostStatus.RETURNED
        post.review_comment = comment
        post.reviewed_by = actor
        post.save(update_fields=["status", "review_comment", "reviewed_by", "updated_at"])
        label = f"Renvoyée à son auteur : « {comment} »"
        revision = _revise(post, editor=actor, action=NewsAction.RETURNED, label=label, before=before)
        if post.author_id:
            notify(
                kind=KIND_PROPOSAL_REVIEWED,
                actor=actor,
                target=post,
                text=f"Votre proposition « {post.title} » vous est renvoyée : {Truncator(comment).chars(120)}",
                url=post.get_absolute_url(),
                recipients=User.objects.filter(pk=post.author_id),
                key=f"news.proposal_reviewed:{post.pk}:r{revision.pk}",
            )
    return post


def post_archive(*, actor: User, post: Post) -> Post:
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if not permissions.can_archive_post(actor, post):
            raise PermissionDenied
        before = _snapshot(post)
        post.status = PostStatus.ARCHIVED
        post.pinned = False
        post.save(update_fields=["status", "pinned", "updated_at"])
        _revise(post, editor=actor, action=NewsAction.ARCHIVED, before=before)
    return post


def post_delete(*, actor: User, post: Post) -> None:
    """Delete a post (the admin's « Supprimer »; the site archives instead)."""
    if not permissions.can_delete_post(actor, post):
        raise PermissionDenied
    with transaction.atomic():
        record(actor=actor, target=post, action=NewsAction.DELETED)
        post_unindex(post.pk)
        post.delete()  # its cover and attachments go with it (uploads.access.register_holder)


# --- Reading -----------------------------------------------------------------------------------


def post_mark_read(*, user: User, post: Post) -> None:
    """Remember that this person opened the post (« Nouveau » goes), and mark read their
    notifications about it (an e-mail not sent yet is then not sent).

    A post read by ``selectors.post_for`` knows both (``opened``, ``unread_notifications``): only
    what changes is written, so opening a post again writes nothing. Without them (another
    caller), both writes are made, each a no-op when there is nothing to change."""
    if not user.is_authenticated or post.status not in (PostStatus.PUBLISHED, PostStatus.ARCHIVED):
        return
    if not getattr(post, "opened", False):
        PostRead.objects.bulk_create([PostRead(post=post, user=user)], ignore_conflicts=True)
        versions.bump(reads_version(user.pk))  # bulk_create sends no signal
    if getattr(post, "unread_notifications", True):
        notifications_mark_read_for(user=user, target=post)


# --- Acknowledgements --------------------------------------------------------------------------


def post_acknowledge(*, actor: User, post: Post) -> list[Acknowledgement]:
    """« J’ai pris connaissance »: one row per school the director directs in the audience. Idempotent."""
    if not permissions.can_acknowledge_post(actor, post):
        raise PermissionDenied
    schools = list(selectors.audience_schools(post).filter(pk__in=schools_directed_by(actor)))
    if not schools:
        raise PermissionDenied
    with transaction.atomic():
        Acknowledgement.objects.bulk_create(
            [Acknowledgement(post=post, school=school, user=actor) for school in schools], ignore_conflicts=True
        )
        versions.bump(NEWS_VERSION)  # bulk_create sends no signal
    return list(Acknowledgement.objects.filter(post=post, school__in=schools))


def post_remind_unacknowledged(*, actor: User, post: Post) -> int:
    """« Relancer »: notify the directors whose school has not acknowledged. At most once a day."""
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if not permissions.can_remind(actor, post):
            raise PermissionDenied
        now = timezone.now()
        today = timezone.localdate(now)
        if post.last_reminded_at is not None and timezone.localdate(post.last_reminded_at) == today:
            at = format_time(post.last_reminded_at)
            raise ReminderRefused(
                f"Une relance a déjà été envoyée aujourd’hui à {at}. Vous pourrez relancer à nouveau demain.",
                code="already_today",
            )
        recipients = selectors.unacknowledged_directors(post)
        if not recipients.exists():
            raise ReminderRefused("Toutes les écoles ont déjà accusé réception : personne à relancer.", code="nobody")
        due = f" avant le {_when(post.ack_due_date)}" if post.ack_due_date else ""
        count = notify(
            kind=KIND_ACK_REMINDER,
            actor=actor,
            target=post,
            text=f"Rappel : merci de confirmer la lecture de « {post.title} »{due}.",
            url=post.get_absolute_url(),
            recipients=recipients,
            key=f"news.ack_reminder:{post.pk}:{today.isoformat()}",
        )
        post.last_reminded_at = now
        post.save(update_fields=["last_reminded_at"])
    return count


# --- Project registrations ---------------------------------------------------------------------


def _check_open(actor: User, post: Post) -> None:
    if not permissions.can_register_class(actor, post):
        raise PermissionDenied
    if not post.registrations_open():
        closes = _when(post.registration_closes_at)
        raise RegistrationClosed(f"Les inscriptions à ce projet sont closes depuis le {closes}.")


def registration_save(
    *,
    actor: User,
    post: Post,
    school: Structure,
    class_name: str,
    level: str,
    pupil_count: int,
    comment: str = "",
) -> Registration:
    """Register a class to a project, or change its registration, until the closing date."""
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        _check_open(actor, post)
        if school.pk not in permissions.schools_registering_for(actor):
            raise PermissionDenied
        if post.audience == AudienceKind.STRUCTURES and not post.audience_structures.filter(pk=school.pk).exists():
            raise PermissionDenied
        registration, _ = Registration.objects.update_or_create(
            post=post,
            registered_by=actor,
            defaults={
                "school": school,
                "class_name": class_name.strip(),
                "level": level,
                "pupil_count": pupil_count,
                "comment": comment.strip(),
            },
        )
    return registration


def registration_withdraw(*, actor: User, post: Post) -> bool:
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        _check_open(actor, post)
        deleted, _ = Registration.objects.filter(post=post, registered_by=actor).delete()
    return bool(deleted)
