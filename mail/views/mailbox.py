"""The mailbox's pages: boxes and folders, a message, its conversation, search, print, and the
small POST actions on one's own delivery (read state, flag, folder, trash, « Je m'en occupe »,
« Signaler un abus »). Every message URL answers 404 to whoever may not read the message.
"""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ent import fragments

from .. import lists, permissions, selectors, services
from ..mailbox_forms import FolderForm, FolderRenameForm, MoveForm, ReportForm, SearchForm
from ..models import DeliveryField

PAGE_SIZE = 25
THREAD_PAGE_SIZE = 30


def _duration(days: int) -> str:
    """« 3 ans », « 1 an », « 30 jours », « 1 jour »."""
    if days >= 365 and days % 365 == 0:
        years = days // 365
        return f"{years} an{'s' if years > 1 else ''}"
    return f"{days} jour{'s' if days > 1 else ''}"


def retention_rule() -> str:
    """The retention rule in words, from the settings the purge reads."""
    return (
        f"Les messages de la boîte de réception sont supprimés après "
        f"{_duration(settings.ENT_MAIL_RETENTION_DAYS)}, ceux de la corbeille après "
        f"{_duration(settings.ENT_MAIL_TRASH_DAYS)} ; classez-les dans un dossier pour les garder."
    )


# --- helpers -----------------------------------------------------------------------------------


def _paginate(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _message_or_404(user, pk):
    message = selectors.message_for(user=user, pk=pk)
    if message is None:
        raise Http404
    return message


def _mailbox_context(request, *, box: str, **extra) -> dict:
    if "nav_html" not in extra:  # a box's page brings its side menu kept (_kept_box)
        extra["nav"] = extra.pop("nav", None) or selectors.sidenav(user=request.user)
    return {
        "box": box,
        "box_label": selectors.BOX_LABELS.get(box, ""),
        "retention_rule": retention_rule(),
        "search_form": SearchForm(request.GET if box == "recherche" else None),
        "compose_url": _compose_url(),
        **extra,
    }


def _back(request, fallback: str):
    """Back to the page the action was taken from (a local address only), else ``fallback``."""
    target = request.POST.get("suivant") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return redirect(target)
    return redirect(fallback)


def _compose_url(query: str = "") -> str:
    """The writing side's page (``mail:compose``), with a prefill query."""
    url = reverse("mail:compose")
    return f"{url}?{query}" if query else url


def _refuse(request, error, message):
    text = " ".join(error.messages) if isinstance(error, ValidationError) else (str(error) or "Action refusée.")
    messages.error(request, text)
    return _back(request, reverse("mail:message", args=[message.pk]))


# --- boxes -------------------------------------------------------------------------------------


@login_required
@require_GET
def inbox_view(request):
    return _box(request, selectors.INBOX)


@login_required
@require_GET
def box_view(request, box):
    if box not in selectors.BOX_SLUGS or (box == selectors.TEAM and not permissions.can_read_shared_box(request.user)):
        raise Http404
    return _box(request, box)


def _box(request, box):
    user = request.user
    if box in (selectors.DRAFTS, selectors.SCHEDULED):
        rows = partial(selectors.box_messages, user=user, box=box)
        return _kept_box(request, "mail/mailbox_messages.html", rows, box=box, box_label=selectors.BOX_LABELS[box])
    rows = partial(selectors.box_deliveries, user=user, box=box)
    return _kept_box(request, "mail/mailbox.html", rows, box=box, heading=selectors.BOX_LABELS[box])


@login_required
@require_GET
def folder_view(request, pk):
    folder = selectors.folder_of(user=request.user, pk=pk)
    if folder is None:
        raise Http404
    rows = partial(selectors.box_deliveries, user=request.user, box="dossier", folder=folder)
    return _kept_box(request, "mail/mailbox.html", rows, box=f"dossier-{folder.pk}", heading=str(folder), folder=folder)


def _kept_box(request, template: str, rows, *, box: str, **shown):
    """A box's or a folder's page: its side menu and its page of ``rows()``, each kept as HTML per
    person and address (``ent.fragments``: the page asked for is in the address) under the
    versions of the person's mailboxes (``mail.lists``, which says what bumps them). Neither the
    side menu's two queries nor the list's run on a kept copy; the page around them (the search
    field, empty, and the retention rule from the settings) is drawn every time."""
    user = request.user
    names = lists.list_versions(user)
    nav_html = fragments.kept_for(
        request,
        "mail:nav",
        names,
        "mail/mailbox_base.html#sidenav",
        lambda: {"nav": selectors.sidenav(user=user), "box": box, "compose_url": _compose_url()},
    )
    list_html = fragments.kept_for(
        request,
        "mail:list",
        names,
        f"{template}#list",
        lambda: {"page": _paginate(request, rows()), "box": box, **shown},
    )
    context = _mailbox_context(request, box=box, nav_html=nav_html, list_html=list_html, **shown)
    return render(request, template, context)


@login_required
@require_GET
def search_view(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = _paginate(request, selectors.search(user=request.user, query=query)) if query.strip() else None
    context = _mailbox_context(
        request,
        box="recherche",
        page=page,
        query=query,
        heading="Recherche",
        querystring=f"q={query}&" if query else "",
    )
    context["search_form"] = form
    return render(request, "mail/mailbox.html", context)


# --- one message -------------------------------------------------------------------------------


def _message_context(request, message, delivery=None):
    user = request.user
    if delivery is None:
        delivery = services.delivery_for(user=user, message=message)
    content = permissions.can_see_content(user, message)
    sender_view = permissions.is_sender(user, message)
    actions = {}
    if permissions.can_reply(user, message):
        actions["reply"] = _compose_url(f"reponse={message.pk}")
        actions["reply_all"] = _compose_url(f"reponse_tous={message.pk}")
    if permissions.can_forward(user, message):
        actions["forward"] = _compose_url(f"transfert={message.pk}")
    return {
        "message": message,
        "delivery": delivery,
        "content": content,
        "is_sender": sender_view,
        "addressing": selectors.addressing_of(user=user, message=message),
        "attachments": selectors.attachments_of(message) if content else [],
        "compose": actions,
        "can_recall": permissions.can_recall(user, message),
        "can_cancel_schedule": permissions.can_cancel_schedule(user, message),
        "can_view_receipts": permissions.can_view_receipts(user, message),
        "can_file": permissions.can_file_delivery(user, delivery),
        "can_handle": permissions.can_handle_delivery(user, delivery),
        "can_report": permissions.can_report_message(user, delivery),
        "is_bcc": delivery is not None and delivery.field == DeliveryField.BCC,
        "received": delivery is not None and delivery.field != DeliveryField.SENDER,
    }


@login_required
@require_GET
def message_view(request, pk):
    message = _message_or_404(request.user, pk)
    delivery = services.message_open(actor=request.user, message=message)
    context = _message_context(request, message, delivery)
    context.update(_mailbox_context(request, box=_box_of(delivery)))
    context["thread_size"] = (
        selectors.thread_size(user=request.user, message=message) if message.status == "publie" else 0
    )
    return render(request, "mail/message.html", context)


def _box_of(delivery) -> str:
    if delivery is None:
        return selectors.SENT
    if delivery.shared_box_id is not None:
        return selectors.TEAM
    if delivery.trashed_at is not None:
        return selectors.TRASH
    if delivery.folder_id is not None:
        return f"dossier-{delivery.folder_id}"
    return selectors.SENT if delivery.field == DeliveryField.SENDER else selectors.INBOX


@login_required
@require_GET
def thread_view(request, pk):
    message = _message_or_404(request.user, pk)
    page = _paginate(request, selectors.thread_of(user=request.user, message=message), THREAD_PAGE_SIZE)
    context = _mailbox_context(request, box="conversation", page=page, message=message)
    # Every message of the page is one this person may read (the selector's filter): its content
    # is hidden only once recalled, from whoever did not send it.
    context["readable"] = {m.pk for m in page if m.sender_id == request.user.pk or not m.is_recalled}
    return render(request, "mail/thread.html", context)


@login_required
@require_GET
def print_view(request, pk):
    message = _message_or_404(request.user, pk)
    return render(request, "mail/print.html", _message_context(request, message))


# --- actions on one's delivery (POST) ----------------------------------------------------------


def _act(request, pk, action, done: str, *, fallback=None):
    message = _message_or_404(request.user, pk)
    try:
        action(message)
    except (PermissionDenied, ValidationError) as error:
        return _refuse(request, error, message)
    if done:
        messages.success(request, done)
    return _back(request, fallback or reverse("mail:message", args=[message.pk]))


@login_required
@require_POST
def flag_view(request, pk):
    flagged = request.POST.get("suivi") == "1"
    return _act(
        request,
        pk,
        lambda m: services.message_flag(actor=request.user, message=m, flagged=flagged),
        "Message marqué comme à suivre." if flagged else "Message retiré des messages à suivre.",
    )


@login_required
@require_POST
def mark_unread_view(request, pk):
    return _act(
        request,
        pk,
        lambda m: services.message_mark_unread(actor=request.user, message=m),
        "Message marqué comme non lu.",
        fallback=reverse("mail:inbox"),
    )


@login_required
@require_POST
def move_view(request, pk):
    message = _message_or_404(request.user, pk)
    form = MoveForm(request.POST, owner=request.user)
    if not form.is_valid():
        messages.error(request, "Choisissez un de vos dossiers.")
        return redirect("mail:message", message.pk)
    folder = form.cleaned_data["folder"]
    where = f"dans « {folder} »" if folder else "dans la boîte de réception"
    return _act(
        request,
        pk,
        lambda m: services.message_move(actor=request.user, message=m, folder=folder),
        f"Message classé {where}.",
    )


@login_required
@require_POST
def trash_view(request, pk):
    return _act(
        request,
        pk,
        lambda m: services.message_trash(actor=request.user, message=m),
        "Message mis à la corbeille.",
        fallback=reverse("mail:inbox"),
    )


@login_required
@require_POST
def restore_view(request, pk):
    return _act(
        request, pk, lambda m: services.message_restore(actor=request.user, message=m), "Message sorti de la corbeille."
    )


@login_required
@require_POST
def handled_view(request, pk):
    return _act(
        request,
        pk,
        lambda m: services.message_handle(actor=request.user, message=m),
        "Vous êtes indiqué·e comme prenant en charge ce message.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_view(request, pk):
    message = _message_or_404(request.user, pk)
    delivery = services.delivery_for(user=request.user, message=message)
    if not permissions.can_report_message(request.user, delivery):
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_report(actor=request.user, message=message, reason=form.cleaned_data["reason"])
        except (PermissionDenied, ValidationError) as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Merci : votre signalement a été transmis aux administrateurs.")
            return redirect("mail:message", message.pk)
    context = _mailbox_context(request, box=_box_of(delivery), message=message, form=form)
    return render(request, "mail/report.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def empty_trash_view(request):
    if request.method == "POST":
        count = services.trash_empty(actor=request.user)
        messages.success(
            request, f"Corbeille vidée : {count} message{'s' if count > 1 else ''} supprimé{'s' if count > 1 else ''}."
        )
        return redirect("mail:box", selectors.TRASH)
    total = selectors.box_deliveries(user=request.user, box=selectors.TRASH).count()
    return render(request, "mail/mailbox_empty_trash.html", _mailbox_context(request, box=selectors.TRASH, total=total))


# --- folders -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def folders_view(request):
    form = FolderForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            folder = services.folder_create(
                actor=request.user, name=form.cleaned_data["name"], parent=form.cleaned_data["parent"]
            )
        except (PermissionDenied, ValidationError) as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Dossier « {folder} » créé.")
            return redirect("mail:folders")
    return render(request, "mail/folders.html", _mailbox_context(request, box="dossiers", form=form))


@login_required
@require_http_methods(["GET", "POST"])
def folder_rename_view(request, pk):
    folder = selectors.folder_of(user=request.user, pk=pk)
    if folder is None:
        raise Http404
    form = FolderRenameForm(request.POST or None, initial={"name": folder.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.folder_rename(actor=request.user, folder=folder, name=form.cleaned_data["name"])
        except (PermissionDenied, ValidationError) as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Dossier renommé « {folder} ».")
            return redirect("mail:folders")
    context = _mailbox_context(request, box="dossiers", form=form, folder=folder, action="rename")
    return render(request, "mail/folder_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def folder_delete_view(request, pk):
    folder = selectors.folder_of(user=request.user, pk=pk)
    if folder is None:
        raise Http404
    if request.method == "POST":
        name = str(folder)
        moved = services.folder_delete(actor=request.user, folder=folder)
        back = (
            f" ; {moved} message{'s' if moved > 1 else ''} revenu{'s' if moved > 1 else ''} dans la boîte de réception"
            if moved
            else ""
        )
        messages.success(request, f"Dossier « {name} » supprimé{back}.")
        return redirect("mail:folders")
    context = _mailbox_context(request, box="dossiers", folder=folder, action="delete")
    return render(request, "mail/folder_edit.html", context)
