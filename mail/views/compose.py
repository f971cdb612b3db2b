"""The composing side's pages: write (a draft), autosave, send (undo, scheduled), recall, receipts,
« Relancer », recipient suggestions, favoris and the signature.

The compose page works without JavaScript: the search field is a submit (« Rechercher ») that
lists matching recipients as checkboxes to add, each chip has a « Retirer » submit button, and the
form saves the draft on every POST. ``static/ent/mail-compose.js`` turns the field into an
accessible combobox (htmx suggestions, arrows, Enter, Escape), saves the draft every few seconds
and when the page is left, and counts down « Annuler l’envoi ».
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ent.dates import format_time

from .. import permissions, recipients, services
from ..forms import ComposeForm, ContactListForm, SignatureForm
from ..models import ContactList, Delivery, DeliveryField, Message, MessageStatus

RECEIPTS_PAGE_SIZE = 50


def _compose_allowed(request):
    if not permissions.can_compose(request.user):
        raise PermissionDenied("Vous ne pouvez pas écrire de message.")


def _draft_or_404(user, pk) -> Message:
    message = Message.objects.filter(pk=pk, sender=user).first()
    if message is None or not permissions.can_edit_draft(user, message):
        raise Http404
    return message


def _own_message_or_404(user, pk) -> Message:
    message = Message.objects.filter(pk=pk, sender=user).first()
    if message is None:
        raise Http404
    return message


def _readable_or_404(user, pk) -> Message:
    message = Message.objects.select_related("sender").filter(pk=pk).first()
    if message is None or not permissions.can_read_message(user, message):
        raise Http404
    return message


def _initial(message: Message | None, request) -> dict:
    if message is None:
        to = recipients.clean_tokens(request.GET.getlist("a"))
        return {"to": to, "body": services.signature_html(request.user), "send_key": uuid.uuid4(), "add_to": "to"}
    return {
        **message.addressing,
        "subject": message.subject,
        "body": str(message.body or ""),
        "no_reply": message.no_reply,
        "read_receipt": message.read_receipt,
        "send_key": uuid.uuid4(),
        "add_to": "to",
    }


def _chips(addressing: dict) -> dict:
    tokens = recipients.all_tokens(addressing)
    found = recipients.labels(tokens)
    return {name: [found[t] for t in addressing.get(name, []) if t in found] for name in recipients.FIELDS}


def _render(request, form, message, *, suggestions=None, confirm=None, status=200):
    addressing = form.addressing() if form.is_bound and hasattr(form, "cleaned_data") else _initial_addressing(form)
    chips = _chips(addressing)
    lists = list(ContactList.objects.filter(permissions.contact_lists_visible_to(request.user)))
    warnings = services.contact_list_warnings(actor=request.user, contact_lists=lists) if lists else {}
    context = {
        "form": form,
        "message": message,
        "recipient_fields": [
            {"name": name, "label": label, "chips": chips[name], "errors": form.errors.get(name, [])}
            for name, label in (("to", "À"), ("cc", "Copie (Cc)"), ("bcc", "Copie cachée (Cci)"))
        ],
        "suggestions": suggestions,
        "confirm": confirm,
        "contact_lists": [(cl, warnings.get(cl.pk, [])) for cl in lists],
        "attachments": list(services.message_attachments(message)) if message else [],
        "autosave_url": reverse("mail:draft-autosave"),
        "search_url": reverse("mail:recipient-search"),
        "max_attachments": settings.ENT_MAIL_MAX_ATTACHMENTS_BYTES,
    }
    return render(request, "mail/compose.html", context, status=status)


def _initial_addressing(form) -> dict:
    return {name: list(form.initial.get(name) or []) for name in recipients.FIELDS}


def _form(request, message, data=None, files=None, picked_choices=()):
    attachments = list(services.message_attachments(message)) if message else []
    kwargs = {
        "attachments": attachments,
        "picked_choices": picked_choices,
        "no_reply_allowed": permissions.can_use_no_reply(request.user),
    }
    if data is None:
        return ComposeForm(initial=_initial(message, request), **kwargs)
    return ComposeForm(data, files, **kwargs)


def _save_draft(request, form, message) -> Message:
    data = form.cleaned_data
    return services.draft_save(
        actor=request.user,
        message=message,
        subject=data.get("subject") or "",
        body=data.get("body") or "",
        addressing=form.addressing(),
        no_reply=data.get("no_reply") or False,
        read_receipt=data.get("read_receipt") or False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def compose_view(request):
    """« Écrire »: a new message; ``?a=<token>`` prefills a recipient; ``?reponse=<id>``,
    ``?reponse_tous=<id>``, ``?transfert=<id>`` start a draft answering or forwarding a message."""
    _compose_allowed(request)
    for param, make in (
        ("reponse", lambda m: services.draft_for_reply(actor=request.user, message=m)),
        ("reponse_tous", lambda m: services.draft_for_reply(actor=request.user, message=m, reply_all=True)),
        ("transfert", lambda m: services.draft_for_forward(actor=request.user, message=m)),
    ):
        value = request.GET.get(param, "")
        if value.isdigit():
            source = _readable_or_404(request.user, int(value))
            try:
                draft = make(source)
            except PermissionDenied as error:
                messages.error(request, str(error))
                return redirect(source.get_absolute_url())
            return redirect("mail:draft", draft.pk)
    if request.method == "POST":
        return _handle_post(request, None)
    return _render(request, _form(request, None), None)


@login_required
@require_http_methods(["GET", "POST"])
def draft_view(request, pk):
    replay = _replayed_send(request, pk)
    if replay is not None:
        return replay
    message = _draft_or_404(request.user, pk)
    if request.method == "POST":
        return _handle_post(request, message)
    return _render(request, _form(request, message), message)


@login_required
@require_POST
def send_view(request, pk):
    replay = _replayed_send(request, pk)
    if replay is not None:
        return replay
    message = _draft_or_404(request.user, pk)
    return _handle_post(request, message, action="send")


def _replayed_send(request, pk):
    """A second click on « Envoyer » (same form, same ``send_key``): the page of the sending, nothing new."""
    key = request.POST.get("send_key", "") if request.method == "POST" else ""
    if not key:
        return None
    message = Message.objects.filter(pk=pk, sender=request.user).exclude(status=MessageStatus.DRAFT).first()
    if message is not None and message.send_key is not None and str(message.send_key) == key:
        return redirect("mail:undo", message.pk)
    return None


def _handle_post(request, message, action=None):
    action = action or request.POST.get("action", "save")
    remove = request.POST.get("remove", "")
    query = request.POST.get("query", "")
    picked_choices = []
    if action == "add":
        picked_choices = [(t, t) for t in recipients.clean_tokens(request.POST.getlist("picked"))]
    form = _form(request, message, request.POST, request.FILES, picked_choices=picked_choices)
    if not form.is_valid():
        # Keep what was typed all the same: the valid part is saved as a draft.
        if message is not None or any(form.cleaned_data.get(f) for f in ("subject", "body", "to", "cc", "bcc")):
            message = _save_draft(request, form, message)
        return _render(request, form, message)
    data = form.cleaned_data
    # Recipients: add the ticked suggestions, drop a chip.
    if action == "add":
        target = data.get("add_to") or "to"
        form.cleaned_data[target] = recipients.clean_tokens([*data[target], *data.get("picked", [])])
    if remove:
        name, _, token = remove.partition(":")
        if name in recipients.FIELDS:
            form.cleaned_data[name] = [t for t in data[name] if t != token]
    if action == "list-insert":
        chosen = ContactList.objects.filter(
            permissions.contact_lists_visible_to(request.user), pk=request.POST.get("contact_list") or 0
        ).first()
        if chosen is not None:
            form.cleaned_data["to"] = recipients.clean_tokens([*data["to"], *chosen.entries])
    message = _save_draft(request, form, message)
    try:
        files = form.files_by_kind()
        if any(files.values()):
            services.attachments_add(
                actor=request.user,
                message=message,
                files=files,
                alt_text=data.get("images_alt") or "",
                transcript=data.get("audio_transcript") or "",
                no_identifiable_pupil=bool(data.get("media_no_pupil")),
            )
        if data.get("remove_attachments"):
            services.attachments_remove(actor=request.user, message=message, media_ids=data["remove_attachments"])
    except (ValidationError, PermissionDenied) as error:
        form.add_service_errors(error)
        return _render(request, _rebound(request, form, message), message)
    if action == "list-save":
        name = request.POST.get("list_name", "")
        try:
            services.contact_list_create(
                actor=request.user, name=name, entries=recipients.all_tokens(form.addressing())
            )
            messages.success(request, f"Liste « {name.strip()} » enregistrée dans vos favoris.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("mail:draft", message.pk)
    if action == "search":
        suggestions = recipients.search(
            user=request.user, text=query, exclude=recipients.all_tokens(form.addressing()), limit=15
        )
        rebound = _rebound(request, form, message, picked_choices=[(s.token, s.text) for s in suggestions])
        return _render(request, rebound, message, suggestions=suggestions or [])
    if action != "send":
        if action == "save":
            messages.success(request, "Brouillon enregistré.")
        return redirect("mail:draft", message.pk)
    return _send(request, form, message)


def _rebound(request, form, message, picked_choices=()):
    """The form again, bound to what the draft now holds (chips changed, files attached)."""
    data = request.POST.copy()
    for name in recipients.FIELDS:
        data.setlist(name, form.cleaned_data.get(name, []))
    data.setlist("picked", [])
    data.setlist("remove_attachments", [])
    rebound = _form(request, message, data, None, picked_choices=picked_choices)
    rebound.is_valid()
    for field, errors in form.errors.items():
        for error in errors:
            if error not in rebound.errors.get(field, []):
                rebound.add_error(field if field != "__all__" else None, error)
    return rebound


def _send(request, form, message):
    data = form.cleaned_data
    reach = recipients.reach(message.addressing, sender=request.user)
    needs_confirm = reach.people > settings.ENT_MAIL_CONFIRM_ABOVE or reach.not_activated or reach.deactivated
    if needs_confirm and not data.get("confirmed"):
        error = permissions.recipients_error(
            request.user, message.addressing, also_people=services.reply_sender_ids(request.user, message)
        )
        if error is not None:
            form.add_error("to", error)
            return _render(request, _rebound(request, form, message), message)
        return _render(request, _rebound(request, form, message), message, confirm=reach)
    try:
        sent = services.message_send(
            actor=request.user, message=message, send_key=data.get("send_key"), scheduled_at=data.get("scheduled_at")
        )
    except (ValidationError, PermissionDenied) as error:
        form.add_service_errors(error)
        return _render(request, _rebound(request, form, message), message)
    return redirect("mail:undo", sent.pk)


@login_required
@require_POST
def draft_autosave_view(request):
    """Autosave (htmx/fetch every few seconds, and ``sendBeacon`` when the page is left): JSON."""
    _compose_allowed(request)
    pk = request.POST.get("draft", "")
    message = _draft_or_404(request.user, int(pk)) if pk.isdigit() else None
    form = _form(request, message, request.POST, None)
    form.is_valid()
    for name in ("documents", "images", "audio", "images_alt"):
        form.errors.pop(name, None)
    if form.errors and not hasattr(form, "cleaned_data"):
        return JsonResponse({"status": "Brouillon non enregistré : vérifiez le formulaire."}, status=400)
    message = _save_draft(request, form, message)
    return JsonResponse(
        {
            "draft": message.pk,
            "url": reverse("mail:draft", args=[message.pk]),
            "action": reverse("mail:draft", args=[message.pk]),
            "status": f"Brouillon enregistré à {format_time(timezone.now())}",
        }
    )


@login_required
@require_http_methods(["GET", "POST"])
def undo_view(request, pk):
    """After « Envoyer »: the countdown and « Annuler l’envoi » (POST), or the scheduled time."""
    message = _own_message_or_404(request.user, pk)
    if request.method == "POST":
        try:
            services.message_undo(actor=request.user, message=message)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("mail:undo", message.pk)
        messages.info(request, "Envoi annulé : votre message est de nouveau un brouillon.")
        return redirect("mail:draft", message.pk)
    now = timezone.now()
    context = {
        "message": message,
        "can_undo": permissions.can_undo_send(request.user, message, now),
        "seconds_left": max(0, int((message.undo_until - now).total_seconds())) if message.undo_until else 0,
        "can_cancel_schedule": permissions.can_cancel_schedule(request.user, message, now) and not message.undo_until,
        "can_recall": permissions.can_recall(request.user, message, now),
    }
    return render(request, "mail/compose_sent.html", context)


@login_required
@require_POST
def cancel_schedule_view(request, pk):
    message = _own_message_or_404(request.user, pk)
    try:
        services.message_cancel_schedule(actor=request.user, message=message)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("mail:undo", message.pk)
    messages.info(request, "Envoi programmé annulé : votre message est de nouveau un brouillon.")
    return redirect("mail:draft", message.pk)


@login_required
@require_POST
def recall_view(request, pk):
    message = _own_message_or_404(request.user, pk)
    was_scheduled = message.status == MessageStatus.SCHEDULED
    try:
        services.message_recall(actor=request.user, message=message)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect(message.get_absolute_url())
    if was_scheduled:
        messages.info(request, "Message rappelé : il est de nouveau un brouillon.")
        return redirect("mail:draft", message.pk)
    messages.success(request, "Message rappelé : ses destinataires voient désormais « Message rappelé ».")
    return redirect(message.get_absolute_url())


@login_required
@require_GET
def receipts_view(request, pk):
    message = _own_message_or_404(request.user, pk)
    if not permissions.can_view_receipts(request.user, message):
        raise Http404
    deliveries = (
        Delivery.objects.filter(message=message, user__isnull=False)
        .exclude(field=DeliveryField.SENDER)
        .select_related("user", "school")
        .order_by(F("read_at").desc(nulls_last=True), "user__sort_name", "pk")
    )
    page = Paginator(deliveries, RECEIPTS_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    context = {
        "message": message,
        "page": page,
        "counts": services.receipts_counts(message),
        "can_remind": permissions.can_remind(request.user, message, now),
        "remind_again": permissions.remind_available_at(message),
        "can_recall": permissions.can_recall(request.user, message, now),
        "see_bcc": permissions.can_see_bcc(request.user, message),
    }
    return render(request, "mail/receipts.html", context)


@login_required
@require_POST
def remind_view(request, pk):
    message = _own_message_or_404(request.user, pk)
    if not permissions.can_view_receipts(request.user, message):
        raise Http404
    try:
        count = services.message_remind(actor=request.user, message=message)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Relance envoyée à {count} personne{'s' if count > 1 else ''}.")
    return redirect("mail:receipts", message.pk)


@login_required
@require_GET
def recipient_search_view(request):
    """The suggestions of the recipient field (htmx): options of the listbox."""
    _compose_allowed(request)
    text = request.GET.get("query", "")[:100]
    exclude = recipients.clean_tokens(
        request.GET.getlist("to") + request.GET.getlist("cc") + request.GET.getlist("bcc")
    )
    suggestions = recipients.search(user=request.user, text=text, exclude=exclude) if len(text.strip()) >= 2 else []
    return render(request, "mail/compose_suggestions.html", {"suggestions": suggestions, "query": text})


@login_required
@require_http_methods(["GET", "POST"])
def contact_lists_view(request):
    """« Mes favoris »: rename or delete a list, see who can no longer be reached."""
    _compose_allowed(request)
    lists = list(ContactList.objects.filter(permissions.contact_lists_visible_to(request.user)))
    if request.method == "POST":
        chosen = get_object_or_404(
            ContactList.objects.filter(permissions.contact_lists_visible_to(request.user)),
            pk=request.POST.get("contact_list") or 0,
        )
        if request.POST.get("action") == "delete":
            services.contact_list_delete(actor=request.user, contact_list=chosen)
            messages.success(request, f"Liste « {chosen.name} » supprimée.")
            return redirect("mail:contact-lists")
        form = ContactListForm(request.POST)
        if form.is_valid():
            try:
                services.contact_list_rename(actor=request.user, contact_list=chosen, name=form.cleaned_data["name"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Liste renommée.")
        else:
            messages.error(request, "Donnez un nom à la liste.")
        return redirect("mail:contact-lists")
    warnings = services.contact_list_warnings(actor=request.user, contact_lists=lists)
    names = {lab.token: lab for lab in recipients.label_list(sorted({t for cl in lists for t in cl.entries}))}
    rows = [(cl, [names[t] for t in cl.entries if t in names], warnings.get(cl.pk, [])) for cl in lists]
    return render(request, "mail/contact_lists.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    """« Réglages »: the signature."""
    _compose_allowed(request)
    if request.method == "POST":
        form = SignatureForm(request.POST)
        if form.is_valid():
            services.mail_settings_save(actor=request.user, signature=form.cleaned_data["signature"])
            messages.success(request, "Signature enregistrée.")
            return redirect("mail:settings")
    else:
        form = SignatureForm(initial={"signature": services.signature_of(request.user)})
    return render(request, "mail/compose_settings.html", {"form": form})
