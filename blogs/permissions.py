"""Who may read, write, comment and moderate in the blogs.

* The district team (:func:`accounts.permissions.acts_for_district`) creates and manages every
  blog, and may write and moderate in all of them.
* A teacher or a director opens a blog for a school where they teach (« La vie de l’école », a
  class blog), read by named structures (their school by default), never by a district-wide
  audience. The school's director manages its blogs (settings, contributors, deletion) and writes
  and moderates in them; the teacher who opened one manages it too while teaching there.
* A blog's contributors (people named on it, or every current member of a structure named on it)
  write posts, edit their own, see the blog's drafts and moderate its comments.
* Its readers are its audience; they read published posts and comment when the blog allows it.
* A public blog is readable by anyone, signed in or not; nobody comments without signing in.

Each reading question is one rule (:mod:`ent.predicates`) that gives both the one-object check
(``can_…``) and, for lists, the ``Q`` (``…_visible_to``).
"""

from django.db.models import Q

from accounts.audiences import AudienceKind, addressed_to
from accounts.permissions import acts_for_district, schools_directed_by, schools_taught_in
from accounts.roles import viewer
from ent.predicates import EVERYTHING, NOTHING, Predicate, pair, related, where

from .models import Blog, Comment, Post


def _contributor_blog_ids(user):
    """A subquery of the ids of the blogs this person is named on, in person or through a structure."""
    v = viewer(user)
    users_through = Blog.contributor_users.through
    structures_through = Blog.contributor_structures.through
    named = Q(pk__in=users_through.objects.filter(user_id=user.pk).values("blog_id"))
    if v.structure_ids:
        named |= Q(pk__in=structures_through.objects.filter(structure_id__in=v.structure_ids).values("blog_id"))
    return Blog.objects.filter(named).values("pk")


def _is_named_contributor(user, blog) -> bool:
    """Named on the blog, in person or through one of their structures: one query, the list's own
    subquery (:func:`_contributor_blog_ids`) asked about this blog."""
    return Blog.objects.filter(pk=blog.pk, pk__in=_contributor_blog_ids(user)).exists()


def _owner_school_ids(blog) -> frozenset:
    """The school owning a school blog (its ``owner_structures``, prefetched by the selectors), else nothing."""
    if blog.owner_kind != Blog.OwnerKind.SCHOOL:
        return frozenset()
    return frozenset(s.pk for s in blog.owner_structures.all())


def _directed_blog_ids(schools):
    """A subquery of the ids of the school blogs owned by one of these schools."""
    owners = Blog.owner_structures.through.objects.filter(structure_id__in=sorted(schools)).values("blog_id")
    return Blog.objects.filter(owner_kind=Blog.OwnerKind.SCHOOL, pk__in=owners).values("pk")


# --- The rules: each gives the list filter (``.q()``) and the one-object check (``.check()``) --


def blog_contributors(user) -> Predicate:
    """The blogs in which this person may write: all of them for the district team, else those naming
    them, and the blogs of the schools they direct."""
    if not viewer(user).is_authenticated:
        return NOTHING
    if acts_for_district(user):
        return EVERYTHING
    named = pair(
        q=lambda prefix: Q(**{f"{prefix}pk__in": _contributor_blog_ids(user)}),
        check=lambda blog: _is_named_contributor(user, blog),
    )
    directed = schools_directed_by(user)
    if directed:
        named = (
            pair(
                q=lambda prefix: Q(**{f"{prefix}pk__in": _directed_blog_ids(directed)}),
                check=lambda blog: bool(_owner_school_ids(blog) & directed),
            )
            | named
        )
    return named.remembered("_contributors_cache", user.pk)


def blog_readers(user) -> Predicate:
    """The blogs this person may read: public ones, those addressed to them, those they write in."""
    if acts_for_district(user):
        return EVERYTHING
    public = where(is_public=True)
    if not viewer(user).is_authenticated:
        return public
    return public | (addressed_to(user, Blog) | blog_contributors(user)).remembered("_readers_cache", user.pk)


def post_readers(user) -> Predicate:
    """Published posts of readable blogs, and every post of the blogs this person writes in."""
    return (where(status=Post.Status.PUBLISHED) & related("blog", blog_readers(user))) | related(
        "blog", blog_contributors(user)
    )


def series_planners(user) -> Predicate:
    """The weekly series whose planning this person follows: those they write in."""
    return where(is_weekly_series=True) & blog_contributors(user)


def blog_moderators(user) -> Predicate:
    """The blogs whose comments this person moderates: those they write in."""
    return blog_contributors(user)


def blogs_contributed_by(user) -> Q:
    return blog_contributors(user).q()


def blogs_visible_to(user) -> Q:
    return blog_readers(user).q()


def posts_visible_to(user, prefix: str = "") -> Q:
    return post_readers(user).q(prefix)


def can_create_blog(user) -> bool:
    """The district team, and whoever teaches or directs in a school (a blog for their school)."""
    return acts_for_district(user) or bool(schools_taught_in(user))


def can_create_school_blog(user, school) -> bool:
    """Open a blog owned by this school: the district team, and the school's teachers and director."""
    return acts_for_district(user) or school.pk in schools_taught_in(user)


def can_set_blog_scope(user, *, owner_kind: str, owner_structures, audience: str) -> bool:
    """May give a blog this owner and these readers.

    The district team, any. A teacher or a director, a blog of one school where they teach, read
    by named structures (``AudienceKind.STRUCTURES``): never the whole district nor one of its groups.
    """
    if acts_for_district(user):
        return True
    schools = {getattr(s, "pk", s) for s in owner_structures}
    return (
        owner_kind == Blog.OwnerKind.SCHOOL
        and len(schools) == 1
        and schools <= schools_taught_in(user)
        and audience == AudienceKind.STRUCTURES
    )


def can_make_blog_public(user, *, owner_structures) -> bool:
    """May open a blog to people who do not sign in (families): its posts and its pupils' photos
    then become public. The district team; for a school's blog, that school's director only (not
    the teacher who opened it: the director answers for the school's publications)."""
    if acts_for_district(user):
        return True
    schools = {getattr(s, "pk", s) for s in owner_structures}
    return bool(schools) and schools <= schools_directed_by(user)


def can_manage_blog(user, blog) -> bool:
    """Change the blog's settings, contributors, readers, public status; delete it.

    The district team, every blog; the director of the school owning a school blog; the teacher
    who opened a school blog, while they teach in that school.
    """
    if acts_for_district(user):
        return True
    schools = _owner_school_ids(blog)
    if not schools or not viewer(user).is_authenticated:
        return False
    if schools & schools_directed_by(user):
        return True
    return blog.created_by_id == user.pk and bool(schools & schools_taught_in(user))


def can_contribute(user, blog) -> bool:
    """Write posts in this blog and see its drafts."""
    return blog_contributors(user).check(blog)


def can_view_blog(user, blog) -> bool:
    return blog_readers(user).check(blog)


def can_view_planning(user, blog) -> bool:
    return series_planners(user).check(blog)


def series_planned_by(user) -> Q:
    """The weekly series whose empty weeks « À faire » shows this person (see :func:`series_planners`)."""
    return series_planners(user).q()


def can_view_post(user, post) -> bool:
    return post_readers(user).check(post)


def can_write_post(user, blog) -> bool:
    return can_contribute(user, blog)


def can_edit_post(user, post) -> bool:
    """Its author while they contribute to the blog, and the district team."""
    if can_manage_blog(user, post.blog):
        return True
    return post.author_id is not None and post.author_id == user.pk and can_contribute(user, post.blog)


def can_delete_post(user, post) -> bool:
    return can_edit_post(user, post)


def can_comment(user, post) -> bool:
    """Signed-in readers of a published post, when its blog takes comments."""
    if not viewer(user).is_authenticated or not post.is_published or not post.blog.allows_comments:
        return False
    return can_view_blog(user, post.blog)


def can_moderate(user, blog) -> bool:
    """Approve comments waiting for validation, and decide on reported comments."""
    return blog_moderators(user).check(blog)


def blogs_moderated_by(user) -> Q:
    return blog_moderators(user).q()


def moderates_some_blog(user) -> bool:
    """Contributes to (so moderates the comments of) at least one blog: who is told of comments to
    moderate. One query, remembered on the user object for the request (like ``viewer``)."""
    if not viewer(user).is_authenticated:
        return False
    if getattr(user, "_moderates_some_blog", None) is None:
        user._moderates_some_blog = Blog.objects.filter(blogs_contributed_by(user)).exists()
    return user._moderates_some_blog


def can_view_comment(user, comment) -> bool:
    if comment.status == Comment.Status.PUBLISHED:
        return can_view_post(user, comment.post)
    if comment.status == Comment.Status.PENDING:
        return comment.author_id == user.pk or can_moderate(user, comment.post.blog)
    return can_moderate(user, comment.post.blog)


def can_delete_comment(user, comment) -> bool:
    """Its author deletes their own comment (contributors remove others' by moderating)."""
    return viewer(user).is_authenticated and comment.author_id == user.pk and comment.status != Comment.Status.REMOVED


def can_report_comment(user, comment) -> bool:
    """Anyone signed in who can read a published comment by someone else."""
    if not viewer(user).is_authenticated or comment.author_id == user.pk:
        return False
    return comment.status == Comment.Status.PUBLISHED and can_view_post(user, comment.post)
