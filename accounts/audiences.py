"""Audiences: to whom a piece of information is addressed.

Every app that addresses something to people (news, timeline, blogs, mail, notifications) stores
an audience with :class:`AudienceFields` and asks this module two questions:

* :func:`audience_members` — who are the people of this audience? (for sending)
* :func:`audience_filter` — which objects may this person see? (a ``Q`` for a queryset)

It also gives :func:`addressed_to_structure` (the rows addressed to one school, for its page) and, for the
groups apps name without storing an audience, :func:`directors_of` (the directors of
these schools), :func:`members_of` (the members of these structures) and
:func:`prefetch_current_directors`. No other app reads ``Membership`` or a role.

Both read the same definitions below, so that "who is told" and "who may see" never disagree.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from ent.predicates import NOTHING, Predicate, pair

# AudienceKind and AudienceFields are defined with the models, so that accounts' own models
# (AppLink) can have an audience too; this module is where every app takes them from.
from .models import AudienceFields as AudienceFields  # re-exported: the name every app imports
from .models import AudienceKind, Membership, Role, Structure, User
from .roles import DISTRICT_TEAM_ROLES, TEACHING_ROLES, viewer


@dataclass(frozen=True)
class Audience:
    kind: str
    structure_ids: frozenset = frozenset()

    def __post_init__(self):
        if self.kind not in AudienceKind.values:
            raise ValueError(f"Unknown audience kind: {self.kind!r}")
        object.__setattr__(self, "structure_ids", frozenset(self.structure_ids))

    @property
    def label(self) -> str:
        return AudienceKind(self.kind).label


def _membership_condition(audience: Audience):
    current = Membership.objects.current()
    kind = audience.kind
    if kind == AudienceKind.DISTRICT:
        return current
    if kind == AudienceKind.DIRECTORS:
        return current.filter(role=Role.DIRECTOR)
    if kind == AudienceKind.TEACHERS:
        return current.filter(role__in=TEACHING_ROLES)
    if kind == AudienceKind.DISTRICT_TEAM:
        return current.filter(structure__kind=Structure.Kind.DISTRICT_TEAM, role__in=DISTRICT_TEAM_ROLES)
    if kind == AudienceKind.RASED:
        return current.filter(structure__kind=Structure.Kind.RASED)
    return current.filter(structure_id__in=audience.structure_ids)


def _people_holding(memberships) -> QuerySet[User]:
    """The active people holding one of these (current) memberships, each once: one ``EXISTS`` subquery."""
    return User.objects.filter(is_active=True).filter(Exists(memberships.filter(user=OuterRef("pk"))))


def audience_members(audience: Audience) -> QuerySet[User]:
    """The active people of an audience, each once."""
    return _people_holding(_membership_condition(audience))


def directors_of(schools) -> QuerySet[User]:
    """The active people who currently direct one of these schools (ids, objects or a queryset), each once."""
    return _people_holding(Membership.objects.current().filter(role=Role.DIRECTOR, structure__in=schools))


def members_of(structures) -> QuerySet[User]:
    """The active people currently holding any role in one of these structures (ids, objects or a queryset)."""
    return _people_holding(Membership.objects.current().filter(structure__in=structures))


def prefetch_current_directors(to_attr: str = "current_directors") -> Prefetch:
    """For a queryset of schools: each school's current, active directors' memberships (``.user``) in
    ``to_attr``, by last name, in one more query whatever the number of schools."""
    directors = (
        Membership.objects.current()
        .filter(role=Role.DIRECTOR, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name")
    )
    return Prefetch("memberships", queryset=directors, to_attr=to_attr)


def kinds_reaching(user) -> frozenset:
    """The audience kinds (other than "some structures") that include this person."""
    v = viewer(user)
    if not v.has_membership:
        return frozenset()
    kinds = {AudienceKind.DISTRICT}
    if Role.DIRECTOR in v.roles:
        kinds.add(AudienceKind.DIRECTORS)
    if v.roles & TEACHING_ROLES:
        kinds.add(AudienceKind.TEACHERS)
    if v.in_district_team:
        kinds.add(AudienceKind.DISTRICT_TEAM)
    if v.rased_structure_ids:
        kinds.add(AudienceKind.RASED)
    return frozenset(kinds)


def is_in_audience(user, audience: Audience) -> bool:
    if audience.kind == AudienceKind.STRUCTURES:
        return bool(viewer(user).structure_ids & audience.structure_ids)
    return audience.kind in kinds_reaching(user)


def audience_filter(user, model, prefix: str = "") -> Q:
    """A ``Q`` keeping the rows of ``model`` (an :class:`AudienceFields`) addressed to ``user``.

    ``prefix`` is the lookup path from the queried model to ``model`` (``"post__"``), if any.
    This is strictly "addressed to": apps add their own exceptions (authors, the district team).
    """
    v = viewer(user)
    if not v.is_authenticated:
        return Q(pk__in=[])
    q = Q(**{f"{prefix}audience__in": sorted(kinds_reaching(user))})
    if v.structure_ids:
        field = model._meta.get_field("audience_structures")
        through = field.remote_field.through
        addressed = through.objects.filter(**{f"{field.m2m_reverse_field_name()}__in": v.structure_ids}).values(
            field.m2m_column_name()
        )
        q |= Q(**{f"{prefix}audience": AudienceKind.STRUCTURES, f"{prefix}pk__in": addressed})
    return q


def kinds_including(structure) -> frozenset:
    """The audience kinds (other than "some structures") that take in this structure's members as a group.

    The whole district always; for a school its directors and teachers too; the district team and
    the RASED for their own structures.
    """
    kinds = {AudienceKind.DISTRICT}
    if structure.kind == Structure.Kind.SCHOOL:
        kinds |= {AudienceKind.DIRECTORS, AudienceKind.TEACHERS}
    elif structure.kind == Structure.Kind.DISTRICT_TEAM:
        kinds.add(AudienceKind.DISTRICT_TEAM)
    elif structure.kind == Structure.Kind.RASED:
        kinds.add(AudienceKind.RASED)
    return frozenset(kinds)


def addressed_to_structure(structure, model, prefix: str = "") -> Q:
    """A ``Q`` keeping the rows of ``model`` (an :class:`AudienceFields`) addressed to this structure.

    Those whose audience takes in its members as a group (:func:`kinds_including`), and those
    naming it among their structures. For a structure's page (what the district addressed to a
    school); it says nothing of who may see a row: callers combine it with their own rule.
    """
    field = model._meta.get_field("audience_structures")
    through = field.remote_field.through
    naming = through.objects.filter(**{field.m2m_reverse_field_name(): structure.pk}).values(field.m2m_column_name())
    return Q(**{f"{prefix}audience__in": sorted(kinds_including(structure))}) | Q(
        **{f"{prefix}audience": AudienceKind.STRUCTURES, f"{prefix}pk__in": naming}
    )


def addressed_to(user, model) -> Predicate:
    """The rule "addressed to this person", both halves: :func:`audience_filter` and :func:`is_in_audience`.

    For the rules of :mod:`ent.predicates` (``where(...) & addressed_to(user, Post)``).
    """
    if not viewer(user).is_authenticated:
        return NOTHING
    return pair(
        q=lambda prefix: audience_filter(user, model, prefix),
        check=lambda obj: is_in_audience(user, obj.get_audience()),
    )


def first_school_of(outer_ref: str = "pk", *, field: str = "structure_id"):
    """A subquery of a person's first current school (``field``: its id, or e.g. ``structure__name``),
    for ``annotate()`` on a queryset of people: the messaging's per-school counts and labels."""
    from django.db.models import Subquery

    schools = (
        Membership.objects.current()
        .filter(user_id=OuterRef(outer_ref), structure__kind=Structure.Kind.SCHOOL)
        .order_by("start_date", "pk")
        .values(field)[:1]
    )
    return Subquery(schools)
