"""Reads of the blogs, by who asks. Each returns a bounded number of queries, whatever the data."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.apps import apps
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.audiences import members_of
from accounts.models import Structure, User
from accounts.permissions import acts_for_district, schools_taught_in
from accounts.roles import viewer
from accounts.selectors import structures_with_ids
from ent import versions
from ent.lists import Cut, count_of

from .models import Blog, Comment, CommentReport, Post, PostImage, Tag
from .permissions import (
    blogs_moderated_by,
    blogs_visible_to,
    can_delete_comment,
    can_moderate,
    can_report_comment,
    posts_visible_to,
    series_planned_by,
)
from .weeks import SchoolWeek, SeriesCalendar, lookahead_end, monday_of, range_label

PLANNING_WEEKS = 12


# --- Holidays and weeks ------------------------------------------------------------------------


def school_holidays_between(start: date, end: date) -> list:
    """School holidays from the timeline app, when it is installed; none otherwise."""
    if not apps.is_installed("timeline"):
        return []
    from timeline.selectors import school_holidays_between as timeline_holidays

    return list(timeline_holidays(start, end))


def series_calendar(*, blog: Blog, until: date) -> SeriesCalendar | None:
    """The weeks of a weekly series up to ``until`` (one query for the holidays), None for other blogs."""
    if not blog.is_weekly_series or blog.series_start is None:
        return None
    start = monday_of(blog.series_start)
    end = max(until, start) + timedelta(days=6)
    return SeriesCalendar(blog.series_start, school_holidays_between(start, end))


def attach_weeks(*, blog: Blog, posts) -> list[Post]:
    """Give each post of a series its ``week`` (:class:`SchoolWeek`, or None), with one query."""
    posts = list(posts)
    weeks = [p.week_start for p in posts if p.week_start]
    calendar = series_calendar(blog=blog, until=max(weeks)) if weeks else None
    for post in posts:
        post.week = calendar.week(post.week_start) if calendar and post.week_start else None
    return posts


# --- Blogs -------------------------------------------------------------------------------------


def blog_list(*, user) -> QuerySet[Blog]:
    published = Q(posts__status=Post.Status.PUBLISHED)
    return (
        Blog.objects.filter(blogs_visible_to(user))
        .select_related("cover")
        .prefetch_related("owner_structures")
        .annotate(
            post_count=Count("posts", filter=published), last_published_at=Max("posts__published_at", filter=published)
        )
        .order_by("-is_weekly_series", "title")
    )


def schools_for_new_blog(*, user, first_code: str = "") -> list[Structure] | None:
    """The schools a teacher or a director may open a blog for (the one of ``first_code`` first);
    None for the district team, who give a blog any owner."""
    if acts_for_district(user):
        return None
    schools = sorted(structures_with_ids(ids=schools_taught_in(user)), key=lambda s: (s.code != first_code, s.name))
    return schools


def structure_blogs(*, user, structure) -> dict[str, list[Blog]]:
    """The blogs this person may read that belong to this school, and the projects it takes part in."""
    blogs = list(
        blog_list(user=user)
        .filter(owner_kind__in=[Blog.OwnerKind.SCHOOL, Blog.OwnerKind.PROJECT], owner_structures=structure)
        .order_by("title", "pk")
    )
    return {
        "school": [b for b in blogs if b.owner_kind == Blog.OwnerKind.SCHOOL],
        "projects": [b for b in blogs if b.owner_kind == Blog.OwnerKind.PROJECT],
    }


def blog_by_slug(*, slug: str) -> Blog | None:
    return Blog.objects.select_related("cover").prefetch_related("owner_structures").filter(slug=slug).first()


def blog_for_reading(*, slug: str) -> Blog | None:
    """:func:`blog_by_slug` for the pages that read a blog (its cards, a month, a tag, a post),
    kept in the shared cache under the versions of what it holds: ``blogs:content`` (any blog saved
    or deleted, its contributors or schools changed, its cover's media processed, refused or
    deleted: ``apps._keep_caches_current``), the schools' (``structures``: its owner's name) and
    the media withheld in bulk (``uploads:withheld``: its cover withheld after a consent is
    withdrawn). Writing views read the row itself (``blog_by_slug``)."""
    from accounts.roles import STRUCTURES_VERSION
    from uploads.services import WITHHELD_VERSION

    return versions.cached(
        ["blogs:content", STRUCTURES_VERSION, WITHHELD_VERSION],
        f"blogs:by-slug:{slug}",
        lambda: blog_by_slug(slug=slug),
    )


def tag_by_slug(*, slug: str) -> Tag | None:
    return Tag.objects.filter(slug=slug).first()


def blog_posts(*, blog: Blog) -> QuerySet[Post]:
    """A blog's published posts, newest first, with what their card shows."""
    return (
        blog.posts.published()
        .select_related("author", "blog")
        .prefetch_related(
            "tags", Prefetch("images", queryset=PostImage.objects.select_related("media"), to_attr="image_list")
        )
        .annotate(comment_count=Count("comments", filter=Q(comments__status=Comment.Status.PUBLISHED)))
        .order_by("-published_at", "-pk")
    )


def blog_posts_in_month(*, blog: Blog, year: int, month: int) -> QuerySet[Post]:
    tz = timezone.get_current_timezone()
    first = timezone.make_aware(datetime(year, month, 1), tz)
    following = timezone.make_aware(datetime(year + month // 12, month % 12 + 1, 1), tz)
    return blog_posts(blog=blog).filter(published_at__gte=first, published_at__lt=following)


def blog_posts_tagged(*, blog: Blog, tag: Tag) -> QuerySet[Post]:
    return blog_posts(blog=blog).filter(tags=tag)


def blog_archive_months(*, blog: Blog) -> list[dict]:
    """[{"month": date, "count": n}], newest first: the months in which the blog published."""
    rows = (
        blog.posts.published()
        .annotate(month=TruncMonth("published_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )
    return [{"month": timezone.localtime(row["month"]).date(), "count": row["count"]} for row in rows]


def blog_tags(*, blog: Blog) -> QuerySet[Tag]:
    """The tags of the blog's published posts, with how many posts carry each."""
    return (
        Tag.objects.filter(posts__blog=blog, posts__status=Post.Status.PUBLISHED)
        .annotate(post_count=Count("posts"))
        .order_by("kind", "sort_name")
    )


def blog_sidebar(*, blog: Blog) -> tuple[list[dict], list[Tag]]:
    """The blog's archive months and tags, kept in the cache until one of its posts or a tag changes
    (see ``apps._keep_caches_current``): no query on most pages of the blog."""
    return versions.cached(
        [blog_version(blog.pk), TAGS_VERSION],
        f"blogs:sidebar:{blog.pk}",
        lambda: (blog_archive_months(blog=blog), list(blog_tags(blog=blog))),
    )


TAGS_VERSION = "blogs:tags"
#: ``timeline.selectors``' version of the school holidays (a series' weeks skip them).
HOLIDAYS_VERSION = "holidays"


def blog_version(blog_id: int) -> str:
    """The version of a blog and of what its pages show of its posts: the blog's row and named
    contributors, its posts and their tags, their images and the media under them, their comments
    (``apps._keep_caches_current``)."""
    return f"blog:{blog_id}"


def blog_page_versions(*, blog: Blog) -> list[str]:
    """The versions of everything a blog's list of cards and its sidebar draw (``views._blog_page``),
    besides the person's memberships (``accounts.roles.kept_for``):

    - ``blog:<pk>`` (:func:`blog_version`): the blog (its address, whether it is public, its series'
      start, its contributors), its posts (title, date, text, week, tags, status: a scheduled post
      is published by a save), their images (which one comes first), the media under them (being
      processed, ready, refused, their description, who sent them) and their comments (the count);
    - ``blogs:tags``: a tag renamed; ``names`` (``accounts.models.NAMES_VERSION``): an author
      renamed (their profile, the admin, an import's bulk renames) or deleted;
    - ``holidays``: a series' week numbers skip the holidays;
    - ``uploads:withheld``: a media withheld or released (a consent withdrawn), a bulk write.
    """
    from accounts.models import NAMES_VERSION
    from uploads.services import WITHHELD_VERSION

    return [blog_version(blog.pk), TAGS_VERSION, NAMES_VERSION, HOLIDAYS_VERSION, WITHHELD_VERSION]


def blog_header_versions(*, blog: Blog) -> list[str]:
    """The versions of a blog page's header (``views._blog_page``: its cover, title, owner, badges,
    the person's buttons and the comments waiting for moderation), besides the person's
    memberships and the schools' (``accounts.roles.kept_for`` adds them: its owner's name): the
    blog's (:func:`blog_version`: its row, contributors and cover), the comments' and their
    reports' (``blogs:comments``) and the media withheld in bulk."""
    from uploads.services import WITHHELD_VERSION

    return [blog_version(blog.pk), "blogs:comments", WITHHELD_VERSION]


def blog_posts_changed(blog_id: int) -> None:
    versions.bump(blog_version(blog_id), "blogs:content")


def blogs_changed(blog_ids=()) -> None:
    versions.bump("blogs:content", *(blog_version(pk) for pk in sorted(set(blog_ids))))


def blog_shown_changed(blog_ids) -> None:
    """What the cards of these blogs show changed (an image, a media, a comment): their pages are drawn again."""
    names = [blog_version(pk) for pk in sorted({pk for pk in blog_ids if pk is not None})]
    if names:
        versions.bump(*names)


def blog_comments_changed() -> None:
    versions.bump("blogs:comments")


def blog_tags_changed() -> None:
    versions.bump(TAGS_VERSION)


def blog_posts_in_preparation(*, blog: Blog) -> QuerySet[Post]:
    """Drafts and scheduled posts, for the blog's contributors."""
    return (
        blog.posts.in_preparation()
        .select_related("author", "blog")
        .order_by("status", "published_at", "week_start", "-updated_at")
    )


def blog_contributors(*, blog: Blog) -> QuerySet[User]:
    """The active people named on the blog, in person or as current members of a named structure."""
    structure_ids = blog.contributor_structures.values("pk")
    named = Blog.contributor_users.through.objects.filter(blog_id=blog.pk).values("user_id")
    return User.objects.filter(is_active=True).filter(
        Q(pk__in=named) | Q(pk__in=members_of(structure_ids).values("pk"))
    )


# --- Posts -------------------------------------------------------------------------------------


def post_for_reading(*, blog: Blog, pk: int) -> Post | None:
    return (
        blog.posts.select_related("author", "blog")
        .prefetch_related(
            "tags", Prefetch("images", queryset=PostImage.objects.select_related("media"), to_attr="image_list")
        )
        .filter(pk=pk)
        .first()
    )


def post_image(*, slug: str, post_pk: int, pk: int) -> PostImage | None:
    return (
        PostImage.objects.select_related("post", "post__blog", "media")
        .filter(pk=pk, post_id=post_pk, post__blog__slug=slug)
        .first()
    )


def post_neighbours(*, post: Post) -> tuple[Post | None, Post | None]:
    """The published posts just before and just after this one in its blog."""
    if not post.is_published:
        return None, None
    siblings = post.blog.posts.published().select_related("blog").only("pk", "title", "slug", "blog__slug")
    before = Q(published_at__lt=post.published_at) | Q(published_at=post.published_at, pk__lt=post.pk)
    after = Q(published_at__gt=post.published_at) | Q(published_at=post.published_at, pk__gt=post.pk)
    previous = siblings.filter(before).order_by("-published_at", "-pk").first()
    following = siblings.filter(after).order_by("published_at", "pk").first()
    return previous, following


def latest_tutorial(*, user) -> Post | None:
    """The newest published post of a weekly series this person may read, with its ``week``: kept
    in the cache per person (and their roles) until a post or a blog changes."""
    if not user.is_authenticated:
        return _latest_tutorial(user=user)
    return versions.cached(
        ["blogs:content"], f"blogs:latest-tutorial:{user.pk}:{viewer(user).key}", lambda: _latest_tutorial(user=user)
    )


def _latest_tutorial(*, user) -> Post | None:
    post = (
        Post.objects.published()
        .filter(blog__is_weekly_series=True, blog__in=Blog.objects.filter(blogs_visible_to(user)).values("pk"))
        .select_related("blog", "author")
        .order_by("-published_at", "-pk")
        .first()
    )
    if post is not None:
        attach_weeks(blog=post.blog, posts=[post])
    return post


# --- The weekly planning -----------------------------------------------------------------------


@dataclass(frozen=True)
class PlanningRow:
    """A school week and its post (or None), or a run of holiday weeks (``weeks`` > 1 possible)."""

    week: SchoolWeek
    post: Post | None = None
    weeks: int = 1

    @property
    def label(self) -> str:
        """« Semaine 12 — du 16 au 20 mars », or for several holiday weeks « Semaines du 21 décembre 2026 au 1er janvier 2027 »."""
        if self.weeks == 1:
            return self.week.label
        last_friday = self.week.monday + timedelta(weeks=self.weeks - 1, days=4)
        return f"Semaines {range_label(self.week.monday, last_friday)}"


def series_planning(*, blog: Blog, first_day: date | None = None, weeks: int = PLANNING_WEEKS) -> list[PlanningRow]:
    """The coming ``weeks`` school weeks of a series (holiday weeks between them included), each
    with its post if one is planned: two queries, whatever the number of posts."""
    first_day = first_day or timezone.localdate()
    calendar = series_calendar(blog=blog, until=lookahead_end(first_day, weeks))
    if calendar is None:
        return []
    coming = calendar.coming_weeks(max(first_day, calendar.start_monday), weeks)
    mondays = [w.monday for w in coming]
    posts = {
        p.week_start: p
        for p in blog.posts.filter(week_start__in=mondays).select_related("author", "blog").order_by("week_start")
    }
    rows: list[PlanningRow] = []
    for week in coming:
        previous = rows[-1] if rows else None
        if week.is_holiday and previous and previous.week.holiday == week.holiday:
            rows[-1] = PlanningRow(week=previous.week, weeks=previous.weeks + 1)
        else:
            rows.append(PlanningRow(week=week, post=posts.get(week.monday)))
    return rows


@dataclass(frozen=True)
class EmptyWeek:
    """A coming school week of a series that no post takes yet."""

    blog: Blog
    week: SchoolWeek


def series_empty_weeks(
    *, user, first_day: date | None = None, weeks: int = 4, series: list[Blog] | None = None
) -> list[EmptyWeek]:
    """In the series this person plans (``series``, when the caller read them already, as
    :func:`blogs_todo` does), the next ``weeks`` school weeks without a post (of any state, as the
    planning counts them): two queries at most, whatever the number of series and posts."""
    if series is None:
        series = Blog.objects.filter(series_planned_by(user), series_start__isnull=False).order_by("title", "pk")
    blogs = list(series)
    if not blogs:
        return []
    first_day = first_day or timezone.localdate()
    start = min(monday_of(blog.series_start) for blog in blogs)
    until = lookahead_end(first_day, weeks)
    holidays = school_holidays_between(start, max(until, start) + timedelta(days=6))
    coming = []
    for blog in blogs:
        calendar = SeriesCalendar(blog.series_start, holidays)
        school_weeks = calendar.coming_weeks(max(first_day, calendar.start_monday), weeks)
        coming.extend(EmptyWeek(blog=blog, week=week) for week in school_weeks if not week.is_holiday)
    taken = set(
        Post.objects.filter(blog__in=blogs, week_start__in={item.week.monday for item in coming})
        .order_by()
        .values_list("blog_id", "week_start")
    )
    return [item for item in coming if (item.blog.pk, item.week.monday) not in taken]


def series_week_choices(*, blog: Blog, around: date, keep: date | None = None, exclude_post=None) -> list[SchoolWeek]:
    """The school weeks a post of the series may take: from 8 weeks back to 30 ahead, free ones
    only (plus ``keep``, the post's own week)."""
    calendar = series_calendar(blog=blog, until=lookahead_end(around, 30))
    if calendar is None:
        return []
    start = max(monday_of(around) - timedelta(weeks=8), calendar.start_monday)
    candidates = [w for w in calendar.coming_weeks(start, 38) if not w.is_holiday]
    taken = set(
        blog.posts.filter(week_start__in=[w.monday for w in candidates])
        .exclude(pk=getattr(exclude_post, "pk", None))
        .values_list("week_start", flat=True)
    )
    weeks = [w for w in candidates if w.monday not in taken]
    if keep and keep not in {w.monday for w in weeks}:
        weeks.append(calendar.week(keep))
        weeks.sort(key=lambda w: w.monday)
    return weeks


# --- Comments ----------------------------------------------------------------------------------


def post_comments(*, user, post: Post) -> list[Comment]:
    """The published comments, plus this person's own waiting ones (every waiting one for moderators)."""
    visible = Q(status=Comment.Status.PUBLISHED)
    if user.is_authenticated:
        if can_moderate(user, post.blog):
            visible |= Q(status=Comment.Status.PENDING)
        else:
            visible |= Q(status=Comment.Status.PENDING, author_id=user.pk)
    comments = post.comments.filter(visible).select_related("author").order_by("created_at", "pk")
    if user.is_authenticated:
        comments = comments.annotate(
            reported_by_me=Exists(CommentReport.objects.filter(comment=OuterRef("pk"), reporter_id=user.pk))
        )
    comments = list(comments)
    for comment in comments:
        comment.post = post
        comment.may_delete = can_delete_comment(user, comment)
        comment.may_report = can_report_comment(user, comment)
    return comments


def comment_by_pk(*, pk: int) -> Comment | None:
    return Comment.objects.select_related("post", "post__blog", "author").filter(pk=pk).first()


def moderation_queue(*, blog: Blog) -> dict:
    """What waits for a contributor: comments to approve, and reported comments not yet decided."""
    pending = (
        Comment.objects.filter(post__blog=blog, status=Comment.Status.PENDING)
        .select_related("author", "post", "post__blog")
        .order_by("created_at")
    )
    open_reports = CommentReport.objects.filter(resolved_at__isnull=True).select_related("reporter")
    reported = (
        Comment.objects.filter(
            post__blog=blog,
            status=Comment.Status.PUBLISHED,
            pk__in=CommentReport.objects.filter(resolved_at__isnull=True).values("comment_id"),
        )
        .select_related("author", "post", "post__blog")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_reports"))
        .order_by("created_at")
    )
    return {"pending": list(pending), "reported": list(reported)}


def moderation_count(*, blog: Blog) -> int:
    """How many comments wait for a decision in this blog (one query)."""
    return Comment.objects.filter(
        Q(status=Comment.Status.PENDING)
        | Q(
            status=Comment.Status.PUBLISHED,
            pk__in=CommentReport.objects.filter(resolved_at__isnull=True).values("comment_id"),
        ),
        post__blog=blog,
    ).count()


# At most this many weekly series are planned by one person (the district has one or two).
SERIES_SHOWN = 20


def blogs_todo(*, user, limit: int = 5) -> tuple[list[Blog], Cut]:
    """The weekly series this person plans (:func:`series_planned_by`, for their empty weeks) and
    the blogs they moderate where comments wait (``pending``) or are reported and not yet
    decided (``reported``), read together: one query. The series are among the blogs this
    person moderates (they write in them), so one list of those blogs serves both: the series
    first, then the blogs with comments waiting, by title, with how many blogs wait in all."""
    waiting = Q(pending__gt=0) | Q(reported__gt=0)
    series = Q(is_weekly_series=True, series_start__isnull=False)
    rows = list(
        _moderated_blogs(user)
        .filter(series | waiting)
        .annotate(
            is_series=Case(When(series, then=Value(True)), default=Value(False), output_field=BooleanField()),
            waiting_total=Window(Count("pk", filter=waiting)),
        )
        .order_by("-is_series", "title", "pk")[: SERIES_SHOWN + limit]
    )
    planned = [blog for blog in rows if blog.is_series]
    moderated = sorted((blog for blog in rows if blog.pending or blog.reported), key=lambda b: (b.title, b.pk))
    return planned, Cut(items=moderated[:limit], total=rows[0].waiting_total if rows else 0)


def _moderated_blogs(user) -> QuerySet[Blog]:
    open_reports = CommentReport.objects.filter(resolved_at__isnull=True).values("comment_id")
    comments = Comment.objects.filter(post__blog=OuterRef("pk"))
    return Blog.objects.filter(blogs_moderated_by(user)).annotate(
        pending=count_of(comments.filter(status=Comment.Status.PENDING)),
        reported=count_of(comments.filter(status=Comment.Status.PUBLISHED, pk__in=open_reports)),
    )


# --- Feeds -------------------------------------------------------------------------------------


def feed_posts(*, blog: Blog, limit: int = 20) -> list[Post]:
    return list(blog.posts.published().select_related("author", "blog").order_by("-published_at", "-pk")[:limit])


def project_partner_schools(structure_ids) -> set[int]:
    """The schools co-owning a project blog with one of these structures (``accounts.partners``), one query."""
    through = Blog.owner_structures.through
    projects = through.objects.filter(structure_id__in=structure_ids, blog__owner_kind=Blog.OwnerKind.PROJECT)
    return set(
        through.objects.filter(blog_id__in=projects.values("blog_id"))
        .order_by()
        .values_list("structure_id", flat=True)
        .distinct()
    )


# --- The tutorial library (« Aide ») ------------------------------------------------------------


def tutorials(*, user, tags: list[Tag]) -> QuerySet[Post]:
    """The published posts of the weekly series this person may read, carrying every tag of ``tags``."""
    rows = (
        Post.objects.published()
        .filter(posts_visible_to(user), blog__is_weekly_series=True)
        .select_related("blog")
        .prefetch_related("tags")
        .order_by("-published_at", "-pk")
    )
    for tag in tags:
        rows = rows.filter(tags=tag)
    return rows


def tutorial_tags(*, user) -> QuerySet[Tag]:
    """The tags of those posts (tool, cycle, discipline), with how many posts carry each."""
    posts = Post.objects.published().filter(posts_visible_to(user), blog__is_weekly_series=True)
    return (
        Tag.objects.filter(posts__in=posts.values("pk"))
        .annotate(post_count=Count("posts", distinct=True))
        .order_by("kind", "sort_name")
    )
