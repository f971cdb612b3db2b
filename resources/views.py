from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import permissions, selectors, services
from .forms import DocumentForm, ReplaceForm
from .models import Theme

PAGE_SIZE = 20


def _folder_or_404(request, pk):
    folder = selectors.folder_for(user=request.user, pk=pk)
    if folder is None:
        raise Http404
    return folder


def _document_or_404(request, pk):
    document = selectors.document_for(user=request.user, pk=pk)
    if document is None:
        raise Http404
    return document


@login_required
@require_GET
def index_view(request):
    folders = list(selectors.folders_for(request.user))
    themes = [(label, [f for f in folders if f.theme == value]) for value, label in Theme.choices]
    return render(
        request,
        "resources/index.html",
        {"themes": themes, "newest": selectors.newest_for(request.user)},
    )


@login_required
@require_GET
def folder_view(request, pk):
    folder = _folder_or_404(request, pk)
    documents = selectors.documents_for(request.user).filter(folder=folder).order_by("-created_at", "-pk")
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_marks(page.object_list)
    return render(
        request,
        "resources/folder.html",
        {
            "folder": folder,
            "page": page,
            "can_manage": permissions.can_manage(request.user),
            "sees_counts": permissions.sees_download_counts(request.user),
        },
    )


@login_required
@require_GET
def document_view(request, pk):
    document = _document_or_404(request, pk)
    mark = selectors.mark_of(document)
    services.document_mark_read(user=request.user, document=document, known=document.read_version)
    return render(
        request,
        "resources/document.html",
        {
            "document": document,
            "mark": mark,
            "versions": document.versions.select_related("media").all(),
            "link": request.build_absolute_uri(document.get_absolute_url()),
            "can_manage": permissions.can_manage(request.user),
            "sees_counts": permissions.sees_download_counts(request.user),
        },
    )


@login_required
@require_GET
def download_view(request, pk):
    """Counts the download (one UPDATE), marks it read, then hands over to the file's own URL."""
    document = _document_or_404(request, pk)
    if document.current is None or document.current.status != document.current.Status.READY:
        return redirect(document)
    services.document_count_download(document=document)
    services.document_mark_read(user=request.user, document=document, known=document.read_version)
    return redirect(document.current.url("file"))


@login_required
@require_http_methods(["GET", "POST"])
def document_create_view(request, pk):
    folder = _folder_or_404(request, pk)
    if not permissions.can_manage(request.user):
        raise Http404
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        file = data.pop("file")
        try:
            document = services.document_create(folder=folder, file=file, actor=request.user, **data)
        except (ValidationError, PermissionDenied) as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Le document « {document.title} » est ajouté au dossier.")
            return redirect(document)
    return render(request, "resources/document_form.html", {"form": form, "folder": folder})


@login_required
@require_http_methods(["GET", "POST"])
def document_replace_view(request, pk):
    document = _document_or_404(request, pk)
    if not permissions.can_manage(request.user):
        raise Http404
    form = ReplaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_replace_file(document=document, file=form.cleaned_data["file"], actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Le fichier est remplacé ; la version précédente reste disponible.")
            return redirect(document)
    return render(request, "resources/replace_form.html", {"form": form, "document": document})
