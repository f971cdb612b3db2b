"""The registry's pages: thin views (permission, selector or service, render)."""

import hashlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts.imports.files import ImportFileError, read_upload
from ent.forms import DsfrForm
from uploads.selectors import media_by_public_id

from . import imports, permissions, selectors, services
from .forms import BlurForm, DecisionRowForm, DeclarationForm, PupilForm, PupilSearchForm, RequestForm
from .models import GuardianDecision
from .rules import guardians_required

PAGE_SIZE = 50
REQUESTS_SHOWN = 30


def _school_or_404(request, code):
    school = selectors.registry_school(user=request.user, code=code)
    if school is None:
        raise Http404
    return school


def _request_or_404(school, pk):
    consent_request = selectors.request_of(school=school, pk=pk)
    if consent_request is None:
        raise Http404
    return consent_request


@login_required
@require_http_methods(["GET"])
def index_view(request):
    schools = list(selectors.registry_schools(user=request.user)[:200])
    if len(schools) == 1:
        return redirect("privacy:registry", schools[0].code)
    return render(
        request,
        "privacy/index.html",
        {"schools": schools, "can_read_journal": permissions.can_read_admin_journal(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def registry_view(request, code):
    """The class list of a school (search without accents, by class), its requests, « Ajouter un élève »."""
    school = _school_or_404(request, code)
    form = PupilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pupil = services.pupil_create(actor=request.user, school=school, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{pupil} est ajouté·e au registre.")
            return redirect("privacy:registry", school.code)
    search = PupilSearchForm(request.GET or None)
    query = search.data.get("q", "") if search.is_bound else ""
    class_name = search.data.get("classe", "") if search.is_bound else ""
    page = Paginator(selectors.pupils_of(school=school, query=query, class_name=class_name), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "school": school,
        "form": form,
        "search": search,
        "page": page,
        "classes": selectors.classes_of(school=school),
        "class_name": class_name,
        "query_string": f"q={query}&classe={class_name}&",
        # The newest requests (a school asks a few a year); one query, whatever their number.
        "requests": list(selectors.requests_of(school=school)[:REQUESTS_SHOWN]),
    }
    return render(request, "privacy/registry.html", context)


def _request_input(data) -> services.RequestInput:
    return services.RequestInput(
        title=data["title"],
        project=data["project"],
        media=data["media"],
        channels=data["channels"],
        form_version=data["form_version"],
        valid_until=data["valid_until"],
        project_object=data.get("project_object"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create_view(request, code):
    school = _school_or_404(request, code)
    form = RequestForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            consent_request = services.request_create(
                actor=request.user, school=school, data=_request_input(form.cleaned_data)
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "La demande d’autorisation est créée : imprimez le formulaire pour les familles.")
            return redirect(consent_request.get_absolute_url())
    return render(request, "privacy/request_form.html", {"school": school, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def request_detail_view(request, code, pk):
    """A request: its dashboard per class, and the grid of pupils × guardians to record answers by hand."""
    school = _school_or_404(request, code)
    consent_request = _request_or_404(school, pk)
    class_name = request.GET.get("classe", "")
    page = Paginator(selectors.grid_pupils(request=consent_request, class_name=class_name), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    failed = None
    if request.method == "POST":
        failed = _record_row(request, consent_request)
        if failed is None:
            return redirect(request.get_full_path())
    rows = []
    for pupil in page:
        form = failed if failed is not None and failed.pupil.pk == pupil.pk else DecisionRowForm(pupil=pupil)
        answers = {a.guardian: a for a in pupil.answers}
        rows.append({"pupil": pupil, "form": form, "answers": [answers.get(n) for n in range(1, pupil.guardians + 1)]})
    context = {
        "school": school,
        "consent_request": consent_request,
        "page": page,
        "rows": rows,
        "classes": selectors.returned_by_class(request=consent_request),
        "class_name": class_name,
        "query_string": f"classe={class_name}&",
        "rule": guardians_required(school.district_id),
    }
    return render(request, "privacy/request_detail.html", context)


def _record_row(request, consent_request):
    """Record the answers of one row; returns the bound form on error (shown again), else None."""
    pupil = (
        selectors.pupils_of(school=consent_request.school, school_year=consent_request.school_year)
        .filter(pk=request.POST.get("pupil"))
        .first()
    )
    if pupil is None:
        raise Http404
    form = DecisionRowForm(request.POST, pupil=pupil)
    if not form.is_valid():
        return form
    try:
        for n in range(1, pupil.guardians + 1):
            decision = form.cleaned_data.get(f"decision_{n}")
            if decision:
                services.decision_record(
                    actor=request.user,
                    request=consent_request,
                    pupil=pupil,
                    guardian=n,
                    decision=decision,
                    signed_on=form.cleaned_data[f"signed_on_{n}"],
                )
    except (ValidationError, PermissionDenied) as error:
        form.add_service_errors(error)
        return form
    messages.success(request, f"Réponses de la famille de {pupil.short_name} enregistrées.")
    return None


@login_required
@require_http_methods(["POST"])
def decision_withdraw_view(request, code, pk, decision_pk):
    school = _school_or_404(request, code)
    consent_request = _request_or_404(school, pk)
    decision = (
        GuardianDecision.objects.filter(request=consent_request, pk=decision_pk)
        .select_related("pupil", "request__school")
        .first()
    )
    if decision is None:
        raise Http404
    services.decision_withdraw(actor=request.user, decision=decision)
    messages.success(
        request,
        f"Autorisation retirée pour {decision.pupil.short_name} : ses photos et enregistrements publiés "
        "sont masqués, et leurs auteurs prévenus.",
    )
    return redirect(consent_request.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def media_declare_view(request, public_id):
    """Who this photo or recording shows: « aucun élève reconnaissable », or pupils of one's registries."""
    media = media_by_public_id(public_id)
    if (
        media is None
        or not permissions.can_declare_media(request.user, media)
        or media.kind not in services.MEDIUM_OF_KIND
    ):
        raise Http404
    declaration = getattr(media, "privacy_declaration", None)
    chosen = [p.pk for p in declaration.pupils.all()] if declaration else []
    query = request.GET.get("q", "")
    pupils = selectors.declarable_pupils(user=request.user, query=query, chosen=chosen)
    initial = {"no_identifiable_pupil": bool(declaration and declaration.no_identifiable_pupil), "pupils": chosen}
    form = DeclarationForm(request.POST or None, initial=initial, pupils_queryset=pupils)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        try:
            services.media_declare(
                actor=request.user,
                media=media,
                pupils=form.cleaned_data["pupils"],
                no_identifiable_pupil=form.cleaned_data["no_identifiable_pupil"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Déclaration enregistrée pour « {media} ».")
            if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=False):
                return redirect(next_url)
            return redirect(reverse("privacy:media-declare", args=[media.public_id]))
    return render(
        request,
        "privacy/media_declare.html",
        {
            "media": media,
            "form": form,
            "blur_form": BlurForm(),
            "query": query,
            "next": next_url,
            "declaration": declaration,
        },
    )


@login_required
@require_http_methods(["POST"])
def media_blur_view(request, public_id):
    """Blur rectangles of an image, in every stored size (server-side, Pillow); the unblurred files go."""
    media = media_by_public_id(public_id)
    if media is None or not permissions.can_declare_media(request.user, media) or media.kind != "image":
        raise Http404
    form = BlurForm(request.POST)
    if form.is_valid():
        try:
            services.media_blur_areas(actor=request.user, media=media, regions=form.cleaned_data["regions"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Les zones choisies sont floutées sur toutes les tailles de l’image.")
            return redirect(reverse("privacy:media-declare", args=[media.public_id]))
    declaration = getattr(media, "privacy_declaration", None)
    chosen = [p.pk for p in declaration.pupils.all()] if declaration else []
    declare_form = DeclarationForm(
        initial={"pupils": chosen}, pupils_queryset=selectors.declarable_pupils(user=request.user, chosen=chosen)
    )
    context = {
        "media": media,
        "form": declare_form,
        "blur_form": form,
        "query": "",
        "next": "",
        "declaration": declaration,
    }
    return render(request, "privacy/media_declare.html", context)


@login_required
@require_http_methods(["GET"])
def request_pdf_view(request, code, pk):
    """The French authorisation form to hand to families, pre-filled (PDF)."""
    from .pdf import request_form_pdf

    school = _school_or_404(request, code)
    consent_request = _request_or_404(school, pk)
    class_name = request.GET.get("classe", "")
    pupils = list(selectors.pupils_of(school=school, school_year=consent_request.school_year, class_name=class_name))
    content = request_form_pdf(consent_request, pupils)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="autorisation-{consent_request.pk}.pdf"'
    return response


class CsvUploadForm(DsfrForm):
    file = forms.FileField(
        label="Fichier CSV des réponses",
        help_text="Colonnes : Prénom ; Initiale ; Classe ; Responsable (1 ou 2) ; Décision (accordée ou refusée) ; "
        "Date de signature (JJ/MM/AAAA). Au plus 2 Mo, comme l’enregistre un tableur.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.text = read_upload(upload)
        except ImportFileError as error:
            raise ValidationError(str(error)) from error
        return upload


def _session_key(consent_request) -> str:
    return f"privacy_import_{consent_request.pk}"


@login_required
@require_http_methods(["GET"])
def import_template_view(request, code, pk):
    _request_or_404(_school_or_404(request, code), pk)
    response = HttpResponse("\ufeff" + imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reponses-modele.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request, code, pk):
    """Upload a CSV of answers, see every line (to record, unchanged, or its errors), then confirm."""
    school = _school_or_404(request, code)
    consent_request = _request_or_404(school, pk)
    key = _session_key(consent_request)
    if request.method == "POST" and "cancel" in request.POST:
        request.session.pop(key, None)
        messages.info(request, "Import annulé : rien n’a été enregistré.")
        return redirect(consent_request.get_absolute_url())
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.get(key)
        if not stored or stored["digest"] != request.POST.get("digest"):
            messages.error(request, "Cet aperçu n’est plus disponible : déposez le fichier à nouveau.")
            return redirect("privacy:request-import", school.code, consent_request.pk)
        preview = imports.preview_decisions(stored["text"], request=consent_request)
        rows = [line.row for line in preview.lines if line.action in (imports.CREATE, imports.UPDATE)]
        done = services.decisions_import(actor=request.user, request=consent_request, rows=rows)
        del request.session[key]
        messages.success(
            request, f"{done} réponse(s) enregistrée(s) ; {len(preview.error_lines)} ligne(s) en erreur ignorée(s)."
        )
        return redirect(consent_request.get_absolute_url())
    form = CsvUploadForm(request.POST, request.FILES) if request.method == "POST" else CsvUploadForm()
    preview = stored = None
    if form.is_bound and form.is_valid():
        stored = {
            "text": form.text,
            "name": form.cleaned_data["file"].name,
            "digest": hashlib.sha256(form.text.encode()).hexdigest(),
        }
        preview = imports.preview_decisions(form.text, request=consent_request)
        if preview.can_confirm:
            request.session[key] = stored
        else:
            request.session.pop(key, None)
    context = {"school": school, "consent_request": consent_request, "form": form, "preview": preview, "stored": stored}
    return render(request, "privacy/import.html", context)
