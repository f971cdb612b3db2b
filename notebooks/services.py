"""Writes in the notebooks. Each function is one transaction, names who acts, and checks they may.

Locks: :func:`lock_take` takes or renews a page's lock in ONE statement (an upsert that changes the
row only if the lock is free, expired or already this person's), so two people can never both
hold it. A save carries the ``version`` it started from; :func:`page_save` bumps it with a
conditional ``UPDATE … WHERE version = …``: a second person saving from an older version gets a
French message and keeps their text (the form is shown again).

Publication: in a notebook « validée d’abord », a page goes brouillon → proposée → publiée (or
renvoyée with a comment). Publishing freezes a copy of the page (:class:`PageEdition`); readers
read that copy, and the common book is made of those copies.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, slugify

from accounts.audiences import members_of
from accounts.models import Structure, User
from accounts.permissions import schools_taught_in
from audit.changes import changes_between, model_fields, snapshot
from audit.services import record
from ent.queue import enqueue_on_commit
from notifications.services import notify
from privacy.models import Channel
from privacy.services import check_publication, media_declare
from uploads.models import MediaFile
from uploads.selectors import media_of
from uploads.services import media_delete, media_errors_on, media_upload

from . import permissions
from .models import (
    LOCK_MINUTES,
    Block,
    BookExport,
    Notebook,
    NotebooksAction,
    Page,
    PageEdition,
    PageLock,
    pages_changed,
)
from .search import page_index, page_unindex

LOCK_DURATION = timedelta(minutes=LOCK_MINUTES)
MAX_BLOCKS_PER_PAGE = 30
# Addresses of the notebooks' own pages (cahiers/nouveau/).
RESERVED_SLUGS = frozenset({"nouveau"})

NOTEBOOK_FIELDS = (
    "title",
    "subtitle",
    "theme",
    "colour",
    "presentation",
    "audience",
    "opens_on",
    "closes_on",
    "policy",
    "teachers_of_readers_contribute",
    "school_pages_editable",
)
NOTEBOOK_RELATIONS = ("contributor_users", "contributor_structures", "audience_structures")
NOTEBOOK_AUDIT_FIELDS = model_fields(Notebook, (*NOTEBOOK_FIELDS, "school", *NOTEBOOK_RELATIONS))
PAGE_AUDIT_FIELDS = model_fields(Page, ("title", "class_label", "status"))

STALE_MESSAGE = (
    "Cette page a été modifiée par quelqu’un d’autre pendant que vous l’écriviez : votre texte n’est pas "
    "enregistré, il est conservé ci-dessous. Copiez-le, rechargez la page pour voir la nouvelle version, puis "
    "reportez vos changements."
)


class MoveDirection(models.TextChoices):
    UP = "haut", "Monter"
    DOWN = "bas", "Descendre"


# --- Notebooks ---------------------------------------------------------------------------------


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "cahier"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Notebook.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_dates(opens_on, closes_on) -> None:
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError({"closes_on": "La date de fermeture doit suivre la date d’ouverture."})


def _set_cover(*, actor: User, notebook: Notebook, cover_file, cover_alt: str) -> None:
    if cover_file is None:
        return
    previous = notebook.cover
    with media_errors_on(file="cover_file", alt_text="cover_alt", image_name="l’image de couverture"):
        notebook.cover = media_upload(
            file=cover_file, kind=MediaFile.Kind.IMAGE, uploaded_by=actor, alt_text=cover_alt, holder=notebook
        )
    notebook.save(update_fields=["cover", "updated_at"])
    if previous is not None:
        media_delete(media=previous)


def _notebook_recipients(notebook: Notebook) -> set[int]:
    ids = set(notebook.contributor_users.values_list("pk", flat=True))
    structures = list(notebook.contributor_structures.values_list("pk", flat=True))
    if structures:
        ids |= set(members_of(structures).values_list("pk", flat=True))
    return ids


def notebook_create(
    *,
    actor: User,
    title: str,
    opens_on,
    closes_on,
    audience: str,
    subtitle: str = "",
    theme: str = "",
    colour: str = Notebook.Colour.BLUE,
    presentation: str = "",
    school: Structure | None = None,
    audience_structures=(),
    contributor_users=(),
    contributor_structures=(),
    teachers_of_readers_contribute: bool = False,
    policy: str = Notebook.Policy.VALIDATED,
    school_pages_editable: bool = False,
    cover_file=None,
    cover_alt: str = "",
    slug: str = "",
) -> Notebook:
    """Open a notebook; its readers and contributors are told it is open to them."""
    if not permissions.can_create_notebook(actor) or not permissions.can_set_notebook_school(actor, school):
        raise PermissionDenied
    _check_dates(opens_on, closes_on)
    with transaction.atomic():
        notebook = Notebook.objects.create(
            title=title.strip(),
            subtitle=subtitle.strip(),
            theme=theme.strip(),
            slug=slug or _unique_slug(title),
            colour=colour,
            presentation=presentation,
            school=school,
            audience=audience,
            opens_on=opens_on,
            closes_on=closes_on,
            policy=policy,
            teachers_of_readers_contribute=teachers_of_readers_contribute,
            school_pages_editable=school_pages_editable,
            created_by=actor,
        )
        notebook.audience_structures.set(audience_structures)
        notebook.contributor_users.set(contributor_users)
        notebook.contributor_structures.set(contributor_structures)
        _set_cover(actor=actor, notebook=notebook, cover_file=cover_file, cover_alt=cover_alt)
        record(
            actor=actor,
            target=notebook,
            action=NotebooksAction.NOTEBOOK_CREATED,
            changes=changes_between(None, snapshot(notebook, NOTEBOOK_AUDIT_FIELDS), NOTEBOOK_AUDIT_FIELDS),
        )
        notify(
            kind="notebooks.opened",
            actor=actor,
            target=notebook,
            text=f"Nouveau cahier multimédia : {notebook.title}",
            url=notebook.get_absolute_url(),
            audience=notebook.get_audience(),
            recipients=_notebook_recipients(notebook),
            key=f"notebooks.opened:{notebook.pk}",
        )
    return notebook


def notebook_update(*, actor: User, notebook: Notebook, cover_file=None, cover_alt: str = "", **changes) -> Notebook:
    """Change a notebook's settings (fields of :data:`NOTEBOOK_FIELDS`, :data:`NOTEBOOK_RELATIONS`, ``school``)."""
    if not permissions.can_manage_notebook(actor, notebook):
        raise PermissionDenied
    unknown = set(changes) - {*NOTEBOOK_FIELDS, *NOTEBOOK_RELATIONS, "school"}
    if unknown:
        raise TypeError(f"notebook_update() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        stored = Notebook.objects.select_for_update().get(pk=notebook.pk)
        stored_title = stored.title
        school_changes = "school" in changes and changes["school"] != stored.school
        if school_changes and not permissions.can_set_notebook_school(actor, changes["school"]):
            raise PermissionDenied
        before = snapshot(stored, NOTEBOOK_AUDIT_FIELDS)
        for name in (*NOTEBOOK_FIELDS, "school"):
            if name in changes:
                value = changes[name]
                setattr(stored, name, value.strip() if isinstance(value, str) and name != "presentation" else value)
        _check_dates(stored.opens_on, stored.closes_on)
        stored.save()
        for name in NOTEBOOK_RELATIONS:
            if name in changes:
                getattr(stored, name).set(changes[name])
        _set_cover(actor=actor, notebook=stored, cover_file=cover_file, cover_alt=cover_alt)
        if stored.title != stored_title:
            from .search import notebook_pages_index

            notebook_pages_index(stored)  # their results show the notebook's title
        record(
            actor=actor,
            target=stored,
            action=NotebooksAction.NOTEBOOK_UPDATED,
            changes=changes_between(before, snapshot(stored, NOTEBOOK_AUDIT_FIELDS), NOTEBOOK_AUDIT_FIELDS),
        )
    return stored


def notebook_delete(*, actor: User, notebook: Notebook) -> None:
    """Delete a notebook, its pages, copies and books; their media go too (uploads.access)."""
    if not permissions.can_manage_notebook(actor, notebook):
        raise PermissionDenied
    with transaction.atomic():
        record(actor=actor, target=notebook, action=NotebooksAction.NOTEBOOK_DELETED)
        files = [e.file.name for e in notebook.exports.all() if e.file]
        notebook.delete()
        transaction.on_commit(lambda: [_delete_stored(name) for name in files])


def _delete_stored(name: str) -> None:
    from django.core.files.storage import default_storage

    default_storage.delete(name)


# --- Locks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LockState:
    """Who holds a page's lock after an attempt: ``mine`` if this person does."""

    mine: bool
    holder: User | None
    expires_at: datetime | None


def _upsert_lock(*, page_id: int, user_id: int, now: datetime) -> bool:
    """Take or renew the lock in one statement; True if this person holds it afterwards.

    ``INSERT … ON CONFLICT (page) DO UPDATE … WHERE expired OR mine`` (SQLite ≥ 3.24 and
    PostgreSQL): the row changes only if the lock is free, expired or already held by this person,
    so two people racing for it cannot both win.
    """
    table = connection.ops.quote_name(PageLock._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    # Only the table's own name is interpolated (from the model); every value is a parameter.
    sql = (
        f"INSERT INTO {table} (page_id, holder_id, taken_at, expires_at) VALUES (%s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (page_id) DO UPDATE SET "
        f"taken_at = CASE WHEN {table}.holder_id = excluded.holder_id THEN {table}.taken_at ELSE excluded.taken_at END, "
        f"holder_id = excluded.holder_id, expires_at = excluded.expires_at "
        f"WHERE {table}.expires_at <= %s OR {table}.holder_id = excluded.holder_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [page_id, user_id, adapt(now), adapt(now + LOCK_DURATION), adapt(now)])
        taken = cursor.rowcount == 1
    if taken:
        pages_changed([page_id])  # raw SQL: no signal (the page shows who edits it, until when)
    return taken


def lock_state(*, page: Page, user: User, now: datetime | None = None) -> LockState:
    """Who holds the page's lock now (an expired lock is nobody's)."""
    now = now or timezone.now()
    lock = PageLock.objects.select_related("holder").filter(page_id=page.pk, expires_at__gt=now).first()
    if lock is None:
        return LockState(mine=False, holder=None, expires_at=None)
    return LockState(mine=lock.holder_id == user.pk, holder=lock.holder, expires_at=lock.expires_at)


def lock_take(*, actor: User, page: Page) -> LockState:
    """Take the page's lock for 10 minutes, or renew it (the editor's heartbeat); refused, says who holds it."""
    if not permissions.can_edit_page(actor, page):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        if _upsert_lock(page_id=page.pk, user_id=actor.pk, now=now):
            return LockState(mine=True, holder=actor, expires_at=now + LOCK_DURATION)
        return lock_state(page=page, user=actor, now=now)


def lock_release(*, actor: User, page: Page) -> bool:
    """Let go of one's own lock (on save, or « Quitter sans enregistrer »)."""
    with transaction.atomic():
        return PageLock.objects.filter(page_id=page.pk, holder_id=actor.pk).delete()[0] > 0


def lock_lift(*, actor: User, page: Page) -> bool:
    """A manager lifts someone's lock (recorded in the audit trail). False if nobody held it."""
    if not permissions.can_lift_lock(actor, page):
        raise PermissionDenied
    with transaction.atomic():
        lock = PageLock.objects.select_related("holder").filter(page_id=page.pk, expires_at__gt=timezone.now()).first()
        if lock is None:
            PageLock.objects.filter(page_id=page.pk).delete()
            return False
        holder = lock.holder
        lock.delete()
        record(
            actor=actor,
            target=page,
            action=NotebooksAction.LOCK_LIFTED,
            label=f"Verrou levé : la page était en cours de modification par {holder.get_full_name() or holder.email}",
        )
    return True


def _require_lock(actor: User, page: Page) -> None:
    if not _upsert_lock(page_id=page.pk, user_id=actor.pk, now=timezone.now()):
        state = lock_state(page=page, user=actor)
        who = state.holder.get_full_name() if state.holder else "quelqu’un d’autre"
        raise ValidationError(
            f"La page est en cours de modification par {who} : vos changements ne sont pas enregistrés, "
            "ils sont conservés ci-dessous. Réessayez dans quelques minutes."
        )


# --- Snapshots ---------------------------------------------------------------------------------


def page_snapshot(page: Page) -> dict:
    """The page as it stands, in JSON: what a frozen copy and a proposal keep."""
    blocks = []
    for block in page.blocks.select_related("media").order_by("position", "pk"):
        media = block.media
        blocks.append(
            {
                "kind": block.kind,
                "html": str(block.body.html) if block.kind == Block.Kind.TEXT else "",
                "media_id": media.pk if media else None,
                "alt": media.alt_text if media else "",
                "caption": block.caption,
                "transcript": block.transcript,
                "width": media.width if media else None,
                "height": media.height if media else None,
                "duration": media.duration if media else None,
            }
        )
    authors = sorted(page.authors.all(), key=lambda a: (a.last_name, a.first_name))
    return {
        "title": page.title,
        "school": page.school.name if page.school_id else "",
        "school_id": page.school_id,
        "class_label": page.class_label,
        "authors": [a.get_full_name() or a.email for a in authors],
        "credit": page.credit(),
        "blocks": blocks,
    }


# --- Pages -------------------------------------------------------------------------------------


def _default_school(actor: User, notebook: Notebook) -> Structure | None:
    schools = schools_taught_in(actor)
    if notebook.school_id and notebook.school_id in schools:
        return notebook.school
    if schools:
        return Structure.objects.filter(pk__in=schools).order_by("name").first()
    return None


def page_create(
    *, actor: User, notebook: Notebook, title: str, class_label: str = "", school: Structure | None = None
) -> Page:
    """Add a page (a draft, or published at once in an « immediate » notebook once it has content)."""
    if not permissions.can_add_page(actor, notebook):
        raise PermissionDenied
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Donnez un titre à la page."})
    if (
        school is not None
        and school.pk not in schools_taught_in(actor)
        and not permissions.can_manage_notebook(actor, notebook)
    ):
        raise PermissionDenied
    with transaction.atomic():
        last = notebook.pages.aggregate(last=Max("position"))["last"]
        page = Page.objects.create(
            notebook=notebook,
            title=title,
            class_label=class_label.strip(),
            school=school or _default_school(actor, notebook),
            position=0 if last is None else last + 1,
            created_by=actor,
        )
        page.authors.set([actor])
        record(
            actor=actor,
            target=page,
            action=NotebooksAction.PAGE_CREATED,
            changes=changes_between(None, snapshot(page, PAGE_AUDIT_FIELDS), PAGE_AUDIT_FIELDS),
        )
        _upsert_lock(page_id=page.pk, user_id=actor.pk, now=timezone.now())
        page_index(page)
    return page


@dataclass
class NewBlock:
    """A block to add at the end of the page: text (``body``), an image (``file`` + ``alt``), audio (``file``)."""

    kind: str
    body: str = ""
    file: object = None
    alt: str = ""
    caption: str = ""
    transcript: str = ""
    # Who the image or recording shows (privacy): pupils of the registry, or none recognisable.
    pupils: tuple = ()
    no_identifiable_pupil: bool = False


def _add_block(*, actor: User, page: Page, new: NewBlock, position: int) -> Block:
    block = Block(page=page, kind=new.kind, position=position, caption=new.caption.strip()[:200])
    if new.kind == Block.Kind.TEXT:
        block.body = new.body
        if not block.body.html.strip():
            raise ValidationError({"new_text": "Écrivez le texte du bloc avant de l’ajouter."})
    elif new.kind == Block.Kind.IMAGE:
        if new.file is None:
            raise ValidationError({"new_image": "Choisissez l’image à ajouter."})
        with media_errors_on(file="new_image", alt_text="new_image_alt"):
            block.media = media_upload(
                file=new.file, kind=MediaFile.Kind.IMAGE, uploaded_by=actor, alt_text=new.alt, holder=page
            )
    elif new.kind == Block.Kind.AUDIO:
        if new.file is None:
            raise ValidationError({"audio": "Choisissez ou enregistrez le son à ajouter."})
        with media_errors_on(file="audio"):
            block.media = media_upload(file=new.file, kind=MediaFile.Kind.AUDIO, uploaded_by=actor, holder=page)
        block.transcript = new.transcript.strip()
    else:
        raise ValueError(f"Unknown block kind: {new.kind!r}")
    if block.media is not None and (new.pupils or new.no_identifiable_pupil):
        try:
            media_declare(
                actor=actor, media=block.media, pupils=new.pupils, no_identifiable_pupil=new.no_identifiable_pupil
            )
        except ValidationError as error:  # on the editor's field
            raise ValidationError({"new_pupils": error.messages}) from error
    block.save()
    return block


def _media_in_editions(page: Page) -> set[int]:
    ids = set()
    for content in page.editions.values_list("content", flat=True):
        ids |= {b.get("media_id") for b in content.get("blocks", []) if b.get("media_id")}
    return ids


def _remove_block(page: Page, block: Block) -> None:
    media = block.media
    block.delete()
    # A file of a frozen copy stays (a later edit never changes a published edition or a book).
    if media is not None and media.pk not in _media_in_editions(page):
        media_delete(media=media)


def _move_block(page: Page, block_id: int, direction: str) -> None:
    blocks = list(page.blocks.order_by("position", "pk"))
    index = next((i for i, b in enumerate(blocks) if b.pk == block_id), None)
    if index is None:
        return
    other = index - 1 if direction == MoveDirection.UP else index + 1
    if not 0 <= other < len(blocks):
        return
    blocks[index], blocks[other] = blocks[other], blocks[index]
    for position, block in enumerate(blocks):
        if block.position != position:
            block.position = position
            block.save(update_fields=["position"])


def page_save(
    *,
    actor: User,
    page: Page,
    version: int,
    title: str,
    class_label: str = "",
    blocks: dict | None = None,
    new_block: NewBlock | None = None,
    move: tuple[int, str] | None = None,
    remove: int | None = None,
    propose: bool = False,
) -> Page:
    """Save the page as edited from ``version``: its title, class, the blocks' texts (``blocks``:
    ``{block id: {"body"|"caption"|"transcript"|"alt": …}}``), and at most one block added, moved or
    removed. Refused (ValidationError, nothing written) if the page changed since ``version`` or if
    someone else holds its lock. Releases the lock unless a block was only moved, added or removed
    (the editor goes on). In an « immediate » notebook the page is published; with ``propose`` it
    is proposed to the managers."""
    if not permissions.can_edit_page(actor, page):
        raise PermissionDenied
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Donnez un titre à la page."})
    with transaction.atomic():
        _require_lock(actor, page)
        # The lost-update guard: one conditional UPDATE, counted.
        bumped = Page.objects.filter(pk=page.pk, version=version).update(
            version=F("version") + 1, title=title, class_label=class_label.strip()[:60], updated_at=timezone.now()
        )
        if not bumped:
            raise ValidationError(STALE_MESSAGE, code="stale")
        pages_changed([page.pk])  # QuerySet.update: no signal
        page = Page.objects.select_related("notebook", "school", "published_edition").get(pk=page.pk)
        before = snapshot(page, PAGE_AUDIT_FIELDS)
        for block in page.blocks.select_related("media"):
            fields = (blocks or {}).get(block.pk)
            if not fields:
                continue
            if "body" in fields and block.kind == Block.Kind.TEXT:
                block.body = fields["body"]
            if "caption" in fields:
                block.caption = fields["caption"].strip()[:200]
            if "transcript" in fields and block.kind == Block.Kind.AUDIO:
                block.transcript = fields["transcript"].strip()[:5000]
            block.save()
            if "alt" in fields and block.media is not None and block.kind == Block.Kind.IMAGE:
                alt = fields["alt"].strip()
                if not alt:
                    raise ValidationError(
                        {
                            f"block-{block.pk}-alt": "Décrivez l’image (texte alternatif) : c’est ce que liront les "
                            "personnes qui ne la voient pas."
                        }
                    )
                if alt != block.media.alt_text:
                    block.media.alt_text = alt[:300]
                    block.media.save(update_fields=["alt_text"])
        if new_block is not None:
            count = page.blocks.count()
            if count >= MAX_BLOCKS_PER_PAGE:
                raise ValidationError(f"Une page a au plus {MAX_BLOCKS_PER_PAGE} blocs : créez une autre page.")
            _add_block(actor=actor, page=page, new=new_block, position=count)
        if remove is not None:
            block = page.blocks.filter(pk=remove).select_related("media").first()
            if block is not None:
                _remove_block(page, block)
        if move is not None:
            _move_block(page, *move)
        if (
            page.status == Page.Status.PUBLISHED
            and page.notebook.is_validated
            and not permissions.can_review_page(actor, page)
        ):
            # Edited after validation: back to draft; readers keep reading the published copy.
            page.status = Page.Status.DRAFT
            page.save(update_fields=["status"])
        record(
            actor=actor,
            target=page,
            action=NotebooksAction.PAGE_UPDATED,
            changes=changes_between(before, snapshot(page, PAGE_AUDIT_FIELDS), PAGE_AUDIT_FIELDS),
        )
        going_on = new_block is not None or move is not None or remove is not None
        if not page.notebook.is_validated and not going_on:
            _publish(actor=actor, page=page, notify_authors=False)
        elif propose:
            _propose(actor=actor, page=page)
        if not going_on or propose:
            PageLock.objects.filter(page_id=page.pk, holder_id=actor.pk).delete()
        page_index(page)
    return page


def _check_proposable(page: Page) -> None:
    blocks = list(page.blocks.all())
    if not blocks:
        raise ValidationError("Ajoutez au moins un bloc (texte, image ou enregistrement) avant de proposer la page.")
    missing = [b for b in blocks if b.kind == Block.Kind.AUDIO and not b.transcript.strip()]
    if missing:
        raise ValidationError(
            {
                f"block-{missing[0].pk}-transcript": "Un enregistrement ne peut pas être proposé sans sa transcription : "
                "écrivez ce que l’on entend, pour les personnes qui ne peuvent pas l’écouter."
            }
        )


def _managers_to_tell(notebook: Notebook) -> set[int]:
    from accounts.audiences import Audience, AudienceKind, audience_members, directors_of

    ids = {notebook.created_by_id} if notebook.created_by_id else set()
    if notebook.school_id:
        ids |= set(directors_of([notebook.school_id]).values_list("pk", flat=True))
    if not ids:
        ids = set(audience_members(Audience(AudienceKind.DISTRICT_TEAM)).values_list("pk", flat=True))
    return ids


def _propose(*, actor: User, page: Page) -> None:
    _check_proposable(page)
    page.previous_proposal = page.proposal or (page.published_edition.content if page.published_edition else {})
    page.proposal = page_snapshot(page)
    page.status = Page.Status.PROPOSED
    page.proposed_at = timezone.now()
    page.review_comment = ""
    page.save(update_fields=["previous_proposal", "proposal", "status", "proposed_at", "review_comment"])
    record(actor=actor, target=page, action=NotebooksAction.PAGE_PROPOSED)
    notify(
        kind="notebooks.page_proposed",
        actor=actor,
        target=page,
        text=f"Une page attend votre validation dans « {page.notebook.title} » : {Truncator(page.title).chars(80)}",
        url=reverse("notebooks:queue", args=[page.notebook.slug]),
        recipients=_managers_to_tell(page.notebook),
        key=f"notebooks.page_proposed:{page.pk}:{page.version}",
    )


def page_propose(*, actor: User, page: Page) -> Page:
    """Propose a draft (or a page sent back) to the managers: every recording needs its transcript."""
    if not permissions.can_propose_page(actor, page):
        raise PermissionDenied
    with transaction.atomic():
        page = (
            Page.objects.select_for_update(of=("self",)).select_related("notebook", "published_edition").get(pk=page.pk)
        )
        if page.status not in (Page.Status.DRAFT, Page.Status.RETURNED):
            return page
        _propose(actor=actor, page=page)
    return page


def _publish(*, actor: User | None, page: Page, notify_authors: bool) -> PageEdition:
    _check_proposable(page)
    check_publication(media_of(page), reach=Channel.ENT, publisher="notebooks.page_publish", project=page.notebook)
    last = page.editions.aggregate(last=Max("number"))["last"] or 0
    edition = PageEdition.objects.create(page=page, number=last + 1, content=page_snapshot(page), validated_by=actor)
    page.published_edition = edition
    page.status = Page.Status.PUBLISHED
    page.review_comment = ""
    page.save(update_fields=["published_edition", "status", "review_comment"])
    page_index(page)
    record(
        actor=actor, target=page, action=NotebooksAction.PAGE_PUBLISHED, label=f"Publication (copie {edition.number})"
    )
    if notify_authors:
        notify(
            kind="notebooks.page_decided",
            actor=actor,
            target=page,
            text=f"Votre page « {Truncator(page.title).chars(80)} » est publiée dans « {page.notebook.title} »",
            url=page.get_absolute_url(),
            recipients=page.authors.all(),
            key=f"notebooks.page_published:{page.pk}:{edition.number}",
        )
    return edition


def page_publish(*, actor: User, page: Page) -> Page:
    """A manager validates a page: a frozen copy is kept, readers see it, its authors are told."""
    if not permissions.can_review_page(actor, page):
        raise PermissionDenied
    with transaction.atomic():
        page = Page.objects.select_for_update(of=("self",)).select_related("notebook", "school").get(pk=page.pk)
        _publish(actor=actor, page=page, notify_authors=True)
    return page


def page_return(*, actor: User, page: Page, comment: str) -> Page:
    """A manager sends a proposed page back to its authors, with a comment (required)."""
    if not permissions.can_review_page(actor, page):
        raise PermissionDenied
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": "Dites aux auteur·rices ce qu’il faut reprendre."})
    with transaction.atomic():
        page = Page.objects.select_for_update(of=("self",)).select_related("notebook").get(pk=page.pk)
        if page.status != Page.Status.PROPOSED:
            raise ValidationError("Cette page n’est plus en attente de validation.")
        page.status = Page.Status.RETURNED
        page.review_comment = comment[:2000]
        page.save(update_fields=["status", "review_comment"])
        record(
            actor=actor,
            target=page,
            action=NotebooksAction.PAGE_RETURNED,
            label=f"Renvoyée à ses auteur·rices : « {Truncator(comment).chars(200)} »",
        )
        notify(
            kind="notebooks.page_decided",
            actor=actor,
            target=page,
            text=f"Votre page « {Truncator(page.title).chars(80)} » vous est renvoyée : {Truncator(comment).chars(120)}",
            url=page.get_absolute_url(),
            recipients=page.authors.all(),
            key=f"notebooks.page_returned:{page.pk}:{page.version}",
        )
    return page


def page_move(*, actor: User, page: Page, direction: str) -> Page:
    """A manager moves a page up or down in its notebook."""
    if not permissions.can_manage_notebook(actor, page.notebook):
        raise PermissionDenied
    with transaction.atomic():
        pages = list(Page.objects.select_for_update().filter(notebook_id=page.notebook_id).order_by("position", "pk"))
        index = next(i for i, p in enumerate(pages) if p.pk == page.pk)
        other = index - 1 if direction == MoveDirection.UP else index + 1
        if not 0 <= other < len(pages):
            return page
        pages[index], pages[other] = pages[other], pages[index]
        for position, each in enumerate(pages):
            if each.position != position:
                Page.objects.filter(pk=each.pk).update(position=position)
        record(
            actor=actor, target=page, action=NotebooksAction.PAGE_MOVED, label=f"Page déplacée en position {other + 1}"
        )
    return page


def page_delete(*, actor: User, page: Page) -> None:
    if not permissions.can_delete_page(actor, page):
        raise PermissionDenied
    with transaction.atomic():
        record(actor=actor, target=page, action=NotebooksAction.PAGE_DELETED)
        page_unindex(page.pk)
        page.delete()  # its blocks' files go with it (uploads.access.register_holder)


# --- The common book ---------------------------------------------------------------------------


def book_editions(notebook: Notebook) -> list[PageEdition]:
    """The frozen copies making the book now: each published page's latest copy, in page order."""
    pages = notebook.pages.published().select_related("published_edition").order_by("position", "pk")
    return [p.published_edition for p in pages]


def book_fingerprint(notebook: Notebook, editions: list[PageEdition]) -> str:
    """What the book is made of, hashed: the same content gives the same book (not rebuilt)."""
    data = {
        "title": notebook.title,
        "subtitle": notebook.subtitle,
        "theme": notebook.theme,
        "colour": notebook.colour,
        "presentation": str(notebook.presentation),
        "cover": notebook.cover_id,
        "editions": [e.pk for e in editions],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _book_media(notebook: Notebook, editions: list[PageEdition]) -> list[MediaFile]:
    """The cover and every image and recording of the editions a book is made of."""
    ids = {b.get("media_id") for e in editions for b in e.content.get("blocks", []) if b.get("media_id")}
    if notebook.cover_id:
        ids.add(notebook.cover_id)
    return list(MediaFile.objects.filter(pk__in=ids))


BOOK_TAKEN_DOWN = (
    "Une photo ou un enregistrement de ce livre a été masqué (autorisation retirée) : retirez-le ou floutez-le, "
    "puis refaites le livre."
)


def book_exports_take_down(media) -> int:
    """Withheld media (privacy): the exported books that contain them stop being downloadable at once."""
    ids = {m.pk for m in media}
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = {m.holder_object_id for m in media if m.holder_content_type_id == page_type.pk}
    notebook_type = ContentType.objects.get_for_model(Notebook)
    notebook_ids = {m.holder_object_id for m in media if m.holder_content_type_id == notebook_type.pk}
    notebook_ids |= set(Page.objects.filter(pk__in=page_ids).values_list("notebook_id", flat=True))
    editions = {
        e.pk
        for e in PageEdition.objects.filter(page_id__in=page_ids)
        if {b.get("media_id") for b in e.content.get("blocks", [])} & ids
    }
    taken = 0
    for export in BookExport.objects.filter(notebook_id__in=notebook_ids).exclude(status=BookExport.Status.FAILED):
        covers = export.notebook.cover_id in ids
        if covers or set(export.editions) & editions:
            if export.file:
                name = export.file.name
                transaction.on_commit(lambda name=name: _delete_stored(name))
            export.status, export.error, export.file = BookExport.Status.FAILED, BOOK_TAKEN_DOWN, ""
            export.save(update_fields=["status", "error", "file"])
            taken += 1
    return taken


def book_export_request(*, actor: User, notebook: Notebook, format: str) -> BookExport:
    """Ask for the book in ``format``; the same content already exported (or being exported) is reused."""
    if not permissions.can_export_book(actor, notebook):
        raise PermissionDenied
    if format not in BookExport.Format.values:
        raise ValueError(f"Unknown book format: {format!r}")
    with transaction.atomic():
        Notebook.objects.select_for_update().filter(pk=notebook.pk).first()
        editions = book_editions(notebook)
        if not editions:
            raise ValidationError("Le livre ne peut pas être fait : aucune page n’est encore publiée.")
        check_publication(
            _book_media(notebook, editions), reach=Channel.BOOK, publisher="notebooks.book_export", project=notebook
        )
        fingerprint = book_fingerprint(notebook, editions)
        export, created = BookExport.objects.get_or_create(
            notebook=notebook,
            format=format,
            fingerprint=fingerprint,
            defaults={"editions": [e.pk for e in editions], "requested_by": actor},
        )
        if not created and export.status != BookExport.Status.FAILED:
            return export
        if not created:  # failed before: try again
            export.status, export.progress, export.error, export.requested_by = BookExport.Status.PENDING, 0, "", actor
            export.save(update_fields=["status", "progress", "error", "requested_by"])
        record(
            actor=actor,
            target=notebook,
            action=NotebooksAction.BOOK_REQUESTED,
            label=f"Export du livre commun demandé ({export.get_format_display()})",
        )
        from .tasks import export_book

        enqueue_on_commit(export_book, export.pk)
    return export


def book_export_start(*, export_id: int) -> BookExport | None:
    """The task claims a pending export (one conditional UPDATE); None if gone, ready or claimed."""
    with transaction.atomic():
        claimed = BookExport.objects.filter(
            pk=export_id, status__in=[BookExport.Status.PENDING, BookExport.Status.FAILED]
        ).update(status=BookExport.Status.RUNNING, progress=0, error="")
        if not claimed:
            return None
        return BookExport.objects.select_related("notebook", "notebook__cover").get(pk=export_id)


def book_export_progress(*, export_id: int, percent: int) -> None:
    BookExport.objects.filter(pk=export_id, status=BookExport.Status.RUNNING).update(progress=max(0, min(99, percent)))


def book_export_finish(*, export: BookExport, name: str, content) -> BookExport:
    """Store the made file, mark the export ready and tell who asked (once)."""
    with transaction.atomic():
        export.file.save(name, content, save=False)
        export.status, export.progress, export.finished_at = BookExport.Status.READY, 100, timezone.now()
        export.save(update_fields=["file", "status", "progress", "finished_at"])
        if export.requested_by_id:
            notify(
                kind="notebooks.book_ready",
                actor=None,
                target=export.notebook,
                text=f"Le livre commun « {export.notebook.title} » ({export.get_format_display()}) est prêt",
                url=export.notebook.get_absolute_url() + "#livre",
                recipients=[export.requested_by_id],
                key=f"notebooks.book_ready:{export.pk}",
            )
    return export


def book_export_fail(*, export_id: int, reason: str) -> None:
    BookExport.objects.filter(pk=export_id).update(status=BookExport.Status.FAILED, error=reason[:300])
