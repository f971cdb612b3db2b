from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from blogs import selectors as blog_selectors
from blogs.models import Tag
from ent.lists import first_of
from search import help, registry
from search.forms import SearchForm
from search.text import Query

PER_KIND = 5  # results of each kind on the grouped page
PAGE_SIZE = 20  # results of one kind, page by page


@login_required
@require_GET
def results_view(request):
    """The results of every provider this person may use, grouped by kind; one kind page by page."""
    form = SearchForm(request.GET or None, user=request.user)
    query, kind = Query(""), ""
    if form.is_valid():
        query = Query(form.cleaned_data["q"].strip(), form.cleaned_data["annee"])
        kind = form.cleaned_data["type"]
    groups, page = [], None
    if query:
        user = request.user
        if kind:
            provider = registry.get(kind)
            page = Paginator(provider.search(user, query), PAGE_SIZE).get_page(request.GET.get("page"))
            groups.append(
                {
                    "provider": provider,
                    "results": [provider.present(row, query, user) for row in page],
                    "total": page.paginator.count,
                }
            )
        else:
            for provider in registry.providers(user):
                rows = provider.search(user, query)
                if isinstance(rows, QuerySet):  # one query: the first rows and the total
                    cut = first_of(rows, PER_KIND)
                    items, total = cut.items, cut.total
                else:
                    rows = list(rows)
                    items, total = rows[:PER_KIND], len(rows)
                if total:
                    groups.append(
                        {
                            "provider": provider,
                            "results": [provider.present(row, query, user) for row in items],
                            "total": total,
                        }
                    )
    params = request.GET.copy()
    params.pop("page", None)
    kind_params = request.GET.copy()
    for key in ("page", "type"):
        kind_params.pop(key, None)
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "query": query,
            "kind": kind,
            "groups": groups,
            "page": page,
            "page_query": params.urlencode() + "&" if params else "",
            "kind_query": kind_params.urlencode(),
            "total": sum(g["total"] for g in groups),
        },
    )


@login_required
@require_GET
def help_index_view(request):
    return render(request, "search/help_index.html", {"pages": list(help.pages().values())})


@login_required
@require_GET
def help_page_view(request, slug):
    page = help.page(slug)
    if page is None:
        raise Http404
    return render(request, "search/help_page.html", {"page": page})


@login_required
@require_GET
def tutorials_view(request):
    """« L'outil numérique de la semaine », browsable by tags (tool, cycle, discipline)."""
    all_tags = list(blog_selectors.tutorial_tags(user=request.user))
    chosen_slugs = set(request.GET.getlist("etiquette"))
    chosen = [t for t in all_tags if t.slug in chosen_slugs]
    page = Paginator(blog_selectors.tutorials(user=request.user, tags=chosen), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    kinds = [
        {"label": label, "tags": [t for t in all_tags if t.kind == value]}
        for value, label in Tag.Kind.choices
        if any(t.kind == value for t in all_tags)
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "search/tutorials.html",
        {
            "kinds": kinds,
            "chosen": chosen,
            "chosen_slugs": chosen_slugs,
            "page": page,
            "page_query": params.urlencode() + "&" if params else "",
        },
    )
