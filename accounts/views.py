from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from ent import fragments

from . import accessibility, home, permissions, selectors, services, structure_page
from .forms import DirectorySearchForm, InvitationPasswordForm, ProfileForm, directory_fields_html
from .models import MEMBERSHIPS_VERSION
from .roles import current_memberships
from .tokens import user_from_invitation_token

PAGE_SIZE = 24


@login_required
@require_GET
def home_view(request):
    todo, panels = home.parts_for(request)
    context = {"memberships": current_memberships(request.user), "todo": todo, "panels": panels}
    return render(request, "accounts/home.html", context)


@login_required
@require_GET
def directory_view(request):
    """« Écoles et équipes ». The results (the count, a page of rows, the pagination) are kept per
    person and address (``ent.fragments``: the search, the kind and the page come from the query
    string) under the versions of what they draw: the structures (``STRUCTURES_VERSION``, which
    ``kept_for`` adds with the person's memberships: who may see the directory) and everyone's
    memberships (``MEMBERSHIPS_VERSION``: a row's member count), per day (a membership starting or
    ending today). The search form, what the person typed, is drawn on every request (without a
    search typed, once per process: ``forms.directory_fields_html``)."""
    form = DirectorySearchForm(request.GET or None)
    query = kind = ""
    if form.is_valid():
        query, kind = form.cleaned_data["q"], form.cleaned_data["kind"]

    def results():
        structures = selectors.structure_directory(user=request.user, query=query, kind=kind)
        return {"page": Paginator(structures, PAGE_SIZE).get_page(request.GET.get("page")), "query": query}

    html = fragments.kept_for(
        request, "accounts:directory", [MEMBERSHIPS_VERSION], "accounts/directory.html#results", results
    )
    if request.htmx:
        return HttpResponse(html)
    return render(
        request,
        "accounts/directory.html",
        {"form": form, "search_fields": directory_fields_html(form), "results": html},
    )


@login_required
@require_GET
def structure_detail_view(request, code):
    structure = selectors.structure_with_members(user=request.user, code=code)
    if structure is None or not permissions.can_view_structure(request.user, structure):
        raise Http404
    return render(
        request,
        "accounts/structure_detail.html",
        {
            "structure": structure,
            "show_contact": permissions.can_see_members_contact(request.user, structure),
            "regions": structure_page.sections_for(request, structure),
        },
    )


@login_required
@require_GET
def app_links_view(request):
    return render(request, "accounts/app_links.html", {"app_links": selectors.app_links_for(user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, "Votre profil est enregistré.")
        return redirect("accounts:profile")
    return render(
        request, "accounts/profile.html", {"form": form, "memberships": selectors.memberships_of(user=request.user)}
    )


@require_http_methods(["GET", "POST"])
def invitation_view(request, token):
    user = user_from_invitation_token(token)
    if user is None:
        return render(request, "accounts/invitation_invalid.html", status=400)
    form = InvitationPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_set_password_from_invitation(user=user, password=form.cleaned_data["new_password1"])
        messages.success(request, "Votre mot de passe est enregistré. Bienvenue sur l’ENT !")
        # allauth's own login (its backend, its stages: a person who already has a second factor is
        # asked for it); the district team is then sent to set one up by RequireMFAMiddleware.
        return perform_login(request, user, redirect_url=reverse("accounts:home"))
    return render(request, "accounts/invitation.html", {"form": form, "invited": user})


def signup_closed_view(request):
    return render(request, "account/signup_closed.html", status=403)


@require_GET
def accessibility_view(request):
    """The RGAA accessibility declaration, open to everyone, with the figures the tests measured."""
    team = selectors.district_team()
    context = {"measures": accessibility.measures(), "contact_email": team.email if team else ""}
    return render(request, "accounts/accessibility.html", context)
