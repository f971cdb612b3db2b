import functools
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.selectors import private_key_of
from accounts.services import private_key_renew
from ent import fragments
from ent.dates import format_datetime
from ent.forms import EARLIEST_DATE, LATEST_DATE, date_param

from . import permissions, selectors, services
from .forms import DEFAULT_PUBLISH_TIME, BlogForm, CommentForm, PostForm, ReportForm
from .models import FeedToken
from .weeks import monday_of

PAGE_SIZE = 10
BLOGS_PAGE_SIZE = 20


def _refuse(request, *, found: bool):
    """Anonymous people are sent to sign in; others get 403 (or 404 for what does not exist)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if found:
        raise PermissionDenied
    raise Http404


def _refuse_blog(request, blog):
    """A blog this person may not read: a school's blog does not exist for those outside it (404)."""
    return _refuse(request, found=blog is not None and blog.owner_kind != blog.OwnerKind.SCHOOL)


def _blog_or_404(slug):
    blog = selectors.blog_by_slug(slug=slug)
    if blog is None:
        raise Http404
    return blog


def _post_or_404(blog, pk):
    post = selectors.post_for_reading(blog=blog, pk=pk)
    if post is None:
        raise Http404
    return post


def _comment_or_404(pk):
    comment = selectors.comment_by_pk(pk=pk)
    if comment is None:
        raise Http404
    return comment


def _paginate(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _blog_page(request, blog, posts, extra=None):
    """A blog's home, a month of its archive or a tag: the same page, a different list.

    The header (cover, title, owner, the person's buttons, the comments waiting for moderation)
    and the list of cards with its pagination, the archive months and the tags are drawn once and
    kept for this person and this address (``ent.fragments.kept_many``, 15 minutes at most, one
    cache round trip) under the versions of everything they show (``selectors.blog_header_versions``
    and ``selectors.blog_page_versions``): on a kept copy neither the posts' queries, nor the
    permissions' and the moderation count's, nor their drawing are made; the blog itself comes
    from ``selectors.blog_for_reading``. What changes with the clock alone is only an image still
    being processed for over two minutes (``MediaFile.is_late``: the notice asks less often),
    which its first answer from ``uploads:status`` puts right; a scheduled post appears when
    ``ent.publish_due`` saves it."""
    user = request.user
    context = {"blog": blog, **(extra or {})}

    @functools.cache
    def can_contribute():
        return permissions.can_contribute(user, blog)

    def listing():
        page = _paginate(request, posts)
        page.object_list = selectors.attach_weeks(blog=blog, posts=page.object_list)
        months, tags = selectors.blog_sidebar(blog=blog)
        return {**context, "can_contribute": can_contribute(), "page": page, "months": months, "tags": tags}

    def header():
        contributes = can_contribute()
        return {
            **context,
            "can_contribute": contributes,
            "can_manage": permissions.can_manage_blog(user, blog),
            "can_view_planning": permissions.can_view_planning(user, blog),
            "moderation_count": selectors.moderation_count(blog=blog) if contributes else 0,
        }

    names = selectors.blog_page_versions(blog=blog)
    if request.htmx:
        return HttpResponse(fragments.kept_for(request, "blogs:posts", names, "blogs/blog_detail.html#posts", listing))
    context["header"], context["listing"] = fragments.kept_many(
        request,
        [
            ("blogs:header", selectors.blog_header_versions(blog=blog), "blogs/blog_detail.html#header", header, None),
            ("blogs:blog", names, "blogs/blog_detail.html#listing", listing, None),
        ],
    )
    return render(request, "blogs/blog_detail.html", context)


# --- Blogs -------------------------------------------------------------------------------------


@require_GET
def blog_list_view(request):
    page = _paginate(request, selectors.blog_list(user=request.user), BLOGS_PAGE_SIZE)
    return render(
        request,
        "blogs/blog_list.html",
        {"page": page, "can_create": permissions.can_create_blog(request.user)},
    )


@require_GET
def blog_detail_view(request, slug):
    blog = selectors.blog_for_reading(slug=slug)
    if blog is None or not permissions.can_view_blog(request.user, blog):
        return _refuse_blog(request, blog)
    return _blog_page(request, blog, selectors.blog_posts(blog=blog))


@require_GET
def blog_archive_view(request, slug, year, month):
    blog = selectors.blog_for_reading(slug=slug)
    if blog is None or not permissions.can_view_blog(request.user, blog):
        return _refuse_blog(request, blog)
    if not 1 <= month <= 12 or not EARLIEST_DATE.year <= year <= LATEST_DATE.year:
        raise Http404
    posts = selectors.blog_posts_in_month(blog=blog, year=year, month=month)
    return _blog_page(request, blog, posts, {"archive_month": date(year, month, 1)})


@require_GET
def blog_tag_view(request, slug, tag_slug):
    blog = selectors.blog_for_reading(slug=slug)
    if blog is None or not permissions.can_view_blog(request.user, blog):
        return _refuse_blog(request, blog)
    tag = selectors.tag_by_slug(slug=tag_slug)
    if tag is None:
        raise Http404
    return _blog_page(request, blog, selectors.blog_posts_tagged(blog=blog, tag=tag), {"tag": tag})


@login_required
@require_http_methods(["GET", "POST"])
def blog_create_view(request):
    if not permissions.can_create_blog(request.user):
        raise PermissionDenied
    schools = selectors.schools_for_new_blog(user=request.user, first_code=request.GET.get("ecole", ""))
    may_make_public = permissions.can_make_blog_public(request.user, owner_structures=schools or ())
    form = BlogForm(request.POST or None, request.FILES or None, schools=schools, may_make_public=may_make_public)
    if request.method == "POST" and form.is_valid():
        try:
            blog = services.blog_create(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Le blog « {blog.title} » est créé.")
            return redirect(blog)
    return render(request, "blogs/blog_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def blog_edit_view(request, slug):
    blog = _blog_or_404(slug)
    if not permissions.can_manage_blog(request.user, blog):
        raise PermissionDenied
    schools = selectors.schools_for_new_blog(user=request.user)
    may_make_public = permissions.can_make_blog_public(request.user, owner_structures=blog.owner_structures.all())
    form = BlogForm(
        request.POST or None, request.FILES or None, instance=blog, schools=schools, may_make_public=may_make_public
    )
    if request.method == "POST" and form.is_valid():
        try:
            blog = services.blog_update(actor=request.user, blog=blog, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Les réglages du blog sont enregistrés.")
            return redirect(blog)
    return render(request, "blogs/blog_form.html", {"form": form, "blog": blog})


@login_required
@require_http_methods(["GET", "POST"])
def blog_delete_view(request, slug):
    blog = _blog_or_404(slug)
    if not permissions.can_manage_blog(request.user, blog):
        raise PermissionDenied
    if request.method == "POST":
        services.blog_delete(actor=request.user, blog=blog)
        messages.success(request, f"Le blog « {blog.title} » est supprimé.")
        return redirect("blogs:blog-list")
    return render(request, "blogs/blog_confirm_delete.html", {"blog": blog, "post_count": blog.posts.count()})


@login_required
@require_GET
def planning_view(request, slug):
    blog = _blog_or_404(slug)
    if not permissions.can_view_planning(request.user, blog):
        raise PermissionDenied
    return render(request, "blogs/planning.html", {"blog": blog, "rows": selectors.series_planning(blog=blog)})


@login_required
@require_GET
def preparation_view(request, slug):
    blog = _blog_or_404(slug)
    if not permissions.can_contribute(request.user, blog):
        raise PermissionDenied
    posts = selectors.attach_weeks(blog=blog, posts=selectors.blog_posts_in_preparation(blog=blog))
    return render(request, "blogs/preparation.html", {"blog": blog, "posts": posts})


# --- Posts -------------------------------------------------------------------------------------


def _post_form(request, blog, post=None):
    week_choices = ()
    if blog.is_weekly_series:
        week_choices = selectors.series_week_choices(
            blog=blog, around=timezone.localdate(), keep=post.week_start if post else None, exclude_post=post
        )
    initial = {}
    if post is None and (day := date_param(request, "semaine")):
        monday = monday_of(day)
        initial = {"week": monday.isoformat(), "publish_date": monday, "publish_time": DEFAULT_PUBLISH_TIME}
    return PostForm(
        request.POST or None,
        request.FILES or None,
        instance=post,
        blog=blog,
        week_choices=week_choices,
        initial=initial,
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_create_view(request, slug):
    blog = _blog_or_404(slug)
    if not permissions.can_write_post(request.user, blog):
        raise PermissionDenied
    form = _post_form(request, blog)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(actor=request.user, blog=blog, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _saved_message(post))
            return redirect(post)
    return render(request, "blogs/post_form.html", {"form": form, "blog": blog})


@login_required
@require_http_methods(["GET", "POST"])
def post_edit_view(request, slug, pk):
    blog = _blog_or_404(slug)
    post = _post_or_404(blog, pk)
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied
    form = _post_form(request, blog, post)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_update(actor=request.user, post=post, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _saved_message(post))
            return redirect(post)
    return render(request, "blogs/post_form.html", {"form": form, "blog": blog, "post": post})


def _saved_message(post) -> str:
    if post.status == post.Status.SCHEDULED:
        return f"Le billet est programmé : il paraîtra le {format_datetime(post.published_at)}."
    if post.is_published:
        return "Le billet est publié."
    return "Le brouillon est enregistré."


@login_required
@require_POST
def post_delete_view(request, slug, pk):
    blog = _blog_or_404(slug)
    post = _post_or_404(blog, pk)
    if not permissions.can_delete_post(request.user, post):
        raise PermissionDenied
    services.post_delete(actor=request.user, post=post)
    messages.success(request, f"Le billet « {post.title} » est supprimé.")
    return redirect(blog)


@login_required
@require_POST
def post_image_remove_view(request, slug, pk, image_pk):
    image = selectors.post_image(slug=slug, post_pk=pk, pk=image_pk)
    if image is None:
        raise Http404
    if not permissions.can_edit_post(request.user, image.post):
        raise PermissionDenied
    services.post_remove_image(actor=request.user, image=image)
    messages.success(request, "L’image est retirée du billet.")
    return redirect("blogs:post-edit", slug, pk)


@require_GET
def post_detail_view(request, slug, pk, post_slug=None):
    blog = selectors.blog_for_reading(slug=slug)
    if blog is None or not permissions.can_view_blog(request.user, blog):
        return _refuse_blog(request, blog)
    post = selectors.post_for_reading(blog=blog, pk=pk)
    if post is None or not permissions.can_view_post(request.user, post):
        # A draft or a scheduled post does not exist yet for its readers.
        return _refuse(request, found=False)
    if post_slug != post.slug:
        return redirect(post, permanent=True)
    return render(request, "blogs/post_detail.html", _post_context(request, post))


def _post_context(request, post, comment_form=None):
    user = request.user
    selectors.attach_weeks(blog=post.blog, posts=[post])
    previous, following = selectors.post_neighbours(post=post)
    return {
        "blog": post.blog,
        "post": post,
        "previous": previous,
        "next": following,
        "comments": selectors.post_comments(user=user, post=post),
        "comment_form": comment_form or CommentForm(),
        "can_comment": permissions.can_comment(user, post),
        "can_edit": permissions.can_edit_post(user, post),
        "can_moderate": permissions.can_moderate(user, post.blog),
    }


# --- Comments ----------------------------------------------------------------------------------


# What the author reads after commenting, whether the comment waits for moderation or not.
_COMMENT_NOTICE = {
    True: "Merci : votre commentaire attend la validation d’un·e contributeur·rice.",
    False: "Votre commentaire est publié.",
}


@login_required
@require_POST
def comment_create_view(request, slug, pk):
    blog = _blog_or_404(slug)
    post = _post_or_404(blog, pk)
    if not permissions.can_comment(request.user, post):
        raise PermissionDenied
    form, notice = CommentForm(request.POST), ""
    if form.is_valid():
        try:
            comment = services.comment_create(actor=request.user, post=post, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            notice = _COMMENT_NOTICE[comment.is_pending]
            if not request.htmx:
                messages.success(request, notice)
                return redirect(comment)
            form = None
    context = _post_context(request, post, comment_form=form) | {"comment_notice": notice}
    if request.htmx:
        return render(request, "blogs/post_detail.html#comments", context)
    return render(request, "blogs/post_detail.html", context, status=400)


@login_required
@require_POST
def comment_delete_view(request, pk):
    comment = _comment_or_404(pk)
    if not permissions.can_delete_comment(request.user, comment):
        raise PermissionDenied
    services.comment_delete(actor=request.user, comment=comment)
    messages.success(request, "Votre commentaire est supprimé.")
    return redirect(f"{comment.post.get_absolute_url()}#commentaires")


@login_required
@require_http_methods(["GET", "POST"])
def comment_report_view(request, pk):
    comment = _comment_or_404(pk)
    if not permissions.can_report_comment(request.user, comment):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.comment_report(actor=request.user, comment=comment, reason=form.cleaned_data["reason"])
        messages.success(request, "Merci : le commentaire est signalé aux contributeur·rices du blog, qui décideront.")
        return redirect(comment)
    return render(request, "blogs/comment_report.html", {"form": form, "comment": comment, "blog": comment.post.blog})


@login_required
@require_GET
def moderation_view(request, slug):
    blog = _blog_or_404(slug)
    if not permissions.can_moderate(request.user, blog):
        raise PermissionDenied
    return render(request, "blogs/moderation.html", {"blog": blog, **selectors.moderation_queue(blog=blog)})


@login_required
@require_POST
def comment_moderate_view(request, pk):
    comment = _comment_or_404(pk)
    if not permissions.can_moderate(request.user, comment.post.blog):
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision not in services.ModerationDecision.values:
        messages.error(request, "Choisissez de publier, de conserver ou de retirer le commentaire.")
    else:
        services.comment_moderate(actor=request.user, comment=comment, decision=decision)
        messages.success(request, f"C’est fait : « {services.ModerationDecision(decision).label} ».")
    return redirect("blogs:moderation", comment.post.blog.slug)


# --- Feeds -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def subscription_view(request, slug):
    blog = _blog_or_404(slug)
    if not permissions.can_view_blog(request.user, blog):
        raise PermissionDenied
    if request.method == "POST":
        private_key_renew(model=FeedToken, user=request.user)
        messages.success(
            request, "Votre lien d’abonnement personnel est prêt ; les anciens liens ne fonctionnent plus."
        )
        return redirect("blogs:subscription", blog.slug)
    token = private_key_of(model=FeedToken, user=request.user)
    return render(request, "blogs/subscription.html", {"blog": blog, "token": token})
