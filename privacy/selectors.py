"""Reads on the registry (each page's queries do not grow with its rows)."""

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import Structure

from .models import ConsentRequest, GuardianDecision, Pupil, current_school_year
from .permissions import declarable_pupil_schools, registry_schools_visible_to


def registry_schools(*, user) -> QuerySet[Structure]:
    return Structure.objects.filter(registry_schools_visible_to(user)).order_by("sort_name", "pk")


def registry_school(*, user, code: str) -> Structure | None:
    """The school of ``code`` if this person keeps its registry (None → 404)."""
    return Structure.objects.filter(registry_schools_visible_to(user), code=code).first()


def pupils_of(*, school, school_year: str | None = None, query: str = "", class_name: str = "") -> QuerySet[Pupil]:
    pupils = Pupil.objects.of_school(school).filter(school_year=school_year or current_school_year()).search(query)
    if class_name:
        pupils = pupils.filter(class_name=class_name)
    return pupils.order_by("class_name", "search_name", "pk")


def classes_of(*, school, school_year: str | None = None) -> list[str]:
    return list(
        Pupil.objects.of_school(school)
        .filter(school_year=school_year or current_school_year())
        .values_list("class_name", flat=True)
        .distinct()
        .order_by("class_name")
    )


def requests_of(*, school) -> QuerySet[ConsentRequest]:
    return ConsentRequest.objects.of_school(school).order_by("-school_year", "title", "pk")


def request_of(*, school, pk: int) -> ConsentRequest | None:
    return ConsentRequest.objects.of_school(school).filter(pk=pk).first()


def grid_pupils(*, request: ConsentRequest, query: str = "", class_name: str = "") -> QuerySet[Pupil]:
    """The pupils of the request's school year, each with their guardians' answers to it (``answers``)."""
    return pupils_of(
        school=request.school, school_year=request.school_year, query=query, class_name=class_name
    ).prefetch_related(
        Prefetch(
            "decisions",
            queryset=GuardianDecision.objects.filter(request=request).select_related("recorded_by"),
            to_attr="answers",
        )
    )


def returned_by_class(*, request: ConsentRequest) -> list[dict]:
    """Per class: pupils, forms returned (every guardian answered), missing — one query."""
    rows = (
        Pupil.objects.of_school(request.school)
        .filter(school_year=request.school_year)
        .annotate(answered=Count("decisions", filter=Q(decisions__request=request)))
        .values("class_name", "guardians", "answered")
    )
    classes: dict[str, dict] = {}
    for row in rows:
        entry = classes.setdefault(row["class_name"], {"class_name": row["class_name"], "pupils": 0, "returned": 0})
        entry["pupils"] += 1
        entry["returned"] += row["answered"] >= row["guardians"]
    result = sorted(classes.values(), key=lambda e: e["class_name"])
    for entry in result:
        entry["missing"] = entry["pupils"] - entry["returned"]
    return result


def declarable_pupils(*, user, query: str = "", chosen=()) -> QuerySet[Pupil]:
    """Pupils this person may name on a media (their registries), matching ``query``, plus ``chosen``."""
    base = Pupil.objects.filter(declarable_pupil_schools(user), school_year=current_school_year())
    matching = base.search(query) if query else base
    return (
        base.filter(Q(pk__in=matching.values("pk")) | Q(pk__in=list(chosen)))
        .select_related("school")
        .order_by("class_name", "search_name", "pk")
    )
