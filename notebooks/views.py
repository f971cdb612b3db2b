"""The notebooks' pages. Whoever may not read a notebook gets 404 on every URL of it (its pages,
files and books too); a reader who may not act gets 403; signed-out people are sent to sign in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import NAMES_VERSION
from accounts.roles import kept_for
from ent import fragments
from ent.views import show_service_errors
from privacy.selectors import declarable_pupils
from uploads.services import WITHHELD_VERSION

from . import permissions, selectors, services
from .forms import NotebookForm, PageCreateForm, PageEditForm, ReturnForm
from .models import NOTEBOOKS_VERSION, BookExport, Page, page_version

PAGE_SIZE = 12


def _notebook_or_404(request, slug):
    notebook = selectors.notebook_by_slug(slug=slug)
    if notebook is None or not permissions.can_view_notebook(request.user, notebook):
        raise Http404
    return notebook


def _page_or_404(request, notebook, pk):
    page = selectors.page_in_notebook(notebook=notebook, pk=pk)
    if page is None or not permissions.can_view_page(request.user, page):
        raise Http404
    return page


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Notebooks ---------------------------------------------------------------------------------


@login_required
@require_GET
def notebook_list_view(request):
    tab = request.GET.get("onglet", selectors.Tab.RECENT)
    if tab not in selectors.Tab.LABELS:
        tab = selectors.Tab.RECENT
    page = Paginator(selectors.notebook_list(user=request.user, tab=tab), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notebooks/notebook_list.html",
        {
            "page": page,
            "tab": tab,
            "tabs": selectors.Tab.LABELS,
            "can_create": permissions.can_create_notebook(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notebook_create_view(request):
    _require(permissions.can_create_notebook(request.user))
    schools = selectors.schools_for_new_notebook(user=request.user)
    form = NotebookForm(request.POST or None, request.FILES or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            notebook = services.notebook_create(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Le cahier « {notebook.title} » est ouvert.")
            return redirect(notebook)
    return render(request, "notebooks/notebook_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def notebook_edit_view(request, slug):
    notebook = _notebook_or_404(request, slug)
    _require(permissions.can_manage_notebook(request.user, notebook))
    schools = selectors.schools_for_new_notebook(user=request.user)
    form = NotebookForm(request.POST or None, request.FILES or None, instance=notebook, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            notebook = services.notebook_update(actor=request.user, notebook=notebook, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Les réglages du cahier sont enregistrés.")
            return redirect(notebook)
    return render(request, "notebooks/notebook_form.html", {"form": form, "notebook": notebook})


@login_required
@require_http_methods(["GET", "POST"])
def notebook_delete_view(request, slug):
    notebook = _notebook_or_404(request, slug)
    _require(permissions.can_manage_notebook(request.user, notebook))
    if request.method == "POST":
        services.notebook_delete(actor=request.user, notebook=notebook)
        messages.success(request, f"Le cahier « {notebook.title} » est supprimé.")
        return redirect("notebooks:notebook-list")
    return render(request, "notebooks/notebook_confirm_delete.html", {"notebook": notebook})


@login_required
@require_GET
def notebook_detail_view(request, slug):
    notebook = _notebook_or_404(request, slug)
    user = request.user
    manages = permissions.can_manage_notebook(user, notebook)
    context = {
        "notebook": notebook,
        "pages": selectors.notebook_pages(notebook=notebook, user=user),
        "can_manage": manages,
        "can_add_page": permissions.can_add_page(user, notebook),
        "is_open": permissions.is_open(notebook),
        "book": selectors.book_state(notebook=notebook),
        "can_export": permissions.can_export_book(user, notebook),
        "page_form": PageCreateForm(),
    }
    if manages:
        context["queue_count"] = notebook.pages.filter(status=Page.Status.PROPOSED).count()
    return render(request, "notebooks/notebook_detail.html", context)


@login_required
@require_GET
def queue_view(request, slug):
    notebook = _notebook_or_404(request, slug)
    _require(permissions.can_manage_notebook(request.user, notebook))
    return render(
        request,
        "notebooks/queue.html",
        {"notebook": notebook, "pages": selectors.review_queue(notebook=notebook), "return_form": ReturnForm()},
    )


# --- Pages -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def page_create_view(request, slug):
    notebook = _notebook_or_404(request, slug)
    _require(permissions.can_add_page(request.user, notebook))
    form = PageCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            page = services.page_create(actor=request.user, notebook=notebook, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "La page est créée : ajoutez-lui des blocs de texte, des images ou des sons.")
            return redirect("notebooks:page-edit", notebook.slug, page.pk)
    return render(request, "notebooks/page_create.html", {"notebook": notebook, "form": form})


def page_versions(page_id: int) -> list[str]:
    """The versions of what a page's page draws (besides the person's memberships and the
    structures, which ``kept_for`` adds): the notebook (its rules, audience and contributors: the
    person's rights), the page (its fields, authors, blocks, copies, lock and media:
    ``models.page_version``), the names of people (its authors, who holds its lock) and which media
    are withheld (an ``update()``: ``uploads.services.WITHHELD_VERSION``)."""
    return [NOTEBOOKS_VERSION, page_version(page_id), NAMES_VERSION, WITHHELD_VERSION]


def _page_shown(request, slug, pk) -> dict:
    notebook = _notebook_or_404(request, slug)
    page = _page_or_404(request, notebook, pk)
    user = request.user
    may_edit = permissions.can_edit_page(user, page)
    writes = may_edit or permissions.can_manage_notebook(user, notebook) or permissions.is_author(user, page)
    sees_working = page.published_edition_id is None or (writes and request.GET.get("copie") != "publiee")
    if sees_working:
        blocks, shown = selectors.working_blocks(page=page), {"title": page.title, "credit": page.credit()}
    else:
        shown = page.published_edition.content
        blocks = selectors.edition_blocks(content=shown)
    return {
        "notebook": notebook,
        "page": page,
        "blocks": blocks,
        "shown": shown,
        "sees_working": sees_working,
        "may_edit": may_edit,
        "can_propose": permissions.can_propose_page(user, page),
        "can_review": permissions.can_review_page(user, page) and page.status == Page.Status.PROPOSED,
        "can_delete": permissions.can_delete_page(user, page),
        "lock": services.lock_state(page=page, user=user),
        "can_lift": permissions.can_lift_lock(user, page),
        "return_form": ReturnForm(),
    }


@login_required
@require_GET
def page_detail_view(request, slug, pk):
    """A page of a notebook. What it shows is kept per person and address (``ent.fragments``: the
    address names the page and ``?copie=publiee``), under :func:`page_versions` and per day (whether
    the notebook is open, hence the person's rights, changes with the day): its heading (the title,
    the notebook's, for the breadcrumb) and the 404 (raised, never kept) read nothing on a kept copy.

    The time alone changes two things: a lock expiring (the heading keeps until when it runs: past
    that time, the page is kept under another name, drawn without it), and a media still processed
    after two minutes, whose notice then polls less often and says it is late: up to 15 minutes
    later (``kept_for``'s bound), which is harmless since the notice polls the media's state itself
    and is replaced by it."""
    user = request.user
    names = page_versions(pk)
    drawn = {}

    def shown():
        if not drawn:
            drawn.update(_page_shown(request, slug, pk))
        return drawn

    def heading():
        context = shown()
        return {
            "title": context["shown"]["title"],
            "notebook_title": context["notebook"].title,
            "notebook_url": context["notebook"].get_absolute_url(),
            "lock_until": context["lock"].expires_at,
        }

    # An administrator's rights are in no membership: kept_for's key says them.
    head = kept_for(user, f"notebooks:page-head:{fragments.address(request)}", names, heading)
    locked = head["lock_until"] is not None and timezone.now() < head["lock_until"]
    html = fragments.kept_for(
        request,
        f"notebooks:page:{'verrou' if locked else 'libre'}",
        names,
        "notebooks/page_detail.html#page",
        shown,
    )
    return render(request, "notebooks/page_detail.html", {**head, "page_html": html})


def _edit_context(request, notebook, page, form, lock):
    return {
        "notebook": notebook,
        "page": page,
        "form": form,
        "lock": lock,
        "can_propose": permissions.can_propose_page(request.user, page),
        "can_lift": permissions.can_lift_lock(request.user, page),
        "lock_minutes": services.LOCK_DURATION.seconds // 60,
    }


def _submitted_action(request) -> dict:
    """What the pressed button asks besides saving: propose, move a block, remove a block."""
    extra = {}
    if request.POST.get("action") == "proposer":
        extra["propose"] = True
    move = request.POST.get("move", "")
    if ":" in move:
        block_id, direction = move.split(":", 1)
        if block_id.isdigit() and direction in services.MoveDirection.values:
            extra["move"] = (int(block_id), direction)
    remove = request.POST.get("remove", "")
    if remove.isdigit():
        extra["remove"] = int(remove)
    return extra


@login_required
@require_http_methods(["GET", "POST"])
def page_edit_view(request, slug, pk):
    notebook = _notebook_or_404(request, slug)
    page = _page_or_404(request, notebook, pk)
    _require(permissions.can_edit_page(request.user, page))
    blocks = selectors.editable_blocks(page=page)
    if request.method == "GET":
        lock = services.lock_take(actor=request.user, page=page)
        initial = {"version": page.version, "title": page.title, "class_label": page.class_label}
        form = PageEditForm(initial=initial, blocks=blocks, pupils=declarable_pupils(user=request.user))
        return render(request, "notebooks/page_form.html", _edit_context(request, notebook, page, form, lock))
    form = PageEditForm(request.POST, request.FILES, blocks=blocks, pupils=declarable_pupils(user=request.user))
    if form.is_valid():
        extra = _submitted_action(request)
        try:
            page = services.page_save(actor=request.user, page=page, **form.service_kwargs(), **extra)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            going_on = {"move", "remove"} & set(extra) or form.service_kwargs()["new_block"] is not None
            if going_on and not extra.get("propose"):
                messages.success(request, "La page est enregistrée.")
                anchor = f"#bloc-{extra['move'][0]}" if "move" in extra else ""
                return redirect(reverse("notebooks:page-edit", args=[notebook.slug, page.pk]) + anchor)
            messages.success(request, _saved_message(page, proposed=extra.get("propose", False)))
            return redirect(page)
    lock = services.lock_state(page=page, user=request.user)
    return render(request, "notebooks/page_form.html", _edit_context(request, notebook, page, form, lock))


def _saved_message(page, *, proposed: bool) -> str:
    if page.status == Page.Status.PUBLISHED:
        return "La page est enregistrée et publiée."
    if proposed:
        return "La page est enregistrée et proposée : les responsables du cahier sont prévenus."
    return "La page est enregistrée."


@login_required
@require_POST
def page_lock_view(request, slug, pk):
    """The editor's heartbeat (htmx, while there are unsaved changes): renews the lock, answers its state."""
    notebook = _notebook_or_404(request, slug)
    page = _page_or_404(request, notebook, pk)
    _require(permissions.can_edit_page(request.user, page))
    lock = services.lock_take(actor=request.user, page=page)
    return render(request, "notebooks/lock_status.html", {"lock": lock, "page": page, "notebook": notebook})


@login_required
@require_POST
def page_unlock_view(request, slug, pk):
    """« Quitter sans enregistrer »: the editor lets go of their lock."""
    notebook = _notebook_or_404(request, slug)
    page = _page_or_404(request, notebook, pk)
    services.lock_release(actor=request.user, page=page)
    return redirect(page)


@login_required
@require_POST
def page_lift_lock_view(request, slug, pk):
    notebook = _notebook_or_404(request, slug)
    page = _page_or_404(request, notebook, pk)
    _require(permissions.can_lift_lock(request.user, page))
    if services.lock_lift(actor=request.user, page=page):
        messages.success(request, "Le verrou est levé : la page peut être modifiée.")
    return redirect(page)


@login_required
@require_POST
def page_propose_view(request, slug, pk):
    notebook = _notebook_or_404(request, slug)
    page = _page_or_404(request, notebook, pk)
    _require(permissions.can_propose_page(request.user, page))
    try:
        services.page_propose(actor=request.user, page=page)
    except ValidationError as error:
        show_service_errors(request, error)
    else:
        messages.success(request, "La page est proposée : les responsables du cahier sont prévenus.")
    return redirect(page)


@login_required
@require_POST
def page_publish_view(request, slug, pk):
    notebook = _notebook_or_404(request, slug)
    page = _page_or_404(request, notebook, pk)
    _require(permissions.can_review_page(request.user, page))
    try:
        services.page_publish(actor=request.user, page=page)
    except ValidationError as error:
        show_service_errors(request, error)
    else:
        messages.success(request, f"La page « {page.title} » est publiée ; ses auteur·rices sont prévenu·es.")
    return redirect(
        request.POST.get("next") == "file" and reverse("notebooks:queue", args=[slug]) or page.get_absolute_url()
    )


@login_required
@require_POST
def page_return_view(request, slug, pk):
    notebook = _notebook_or_404(request, slug)
    page = _page_or_404(request, notebook, pk)
    _require(permissions.can_review_page(request.user, page))
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.page_return(actor=request.user, page=page, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            show_service_errors(request, error)
        else:
            messages.success(request, f"La page « {page.title} » est renvoyée ; ses auteur·rices sont prévenu·es.")
            return redirect("notebooks:queue", slug)
    else:
        messages.error(request, "Dites aux auteur·rices ce qu’il faut reprendre : la page n’est pas renvoyée.")
    return redirect("notebooks:queue", slug)


@login_required
@require_POST
def page_move_view(request, slug, pk):
    notebook = _notebook_or_404(request, slug)
    page = _page_or_404(request, notebook, pk)
    _require(permissions.can_manage_notebook(request.user, notebook))
    direction = request.POST.get("direction", "")
    if direction in services.MoveDirection.values:
        services.page_move(actor=request.user, page=page, direction=direction)
    if request.htmx:
        context = {
            "notebook": notebook,
            "pages": selectors.notebook_pages(notebook=notebook, user=request.user),
            "can_manage": True,
            "moved": page,
        }
        return render(request, "notebooks/notebook_detail.html#pages", context)
    return redirect(reverse("notebooks:notebook-detail", args=[slug]) + f"#page-{page.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def page_delete_view(request, slug, pk):
    notebook = _notebook_or_404(request, slug)
    page = _page_or_404(request, notebook, pk)
    _require(permissions.can_delete_page(request.user, page))
    if request.method == "POST":
        services.page_delete(actor=request.user, page=page)
        messages.success(request, f"La page « {page.title} » est supprimée.")
        return redirect(notebook)
    return render(request, "notebooks/page_confirm_delete.html", {"notebook": notebook, "page": page})


# --- The common book ---------------------------------------------------------------------------


@login_required
@require_POST
def book_export_view(request, slug):
    notebook = _notebook_or_404(request, slug)
    _require(permissions.can_export_book(request.user, notebook))
    format = request.POST.get("format", "")
    if format not in BookExport.Format.values:
        raise Http404
    try:
        export = services.book_export_request(actor=request.user, notebook=notebook, format=format)
    except ValidationError as error:
        show_service_errors(request, error)
    else:
        if export.is_ready:
            messages.info(request, f"Le livre {export.get_format_display()} est déjà à jour : téléchargez-le.")
        else:
            messages.success(request, f"Le livre {export.get_format_display()} est en préparation.")
    return redirect(reverse("notebooks:notebook-detail", args=[slug]) + "#livre")


@login_required
@require_GET
def book_status_view(request, slug):
    """The book's region of the notebook page (htmx polling while an export is made)."""
    notebook = _notebook_or_404(request, slug)
    context = {
        "notebook": notebook,
        "book": selectors.book_state(notebook=notebook),
        "can_export": permissions.can_export_book(request.user, notebook),
    }
    return render(request, "notebooks/notebook_detail.html#book", context)


@login_required
@require_GET
def book_download_view(request, slug, pk):
    notebook = _notebook_or_404(request, slug)
    _require(permissions.can_download_book(request.user, notebook))
    export = notebook.exports.filter(pk=pk, status=BookExport.Status.READY).first()
    if export is None or not export.file:
        raise Http404
    content_type = "application/pdf" if export.format == BookExport.Format.PDF else "application/epub+zip"
    response = FileResponse(
        export.file.open("rb"), as_attachment=True, filename=export.filename(), content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
