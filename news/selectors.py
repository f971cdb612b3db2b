"""Reads about news that depend on who asks. Each costs a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.audiences import (
    Audience,
    AudienceKind,
    addressed_to_structure,
    audience_members,
    directors_of,
    prefetch_current_directors,
)
from accounts.models import Structure, User
from accounts.permissions import schools_directed_by
from ent.lists import Cut, count_of, first_of
from notifications.models import Notification

from .models import Acknowledgement, Feed, Post, PostRead, PostStatus, Registration
from .permissions import acknowledgements_followed_by, feeds_visible_to, posts_visible_to

PARIS = ZoneInfo("Europe/Paris")


def _with_read_flag(posts: QuerySet[Post], user) -> QuerySet[Post]:
    """``is_read``: this person opened the post, or wrote it (an author's own post is never « Nouveau »)."""
    opened = Exists(PostRead.objects.filter(post=OuterRef("pk"), user=user))
    return posts.annotate(
        is_read=Case(When(author_id=user.pk, then=Value(True)), default=opened, output_field=BooleanField())
    )


def _listing(posts: QuerySet[Post], user) -> QuerySet[Post]:
    return _with_read_flag(posts, user).select_related("author", "cover")


def feed_posts(*, user, feed: str, month: dt.date | None = None, author_id: int | None = None) -> QuerySet[Post]:
    """A feed as this person sees it: live posts, pinned first then newest, each flagged read or not."""
    posts = Post.objects.live().filter(posts_visible_to(user), feed=feed)
    posts = _filter(posts, month=month, author_id=author_id)
    return _listing(posts, user).order_by("-pinned", "-published_at", "-pk")


def archive_posts(*, user, feed: str, month: dt.date | None = None, author_id: int | None = None) -> QuerySet[Post]:
    posts = Post.objects.archived().filter(posts_visible_to(user), feed=feed)
    posts = _filter(posts, month=month, author_id=author_id)
    return _listing(posts, user).order_by("-published_at", "-pk")


def _filter(posts, *, month, author_id):
    if month is not None:
        start = dt.datetime(month.year, month.month, 1, tzinfo=PARIS)
        end = dt.datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=PARIS)
        posts = posts.filter(published_at__gte=start, published_at__lt=end)
    if author_id is not None:
        posts = posts.filter(author_id=author_id)
    return posts


def filter_choices(*, user, feed: str, archive: bool = False) -> dict:
    """The months and the authors present in a feed (or its archive), for the filter form. Two queries."""
    base = (Post.objects.archived() if archive else Post.objects.live()).filter(posts_visible_to(user), feed=feed)
    months = (
        base.annotate(month=TruncMonth("published_at", tzinfo=PARIS))
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()
    )
    authors = (  # their names only: kept in the shared cache (news.views), never a password hash
        User.objects.filter(pk__in=base.values("author_id"))
        .only("pk", "first_name", "last_name")
        .order_by("last_name", "first_name")
    )
    return {"months": [m.date() if isinstance(m, dt.datetime) else m for m in months], "authors": list(authors)}


def feed_overview(*, user, per_feed: int = 3) -> list[tuple[str, Cut]]:
    """The newest posts of each feed this person may read, and how many the feed holds (one query
    per feed: at most three)."""
    return [(feed, first_of(feed_posts(user=user, feed=feed), per_feed)) for feed in feeds_visible_to(user)]


def week_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to the next Monday 00:00, Europe/Paris, around ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=PARIS)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time.min, tzinfo=PARIS)
    return start, end


def week_posts(*, user, day: dt.date | None = None) -> QuerySet[Post]:
    """Everything published this week (Monday–Sunday) in the feeds this person may read."""
    start, end = week_bounds(day or timezone.localdate())
    posts = Post.objects.once_published().filter(
        posts_visible_to(user), feed__in=feeds_visible_to(user), published_at__gte=start, published_at__lt=end
    )
    return _listing(posts, user).order_by("-published_at", "-pk")


def post_for(*, user, pk: int) -> Post | None:
    """One post, if this person may open it (None otherwise: the view answers 404).

    For a signed-in person, in the same query: ``opened`` (they opened it before) and
    ``unread_notifications`` (notifications about it they have not read), so that opening it writes
    only when something changes (``services.post_mark_read``)."""
    posts = Post.objects.filter(posts_visible_to(user), pk=pk).select_related("author", "cover", "reviewed_by")
    if user.is_authenticated:
        posts = posts.annotate(
            opened=Exists(PostRead.objects.filter(post=OuterRef("pk"), user=user)),
            unread_notifications=Exists(
                Notification.objects.filter(
                    recipient=user,
                    target_type=ContentType.objects.get_for_model(Post),
                    target_id=OuterRef("pk"),
                    read_at__isnull=True,
                )
            ),
        )
    return posts.first()


def post_attachments(post: Post):
    from uploads.models import MediaFile

    return list(
        MediaFile.objects.filter(
            holder_content_type=ContentType.objects.get_for_model(Post),
            holder_object_id=post.pk,
            kind=MediaFile.Kind.DOCUMENT,
        ).order_by("created_at", "pk")
    )


def work_in_progress(*, user, reviewer: bool) -> QuerySet[Post]:
    """Posts not (yet) published: the reviewer sees proposals and the team's drafts; others their own."""
    states = [PostStatus.DRAFT, PostStatus.SUBMITTED, PostStatus.RETURNED, PostStatus.SCHEDULED]
    posts = Post.objects.filter(status__in=states).select_related("author")
    if reviewer:
        posts = posts.filter(Q(author=user) | ~Q(status__in=[PostStatus.DRAFT, PostStatus.RETURNED]))
    else:
        posts = posts.filter(author=user)
    order = Case(When(status=PostStatus.SUBMITTED, then=Value(0)), default=Value(1))
    return posts.annotate(order=order).order_by("order", "-updated_at")


# --- Recipients --------------------------------------------------------------------------------


def post_recipients(post: Post) -> QuerySet[User]:
    """The people a post is addressed to (for notifications): its feed's public, narrowed by its audience."""
    audience = post.get_audience()
    if post.feed != Feed.DIRECTORS:
        return audience_members(audience)
    if audience.kind != AudienceKind.STRUCTURES:
        return audience_members(Audience(AudienceKind.DIRECTORS))
    return directors_of(audience.structure_ids)


def district_team() -> QuerySet[User]:
    return audience_members(Audience(AudienceKind.DISTRICT_TEAM))


# --- Acknowledgements --------------------------------------------------------------------------


def audience_schools(post: Post) -> QuerySet[Structure]:
    """The schools expected to acknowledge a post: those of its audience, or every school."""
    schools = Structure.objects.schools()
    if post.audience == AudienceKind.STRUCTURES:
        schools = schools.filter(pk__in=post.audience_structures.values("pk"))
    return schools


@dataclass(frozen=True)
class AckSummary:
    acknowledged: int
    expected: int

    @property
    def missing(self) -> int:
        return self.expected - self.acknowledged


def acknowledgement_rows(post: Post) -> QuerySet[Structure]:
    """Every expected school with its acknowledgement (or none) and its current directors, missing first.

    Two queries whatever the number of schools: the schools with their acknowledgement, and their directors.
    """
    acks = Acknowledgement.objects.filter(post=post, school=OuterRef("pk"))
    return (
        audience_schools(post)
        .annotate(
            acknowledged_at=Subquery(acks.values("acknowledged_at")[:1]),
            acknowledged_by_first=Subquery(acks.values("user__first_name")[:1]),
            acknowledged_by_last=Subquery(acks.values("user__last_name")[:1]),
            has_acknowledged=Exists(acks),
        )
        .prefetch_related(prefetch_current_directors("current_directors"))
        .order_by(F("has_acknowledged").asc(), "name")
    )


def acknowledgement_summary(post: Post) -> AckSummary:
    acks = Acknowledgement.objects.filter(post=post, school=OuterRef("pk"))
    counts = audience_schools(post).aggregate(
        expected=Count("pk"),
        acknowledged=Sum(Case(When(Exists(acks), then=Value(1)), default=Value(0))),
    )
    return AckSummary(acknowledged=counts["acknowledged"] or 0, expected=counts["expected"] or 0)


def my_acknowledgements(*, user, post: Post) -> dict:
    """For a director: the schools of theirs this post expects, and those that already acknowledged."""
    directed = schools_directed_by(user)
    expected = list(audience_schools(post).filter(pk__in=directed).order_by("name"))
    done = {
        ack.school_id: ack
        for ack in Acknowledgement.objects.filter(post=post, school__in=expected).select_related("school", "user")
    }
    return {"schools": expected, "done": done, "pending": [s for s in expected if s.pk not in done]}


def unacknowledged_directors(post: Post) -> QuerySet[User]:
    """The current directors of the expected schools that have not acknowledged."""
    acked = Acknowledgement.objects.filter(post=post).values("school_id")
    schools = audience_schools(post).exclude(pk__in=acked)
    return directors_of(schools)


def acknowledgements_owed(*, user, limit: int = 5) -> Cut:
    """Posts in the feed that ask this director to acknowledge, for a school of theirs that has not."""
    directed = schools_directed_by(user)
    if not directed:
        return Cut()
    acked = Acknowledgement.objects.filter(post=OuterRef("pk"), school_id__in=directed)
    posts = (
        Post.objects.live()
        .filter(posts_visible_to(user), feed=Feed.DIRECTORS, requires_ack=True)
        .exclude(Exists(acked))
        .defer("body")  # kept per person in the shared cache (news.home): a title and a date are shown
        .order_by(F("ack_due_date").asc(nulls_last=True), "-published_at", "-pk")
    )
    return first_of(posts, limit)


def acknowledgements_missing(*, user, limit: int = 5) -> Cut:
    """The live posts whose acknowledgements this person follows and that some schools still owe,
    nearest due date first, each with ``acknowledged`` and ``expected`` (« 36 / 59 écoles »): one
    query, whatever the number of posts and schools (the counts are subqueries, as in
    :func:`acknowledgement_summary`)."""
    schools = Structure.objects.schools()
    addressed = Post.audience_structures.through.objects.filter(post_id=OuterRef(OuterRef("pk"))).values("structure_id")
    narrow = Q(audience=AudienceKind.STRUCTURES)
    acks = Acknowledgement.objects.filter(post=OuterRef("pk"), school__kind=Structure.Kind.SCHOOL)
    posts = (
        Post.objects.live()
        .filter(acknowledgements_followed_by(user), feed=Feed.DIRECTORS)
        .annotate(
            expected=Case(
                When(narrow, then=count_of(schools.filter(pk__in=addressed))),
                default=count_of(schools),
            ),
            acknowledged=Case(
                When(narrow, then=count_of(acks.filter(school_id__in=addressed))),
                default=count_of(acks),
            ),
        )
        .filter(acknowledged__lt=F("expected"))
        .order_by(F("ack_due_date").asc(nulls_last=True), "-published_at", "-pk")
    )
    return first_of(posts, limit)


# --- Home panel, registrations ---------------------------------------------------------------


def unread_posts(*, user, limit: int = 5) -> Cut:
    """The newest live posts this person has not opened (their own posts are never new), and how many."""
    feeds = feeds_visible_to(user)
    if not feeds:
        return Cut()
    posts = (
        Post.objects.live()
        .filter(posts_visible_to(user), feed__in=feeds)
        .exclude(author_id=user.pk)
        .exclude(Exists(PostRead.objects.filter(post=OuterRef("pk"), user=user)))
        .defer("body")  # kept per person in the shared cache (news.home): a title and a date are shown
        .order_by("-published_at", "-pk")
    )
    return first_of(posts, limit)


def proposals_to_review(*, limit: int = 1) -> Cut:
    """Proposals submitted and waiting for the district team, the oldest first, and how many."""
    return first_of(Post.objects.filter(status=PostStatus.SUBMITTED).order_by("updated_at", "pk"), limit)


def structure_news(*, user, structure, limit: int = 5) -> list[Post]:
    """The newest posts in the feeds now that are addressed to this structure and that this person may open."""
    if not feeds_visible_to(user):
        return []
    posts = Post.objects.live().filter(posts_visible_to(user)).filter(addressed_to_structure(structure, Post))
    return list(posts.select_related("author").order_by("-published_at", "-pk")[:limit])


def registrations_for(post: Post) -> QuerySet[Registration]:
    return post.registrations.select_related("school", "registered_by").order_by("school__name", "class_name")


def registration_of(*, user, post: Post) -> Registration | None:
    return post.registrations.filter(registered_by=user).select_related("school").first()


def registration_totals(post: Post) -> dict:
    return post.registrations.aggregate(
        classes=Count("pk"), schools=Count("school", distinct=True), pupils=Sum("pupil_count")
    )


def project_partner_schools(structure_ids) -> set[int]:
    """The schools registered to a project post one of these schools is registered to
    (``accounts.partners``), one query."""
    shared = Registration.objects.filter(school_id__in=structure_ids).values("post_id")
    return set(
        Registration.objects.filter(post_id__in=shared).order_by().values_list("school_id", flat=True).distinct()
    )
