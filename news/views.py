import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import NAMES_VERSION
from accounts.roles import kept_for
from accounts.services import private_key_ensure, private_key_renew
from audit.selectors import history_of
from ent import fragments
from ent.forms import date_param
from ent.views import show_service_errors

from . import exports, permissions, selectors, services
from .forms import FeedFilterForm, PostForm, RegistrationForm, ReturnForm
from .models import FEED_DESCRIPTIONS, NEWS_VERSION, Feed, FeedToken, PostStatus, reads_version

PAGE_SIZE = 10


# --- helpers -----------------------------------------------------------------------------------


def _feed_or_404(user, slug: str) -> str:
    if slug not in Feed.values or not permissions.can_view_feed(user, slug):
        raise Http404
    return slug


def _post_or_404(user, pk: int):
    post = selectors.post_for(user=user, pk=pk)
    if post is None:
        raise Http404
    return post


def _refuse(request, message: str, post=None):
    """A 403 that says why, in French."""
    return render(request, "news/refused.html", {"message": message, "post": post}, status=403)


def _paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _feed_page(request, feed: str, *, archive: bool):
    """The feed's filter and its page of cards (the list alone for htmx), kept as HTML per person
    and address (``ent.fragments``) under the versions of all they draw:

    - the posts, their audiences, covers (a cover's processing or deletion: ``apps.py``) and
      acknowledgements: ``NEWS_VERSION``; the authors' names (filter and cards): ``NAMES_VERSION``;
    - « Nouveau » on each card: the person's reads (``reads_version``);
    - which posts the person may see: their memberships and the structures (``kept_for`` adds them);
    - the filter's choices and selection, the page asked for: the address (path and query string).

    What changes with the clock alone (a post's expiry passing: it leaves the feed for the archive)
    shows within 15 minutes (``accounts.roles.KEPT_FOR``), and the next day at once (the key names
    the day), as on Accueil. A filter that is not valid (a bogus month in the address) is drawn now,
    with its message: a form's errors are never kept.
    """
    user = request.user
    choices = kept_for(  # the months and authors of the feed: kept per person under the posts' and names' versions
        user,
        f"news:choices:{feed}:{int(archive)}",
        [NEWS_VERSION, NAMES_VERSION],
        lambda: selectors.filter_choices(user=user, feed=feed, archive=archive),
    )
    form = FeedFilterForm(request.GET or None, months=choices["months"], authors=choices["authors"])
    filters = form.filters() if request.GET else {"month": None, "author_id": None}

    def context():
        select = selectors.archive_posts if archive else selectors.feed_posts
        query = request.GET.copy()
        query.pop("page", None)
        return {
            "form": form,
            "page": _paginate(request, select(user=user, feed=feed, **filters)),
            "query": f"{query.urlencode()}&" if query else "",
            "filters": filters,
            "archive": archive,
        }

    def kept(part: str) -> str:
        names = [NEWS_VERSION, NAMES_VERSION, reads_version(user.pk)]
        return fragments.kept_for(
            request, f"news:feed:{part}:{feed}:{int(archive)}", names, f"news/feed.html#{part}", context
        )

    if request.htmx:
        return kept("results")
    if form.is_bound and form.errors:
        return render_to_string("news/feed.html#filter", {"form": form}, request=request) + kept("results")
    return kept("listing")


# --- reading -----------------------------------------------------------------------------------


@login_required
@require_GET
def index_view(request):
    overview = [
        {"feed": Feed(feed), "description": FEED_DESCRIPTIONS[feed], "posts": posts}
        for feed, posts in selectors.feed_overview(user=request.user)
    ]
    context = {"overview": overview, "can_write": permissions.can_write_news(request.user)}
    return render(request, "news/index.html", context)


@login_required
@require_GET
def feed_view(request, feed):
    feed = _feed_or_404(request.user, feed)
    listing = _feed_page(request, feed, archive=False)
    if request.htmx:
        return HttpResponse(listing)
    context = {"listing": listing, "feed": Feed(feed), "archive": False, "description": FEED_DESCRIPTIONS[feed]}
    context["can_write"] = permissions.can_create_post(request.user, feed)
    return render(request, "news/feed.html", context)


@login_required
@require_GET
def archive_view(request, feed):
    feed = _feed_or_404(request.user, feed)
    listing = _feed_page(request, feed, archive=True)
    if request.htmx:
        return HttpResponse(listing)
    return render(request, "news/feed.html", {"listing": listing, "feed": Feed(feed), "archive": True})


@login_required
@require_GET
def week_view(request):
    day = date_param(request, "semaine") or timezone.localdate()
    start, end = selectors.week_bounds(day)
    page = _paginate(request, selectors.week_posts(user=request.user, day=day))
    context = {
        "page": page,
        "monday": start.date(),
        "sunday": (end - dt.timedelta(days=1)).date(),
        "previous": (start - dt.timedelta(days=7)).date(),
        "next": end.date() if end.date() <= timezone.localdate() else None,
        "query": f"semaine={start.date().isoformat()}&",
    }
    return render(request, "news/week.html", context)


@login_required
@require_GET
def post_detail_view(request, pk):
    post = _post_or_404(request.user, pk)
    services.post_mark_read(user=request.user, post=post)
    user = request.user
    context = {
        "post": post,
        "attachments": selectors.post_attachments(post),
        "can_edit": permissions.can_edit_post(user, post),
        "can_submit": permissions.can_submit_post(user, post),
        "can_publish": permissions.can_publish_post(user, post),
        "can_return": permissions.can_return_post(user, post),
        "can_archive": permissions.can_archive_post(user, post),
        "can_view_revisions": permissions.can_view_revisions(user, post),
        "can_view_acks": permissions.can_view_acknowledgements(user, post),
        "can_view_registrations": permissions.can_view_registrations(user, post),
        "can_register": permissions.can_register_class(user, post),
        "registrations": selectors.registrations_for(post) if post.registration_closes_at else [],
        "my_registration": selectors.registration_of(user=user, post=post) if post.registration_closes_at else None,
    }
    if permissions.is_asked_to_acknowledge(user, post):
        context["mine"] = selectors.my_acknowledgements(user=user, post=post)
        context["can_acknowledge"] = permissions.can_acknowledge_post(user, post)
    return render(request, "news/post_detail.html", context)


# --- writing -----------------------------------------------------------------------------------


@login_required
@require_GET
def write_view(request):
    """Choose a feed to write in, and see one's work in progress (proposals to validate for the team)."""
    if not permissions.can_write_news(request.user):
        raise PermissionDenied
    reviewer = permissions.can_review_proposals(request.user)
    page = _paginate(request, selectors.work_in_progress(user=request.user, reviewer=reviewer))
    feeds = [Feed(f) for f in permissions.feeds_writable_by(request.user)]
    return render(request, "news/write.html", {"page": page, "feeds": feeds, "reviewer": reviewer})


def _save_post(request, form, *, feed, post=None):
    """Save with the button pressed (draft, publish, submit) and answer where to go next.

    The post on success; None when the form must be shown again with why it failed and what was
    typed (nothing was saved): a validation error, or a step refused because the post changed
    since the form was shown. A step this person never takes (a forged button) goes back to the
    form with the reason.
    """
    action = request.POST.get("action", "draft")
    try:
        saved = services.post_write(
            actor=request.user,
            feed=feed,
            post=post,
            data=form.to_input(),
            then=action if action in services.SAVE_STEPS else "draft",
            notify_again=bool(form.cleaned_data.get("notify_again")),
        )
    except services.PostStepRefused as refusal:
        if not refusal.stale:
            messages.error(request, str(refusal))
            return redirect(request.path)
        form.add_service_errors(refusal)
    except ValidationError as error:
        form.add_service_errors(error)
    else:
        messages.success(request, _SAVED.get(saved.status, "Les modifications sont enregistrées."))
        return redirect(saved)
    return None


def _form_page(request, form, *, feed, post=None, attachments=()):
    buttons = permissions.post_form_buttons(request.user, feed=feed, post=post)
    context = {"form": form, "feed": Feed(feed), "post": post, "attachments": attachments, "buttons": buttons}
    return render(request, "news/post_form.html", context)


_SAVED = {
    PostStatus.DRAFT: "Le brouillon est enregistré.",
    PostStatus.SUBMITTED: "Votre proposition est envoyée à l’équipe de circonscription pour validation.",
    PostStatus.RETURNED: "Vos modifications sont enregistrées. Soumettez à nouveau la proposition quand elle est prête.",
    PostStatus.SCHEDULED: "L’actualité est programmée.",
    PostStatus.PUBLISHED: "L’actualité est publiée.",
}


@login_required
@require_http_methods(["GET", "POST"])
def post_create_view(request, feed):
    feed = _feed_or_404(request.user, feed)
    if not permissions.can_create_post(request.user, feed):
        raise PermissionDenied
    form = PostForm(request.POST or None, request.FILES or None, user=request.user, feed=feed)
    saving = request.method == "POST" and form.is_valid()
    if saving and (response := _save_post(request, form, feed=feed)):
        return response
    return _form_page(request, form, feed=feed)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit_view(request, pk):
    post = _post_or_404(request.user, pk)
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied
    attachments = selectors.post_attachments(post)
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        feed=post.feed,
        post=post,
        attachments=attachments,
    )
    saving = request.method == "POST" and form.is_valid()
    if saving and (response := _save_post(request, form, feed=post.feed, post=post)):
        return response
    return _form_page(request, form, feed=post.feed, post=post, attachments=attachments)


@login_required
@require_POST
def post_submit_view(request, pk):
    post = _post_or_404(request.user, pk)
    if not permissions.can_submit_post(request.user, post):
        raise PermissionDenied
    services.post_submit(actor=request.user, post=post)
    messages.success(request, _SAVED[PostStatus.SUBMITTED])
    return redirect(post)


@login_required
@require_POST
def post_publish_view(request, pk):
    post = _post_or_404(request.user, pk)
    if not permissions.can_publish_post(request.user, post):
        raise PermissionDenied
    try:
        post = services.post_publish(actor=request.user, post=post)
    except ValidationError as error:
        show_service_errors(request, error)
        return redirect("news:post-edit", post.pk)
    messages.success(request, _SAVED[post.status])
    return redirect(post)


@login_required
@require_http_methods(["GET", "POST"])
def post_return_view(request, pk):
    post = _post_or_404(request.user, pk)
    if not permissions.can_return_post(request.user, post):
        raise PermissionDenied
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.post_return(actor=request.user, post=post, comment=form.cleaned_data["comment"])
        messages.success(request, "La proposition est renvoyée à son auteur avec votre commentaire.")
        return redirect("news:write")
    return render(request, "news/post_return.html", {"form": form, "post": post})


@login_required
@require_POST
def post_archive_view(request, pk):
    post = _post_or_404(request.user, pk)
    if not permissions.can_archive_post(request.user, post):
        raise PermissionDenied
    services.post_archive(actor=request.user, post=post)
    messages.success(request, "L’actualité est archivée : elle a quitté le fil et reste dans les archives.")
    return redirect(post)


@login_required
@require_GET
def post_revisions_view(request, pk):
    post = _post_or_404(request.user, pk)
    if not permissions.can_view_revisions(request.user, post):
        raise PermissionDenied
    page = _paginate(request, history_of(post))
    return render(request, "news/post_revisions.html", {"post": post, "page": page})


# --- acknowledgements --------------------------------------------------------------------------


@login_required
@require_POST
def acknowledge_view(request, pk):
    post = _post_or_404(request.user, pk)
    if not permissions.can_acknowledge_post(request.user, post):
        raise PermissionDenied
    services.post_acknowledge(actor=request.user, post=post)
    if request.htmx:
        context = {
            "post": post,
            "mine": selectors.my_acknowledgements(user=request.user, post=post),
            "can_acknowledge": permissions.can_acknowledge_post(request.user, post),
        }
        return render(request, "news/post_detail.html#acknowledgement", context)
    messages.success(request, "Merci : votre accusé de lecture est enregistré.")
    return redirect(post)


@login_required
@require_GET
def acknowledgements_view(request, pk):
    post = _post_or_404(request.user, pk)
    if not permissions.can_view_acknowledgements(request.user, post):
        raise PermissionDenied
    context = {
        "post": post,
        "rows": selectors.acknowledgement_rows(post),
        "summary": selectors.acknowledgement_summary(post),
        "can_remind": permissions.can_remind(request.user, post),
    }
    return render(request, "news/acknowledgements.html", context)


@login_required
@require_GET
def acknowledgements_csv_view(request, pk):
    post = _post_or_404(request.user, pk)
    if not permissions.can_view_acknowledgements(request.user, post):
        raise PermissionDenied
    return exports.acknowledgements_csv(post, selectors.acknowledgement_rows(post))


@login_required
@require_POST
def remind_view(request, pk):
    post = _post_or_404(request.user, pk)
    if not permissions.can_remind(request.user, post):
        raise PermissionDenied
    try:
        count = services.post_remind_unacknowledged(actor=request.user, post=post)
    except services.ReminderRefused as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, f"Relance envoyée : {count} directeur·rice(s) prévenu·e(s).")
    return redirect("news:acknowledgements", post.pk)


# --- project registrations ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def registration_view(request, pk):
    post = _post_or_404(request.user, pk)
    if not permissions.can_register_class(request.user, post):
        raise PermissionDenied
    mine = selectors.registration_of(user=request.user, post=post)
    if not post.registrations_open():
        return _refuse(
            request, "Les inscriptions à ce projet sont closes : plus aucune modification n’est possible.", post
        )
    form = RegistrationForm(
        request.POST or None, school_ids=permissions.schools_registering_for(request.user), registration=mine
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_save(actor=request.user, post=post, **form.cleaned_data)
        except services.RegistrationClosed as closed:
            return _refuse(request, str(closed), post)
        messages.success(request, "L’inscription de votre classe est enregistrée.")
        return redirect(post)
    return render(request, "news/registration_form.html", {"form": form, "post": post, "registration": mine})


@login_required
@require_POST
def registration_withdraw_view(request, pk):
    post = _post_or_404(request.user, pk)
    if not permissions.can_register_class(request.user, post):
        raise PermissionDenied
    try:
        withdrawn = services.registration_withdraw(actor=request.user, post=post)
    except services.RegistrationClosed as closed:
        return _refuse(request, str(closed), post)
    if withdrawn:
        messages.success(request, "L’inscription de votre classe est retirée.")
    return redirect(post)


@login_required
@require_GET
def registrations_view(request, pk):
    post = _post_or_404(request.user, pk)
    if not permissions.can_view_registrations(request.user, post):
        raise PermissionDenied
    context = {
        "post": post,
        "registrations": selectors.registrations_for(post),
        "totals": selectors.registration_totals(post),
    }
    return render(request, "news/registrations.html", context)


@login_required
@require_GET
def registrations_csv_view(request, pk):
    post = _post_or_404(request.user, pk)
    if not permissions.can_view_registrations(request.user, post):
        raise PermissionDenied
    return exports.registrations_csv(post, selectors.registrations_for(post))


# --- Atom links --------------------------------------------------------------------------------


@login_required
@require_GET
def feed_links_view(request):
    feeds = [Feed(f) for f in permissions.feeds_visible_to(request.user)]
    if not feeds:
        raise PermissionDenied
    token = private_key_ensure(model=FeedToken, user=request.user)
    links = [(feed, request.build_absolute_uri(reverse("news:atom", args=[token.key, feed.value]))) for feed in feeds]
    return render(request, "news/feed_links.html", {"links": links, "token": token})


@login_required
@require_POST
def feed_links_regenerate_view(request):
    if not permissions.feeds_visible_to(request.user):
        raise PermissionDenied
    private_key_renew(model=FeedToken, user=request.user)
    messages.success(
        request, "Nouveaux liens créés : les anciens ne fonctionnent plus. Mettez à jour votre lecteur de flux."
    )
    return redirect("news:feed-links")
