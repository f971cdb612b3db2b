"""Every "may this person…" question about news. Views and templates ask these, never a role.

Who does what:

* the district team (IEN, counsellors, secretary) and administrators write, publish, schedule,
  archive and validate proposals in the three feeds, and see every post in every state;
* directors read the three feeds; teachers and the RASED read the pedagogical and projects
  feeds only (the directors' feed does not exist for them: 404);
* directors and teachers propose posts to the pedagogical and projects feeds (brouillon →
  soumis), edit them while they are brouillon or renvoyé, and register classes to projects;
* directors acknowledge the posts that ask for it; the author and the IEN follow who did.
"""

from django.db.models import Q

from accounts.audiences import addressed_to
from accounts.permissions import acts_for_district, is_inspector, schools_directed_by, schools_taught_in, teaches
from accounts.roles import viewer
from ent.predicates import EVERYTHING, NOTHING, Predicate, where

from .models import Feed, Post, PostStatus, once_published

PROPOSABLE_FEEDS = (Feed.PEDAGOGY, Feed.PROJECTS)
EDITABLE_BY_PROPOSER = (PostStatus.DRAFT, PostStatus.RETURNED)


# --- Feeds -------------------------------------------------------------------------------------


def feeds_visible_to(user) -> list[str]:
    """The feeds this person may read, in display order."""
    v = viewer(user)
    if not v.is_authenticated:
        return []
    if acts_for_district(user) or schools_directed_by(user):
        return [Feed.PEDAGOGY, Feed.PROJECTS, Feed.DIRECTORS]
    if v.has_membership:
        return [Feed.PEDAGOGY, Feed.PROJECTS]
    return []


def can_view_feed(user, feed: str) -> bool:
    return feed in feeds_visible_to(user)


def can_write_news(user) -> bool:
    """May open the writing pages at all (publish or propose in at least one feed)."""
    return any(can_create_post(user, feed) for feed in Feed.values)


def can_create_post(user, feed: str) -> bool:
    """The district team writes in every feed; directors and teachers propose in two of them."""
    if acts_for_district(user):
        return True
    return feed in PROPOSABLE_FEEDS and can_propose(user)


def can_propose(user) -> bool:
    """Directors and teachers propose; their posts are published by the district team."""
    return teaches(user) and not acts_for_district(user)


def feeds_writable_by(user) -> list[str]:
    return [feed for feed in Feed.values if can_create_post(user, feed)]


# --- Reading posts -----------------------------------------------------------------------------


def post_readers(user) -> Predicate:
    """The one rule for "may open this post": both :func:`posts_visible_to` and :func:`can_view_post`.

    Addressed to them and published, or their own work, in a feed they read. The district team
    sees every post in every state (they validate, schedule and archive).
    """
    if not viewer(user).is_authenticated:
        return NOTHING
    if acts_for_district(user):
        return EVERYTHING
    own = where(author_id=user.pk)
    addressed = once_published() & addressed_to(user, Post)
    return where(feed__in=feeds_visible_to(user)) & (own | addressed)


def posts_visible_to(user) -> Q:
    """The posts this person may open (see :func:`post_readers`)."""
    return post_readers(user).q()


def can_view_post(user, post: Post) -> bool:
    return post_readers(user).check(post)


# --- Writing -----------------------------------------------------------------------------------


def is_author(user, post: Post) -> bool:
    return user.is_authenticated and post.author_id == user.pk


def can_edit_post(user, post: Post) -> bool:
    if acts_for_district(user):
        return post.status != PostStatus.ARCHIVED
    return is_author(user, post) and post.status in EDITABLE_BY_PROPOSER and can_propose(user)


def can_submit_post(user, post: Post) -> bool:
    return can_edit_post(user, post) and can_propose(user) and post.status in EDITABLE_BY_PROPOSER


def can_publish_post(user, post: Post) -> bool:
    """Publish now, or schedule: the district team, for a draft, a proposal or a scheduled post."""
    return acts_for_district(user) and post.status in (PostStatus.DRAFT, PostStatus.SUBMITTED, PostStatus.SCHEDULED)


def post_form_buttons(user, *, feed: str, post: Post | None = None) -> dict[str, bool]:
    """The post form's buttons this person may use, for its template: ``publish`` (« Publier ou
    programmer ») and ``submit`` (« Soumettre à validation »), by the very checks with which
    ``news.services.post_write`` takes or refuses that step. A new post is its author's draft.

    Saving (« Enregistrer ») is always offered: opening the form already needs
    :func:`can_create_post` or :func:`can_edit_post`, which saving checks.
    """
    post = post if post is not None else Post(feed=feed, author_id=user.pk, status=PostStatus.DRAFT)
    return {"publish": can_publish_post(user, post), "submit": can_submit_post(user, post)}


def can_return_post(user, post: Post) -> bool:
    """Send a proposal back to its author with a comment."""
    return acts_for_district(user) and post.status == PostStatus.SUBMITTED


def can_archive_post(user, post: Post) -> bool:
    return acts_for_district(user) and post.status == PostStatus.PUBLISHED


def can_delete_post(user, post: Post) -> bool:
    """Only from the admin: the district team (the site archives instead)."""
    return acts_for_district(user)


def can_notify_again(user, post: Post) -> bool:
    """When editing a published post, its author may ask that its audience be told again."""
    return acts_for_district(user) and post.status == PostStatus.PUBLISHED


def can_set_publication_options(user) -> bool:
    """Date, expiry, « à la une », audience and acknowledgement: the district team's choices."""
    return acts_for_district(user)


def can_view_revisions(user, post: Post) -> bool:
    return acts_for_district(user) or is_author(user, post)


def can_review_proposals(user) -> bool:
    return acts_for_district(user)


# --- Acknowledgements --------------------------------------------------------------------------


def is_asked_to_acknowledge(user, post: Post) -> bool:
    """This director is among those the post asks to acknowledge (whether done or not)."""
    return post.requires_ack and bool(schools_directed_by(user)) and can_view_post(user, post)


def can_acknowledge_post(user, post: Post) -> bool:
    """A director to whom the post is addressed, while it is in the feed."""
    return post.requires_ack and post.is_live() and bool(schools_directed_by(user)) and can_view_post(user, post)


def acknowledgement_followers(user) -> Predicate:
    """The one rule for "follows who acknowledged this post": its author, the IEN and administrators.

    Read by :func:`can_view_acknowledgements` (one post) and :func:`acknowledgements_followed_by`
    (the « À faire » of Accueil: the posts whose missing acknowledgements this person follows).
    """
    v = viewer(user)
    if not v.is_authenticated:
        return NOTHING
    asked = where(requires_ack=True)
    if is_inspector(user) or v.is_superuser:
        return asked
    return asked & where(author_id=user.pk)


def can_view_acknowledgements(user, post: Post) -> bool:
    """The post's author and the IEN follow who acknowledged (so do administrators)."""
    return acknowledgement_followers(user).check(post)


def acknowledgements_followed_by(user) -> Q:
    return acknowledgement_followers(user).q()


def follows_acknowledgements(user) -> bool:
    """May have posts to follow at all: who writes in the directors' feed, the IEN, administrators."""
    v = viewer(user)
    return can_create_post(user, Feed.DIRECTORS) or is_inspector(user) or v.is_superuser


def is_asked_for_acknowledgements(user) -> bool:
    """Directs a school: the directors' posts that ask for it wait for their acknowledgement."""
    return bool(schools_directed_by(user))


def can_remind(user, post: Post) -> bool:
    return can_view_acknowledgements(user, post) and post.is_live()


# --- Project registrations ---------------------------------------------------------------------


def schools_registering_for(user) -> frozenset:
    """The schools where this person teaches or directs (where they may register a class)."""
    return schools_taught_in(user)


def can_register_class(user, post: Post) -> bool:
    return (
        post.feed == Feed.PROJECTS
        and post.registration_closes_at is not None
        and bool(schools_registering_for(user))
        and can_view_post(user, post)
    )


def can_view_registrations(user, post: Post) -> bool:
    """The list of registered classes by school: the project's author and the district team."""
    return post.registration_closes_at is not None and (is_author(user, post) or acts_for_district(user))
