"""Recipients of the messaging: tokens as chosen, their French labels, suggestions, resolution to people.

A recipient is chosen as a string token, stored as such in ``Message.addressing``
(``{"to": [...], "cc": [...], "bcc": [...]}``) and in a « favoris » list (``ContactList.entries``):

=================  =====================================================================
``u:<user id>``    a person
``s:<id>``         every current member of a structure (a school, the RASED, the district team)
``d:<school id>``  the director(s) of a school
``directors``      « Tous les directeurs »
``teams``          « Toutes les équipes » (every director and teacher)
``rased``          « Le RASED »
``district``       « Toute la circonscription »
``team``           « Équipe de circonscription », the shared mailbox of the district team (one
                   delivery to the box, read by its members together)
=================  =====================================================================

Who may write to which token is ``mail.permissions`` (``write_scope``, ``refused_tokens``); this
module says what a token is, how it reads (:func:`labels`), which ones match a search
(:func:`search`, filtered by that scope) and whom a message reaches (:func:`resolve`, people only
through ``accounts.audiences``: each person once, To before Cc before Bcc, the sender and inactive
accounts left out). Every function costs a number of queries that does not depend on the number of
people reached (one per token at most, the tokens being the few a person typed).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from accounts.audiences import Audience, AudienceKind, audience_members, directors_of, first_school_of, members_of
from accounts.models import Structure, User
from ent.text import french_sort_key

FIELDS = ("to", "cc", "bcc")
FIELD_LABELS = {"to": "À", "cc": "Copie", "bcc": "Copie cachée"}

PERSON, STRUCTURE, DIRECTION = "u", "s", "d"
# Groups: token -> (label, audience kind or None for the shared box)
GROUPS = {
    "directors": ("Tous les directeurs", AudienceKind.DIRECTORS),
    "teams": ("Toutes les équipes", AudienceKind.TEACHERS),
    "rased": ("Le RASED", AudienceKind.RASED),
    "district": ("Toute la circonscription", AudienceKind.DISTRICT),
    "team": ("Équipe de circonscription", None),
}
SHARED_BOX = "team"
# Words under which a group is also found (« directeur », « ecole », « circo »…), without accents.
GROUP_KEYWORDS = {
    "directors": "tous les directeurs directrices direction",
    "teams": "toutes les equipes enseignants ecoles",
    "rased": "le rased reseau aides specialisees",
    "district": "toute la circonscription tout le monde",
    "team": "equipe de circonscription ien cpc conseillers secretariat boite partagee",
}
MAX_TOKENS = 200


@dataclass(frozen=True)
class Token:
    kind: str  # "u", "s", "d" or a group name
    pk: int | None = None

    def __str__(self):
        return f"{self.kind}:{self.pk}" if self.pk is not None else self.kind

    @property
    def is_group(self) -> bool:
        return self.pk is None


def parse(token: str) -> Token | None:
    """The :class:`Token` of a string, or None if it is not one."""
    token = (token or "").strip()
    if token in GROUPS:
        return Token(token)
    kind, _, rest = token.partition(":")
    if kind in (PERSON, STRUCTURE, DIRECTION) and rest.isdigit() and len(rest) < 19 and int(rest) > 0:
        return Token(kind, int(rest))
    return None


def clean_tokens(values: Iterable[str]) -> list[str]:
    """The valid tokens of a list, each once, in order (unknown strings dropped)."""
    seen: dict[str, None] = {}
    for value in values or ():
        parsed = parse(value)
        if parsed is not None:
            seen.setdefault(str(parsed), None)
    return list(seen)[:MAX_TOKENS]


def clean_addressing(addressing: dict | None) -> dict:
    """``{"to", "cc", "bcc"}`` of valid tokens; a token in two fields is kept in the first (To > Cc > Bcc)."""
    addressing = addressing or {}
    result, seen = {}, set()
    for name in FIELDS:
        tokens = [t for t in clean_tokens(addressing.get(name, ())) if t not in seen]
        seen.update(tokens)
        result[name] = tokens
    return result


def all_tokens(addressing: dict) -> list[str]:
    return [t for name in FIELDS for t in addressing.get(name, ())]


# --- Labels ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    token: str
    text: str  # « Marie Dupont », « École Jules-Ferry (toute l’équipe) »
    detail: str = ""  # « École Jules-Ferry », « 12 personnes »
    exists: bool = True  # False: a person or structure since removed (a « favoris » entry)
    reachable: bool = True  # False: a person whose account was deactivated


def _structure_text(structure, kind: str) -> str:
    if kind == DIRECTION:
        return f"Direction : {structure.name}"
    if structure.kind == Structure.Kind.DISTRICT_TEAM:
        return f"{structure.name} (chaque membre)"
    if structure.kind == Structure.Kind.SCHOOL:
        return f"{structure.name} (toute l’équipe)"
    return structure.name


def labels(tokens: Iterable[str]) -> dict[str, Label]:
    """The French label of each token: two queries at most (people, structures), whatever their number."""
    parsed = [p for p in (parse(t) for t in tokens) if p is not None]
    person_ids = {p.pk for p in parsed if p.kind == PERSON}
    structure_ids = {p.pk for p in parsed if p.kind in (STRUCTURE, DIRECTION)}
    people = {}
    if person_ids:
        people = {
            u.pk: u
            for u in User.objects.filter(pk__in=person_ids).annotate(
                school_name=first_school_of(field="structure__name")
            )
        }
    structures = Structure.objects.in_bulk(structure_ids) if structure_ids else {}
    result = {}
    for p in parsed:
        key = str(p)
        if p.is_group:
            result[key] = Label(key, GROUPS[p.kind][0])
        elif p.kind == PERSON:
            person = people.get(p.pk)
            if person is None:
                result[key] = Label(key, "Personne supprimée", exists=False, reachable=False)
            else:
                result[key] = Label(
                    key,
                    person.get_full_name() or person.email,
                    detail=person.school_name or "",
                    reachable=person.is_active,
                )
        else:
            structure = structures.get(p.pk)
            if structure is None or (p.kind == DIRECTION and structure.kind != Structure.Kind.SCHOOL):
                result[key] = Label(key, "Structure supprimée", exists=False, reachable=False)
            else:
                result[key] = Label(key, _structure_text(structure, p.kind), detail=structure.commune)
    return result


def label_list(tokens: Iterable[str]) -> list[Label]:
    tokens = list(tokens)
    found = labels(tokens)
    return [found[t] for t in tokens if t in found]


# --- Resolution --------------------------------------------------------------------------------


def people_of(token: Token) -> QuerySet[User] | None:
    """The active people a token reaches (None for the shared box), through ``accounts.audiences``."""
    if token.kind == PERSON:
        return User.objects.filter(pk=token.pk, is_active=True)
    if token.kind == STRUCTURE:
        return members_of([token.pk])
    if token.kind == DIRECTION:
        return directors_of(Structure.objects.filter(pk=token.pk, kind=Structure.Kind.SCHOOL))
    kind = GROUPS[token.kind][1]
    if kind is None:
        return None
    return audience_members(Audience(kind))


def district_team_box() -> Structure | None:
    """The structure of the district team, whose shared mailbox the token ``team`` reaches."""
    return Structure.objects.filter(kind=Structure.Kind.DISTRICT_TEAM).order_by("pk").first()


@dataclass(frozen=True)
class Recipient:
    user_id: int
    field: str
    via: str
    school_id: int | None


@dataclass
class Resolution:
    people: list[Recipient] = field(default_factory=list)
    # (structure id, field, via) of the shared mailbox reached, if any
    shared_box: tuple | None = None

    @property
    def count(self) -> int:
        return len(self.people) + (1 if self.shared_box else 0)


def resolve(addressing: dict, *, sender=None) -> Resolution:
    """Whom a message reaches: each active person once (To wins over Cc over Bcc), the sender left out.

    One query per token (plus the labels' two), whatever the number of people.
    """
    addressing = clean_addressing(addressing)
    names = labels(all_tokens(addressing))
    resolution = Resolution()
    seen: set[int] = set()
    if sender is not None:
        seen.add(sender.pk)
    for name in FIELDS:
        for token in addressing[name]:
            parsed = parse(token)
            via = names[token].text[:200]
            people = people_of(parsed)
            if people is None:
                if resolution.shared_box is None:
                    box = district_team_box()
                    if box is not None:
                        resolution.shared_box = (box.pk, name, via)
                continue
            rows = people.order_by().annotate(first_school=first_school_of()).values_list("pk", "first_school")
            for user_id, school_id in rows.iterator(chunk_size=2000):
                if user_id in seen:
                    continue
                seen.add(user_id)
                resolution.people.append(Recipient(user_id, name, via, school_id))
    return resolution


def people_reached(addressing: dict, *, sender=None) -> QuerySet[User]:
    """The active people reached (a queryset: ``count()`` in one query), the sender left out."""
    condition = Q(pk__in=[])
    for token in all_tokens(clean_addressing(addressing)):
        people = people_of(parse(token))
        if people is not None:
            condition |= Q(pk__in=people.values("pk"))
    reached = User.objects.filter(condition)
    if sender is not None:
        reached = reached.exclude(pk=sender.pk)
    return reached


@dataclass(frozen=True)
class Reach:
    people: int  # active people reached
    not_activated: int  # of them, never signed in yet (their invitation not taken up)
    deactivated: list  # labels of the persons chosen by name whose account is deactivated
    shared_box: bool


def reach(addressing: dict, *, sender=None) -> Reach:
    """What the form tells before sending: how many people, how many have not activated their account."""
    addressing = clean_addressing(addressing)
    tokens = all_tokens(addressing)
    reached = people_reached(addressing, sender=sender)
    counts = reached.aggregate(people=Count("pk"), not_activated=Count("pk", filter=Q(last_login__isnull=True)))
    names = labels([t for t in tokens if t.startswith(f"{PERSON}:")])
    return Reach(
        people=counts["people"] or 0,
        not_activated=counts["not_activated"] or 0,
        deactivated=[label.text for label in names.values() if not label.reachable],
        shared_box=SHARED_BOX in tokens,
    )


# --- Search ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    token: str
    text: str
    detail: str
    kind: str  # « Personne », « École », « Groupe »


def _key(text: str) -> str:
    return french_sort_key(text)


def search(*, user, text: str, exclude: Iterable[str] = (), limit: int = 10) -> list[Suggestion]:
    """The tokens this person may write to whose label matches ``text`` (accents and case ignored).

    Groups first, then structures, then people; three queries at most.
    """
    from .permissions import write_scope

    scope = write_scope(user)
    words = _key(text).split()
    if not words:
        return []
    exclude = set(exclude)
    found: list[Suggestion] = []

    for token, (label, _kind) in GROUPS.items():
        haystack = f"{_key(label)} {GROUP_KEYWORDS[token]}"
        if token not in exclude and scope.allows_group(token) and all(w in haystack for w in words):
            found.append(Suggestion(token, label, "Groupe", "Groupe"))

    structures = Structure.objects.filter(scope.structures_q())
    for word in words:
        structures = structures.filter(Q(sort_name__contains=word) | Q(commune__icontains=word) | Q(uai__iexact=word))
    for structure in structures.order_by("sort_name")[:limit]:
        kind_label = structure.get_kind_display()
        if f"{STRUCTURE}:{structure.pk}" not in exclude and scope.allows_structure(structure.pk):
            found.append(
                Suggestion(
                    f"{STRUCTURE}:{structure.pk}", _structure_text(structure, STRUCTURE), structure.commune, kind_label
                )
            )
        if (
            structure.kind == Structure.Kind.SCHOOL
            and f"{DIRECTION}:{structure.pk}" not in exclude
            and scope.allows_direction(structure.pk)
        ):
            found.append(
                Suggestion(
                    f"{DIRECTION}:{structure.pk}", _structure_text(structure, DIRECTION), structure.commune, "Direction"
                )
            )

    people = scope.people().exclude(pk=user.pk)
    for word in words:
        people = people.filter(sort_name__contains=word)
    people = people.annotate(school_name=first_school_of(field="structure__name")).order_by("sort_name")
    for person in people[:limit]:
        token = f"{PERSON}:{person.pk}"
        if token not in exclude:
            found.append(Suggestion(token, person.get_full_name(), person.school_name or "", "Personne"))
    return found[: limit * 2]
