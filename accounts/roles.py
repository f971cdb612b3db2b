"""What a person is, read once per request: their current roles and structures.

Everything that decides "may this person…" or "is this person in that audience" starts here, so
that a page asks the database about memberships once, however many checks it makes.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from ent import versions

from .models import Membership, Role, Structure

DISTRICT_TEAM_ROLES = frozenset({Role.IEN, Role.CPC, Role.SECRETARY})
TEACHING_ROLES = frozenset({Role.TEACHER, Role.DIRECTOR})
STRUCTURES_VERSION = "structures"
MEMBERSHIPS_KEPT_FOR = 24 * 3600  # a person's memberships are kept for the day they are read on


@dataclass(frozen=True)
class Viewer:
    """A person's current memberships, reduced to what permissions need."""

    is_authenticated: bool = False
    is_superuser: bool = False
    roles: frozenset = frozenset()
    structure_ids: frozenset = frozenset()
    # structure id -> set of roles held there
    roles_by_structure: dict = field(default_factory=dict)
    team_structure_ids: frozenset = frozenset()
    rased_structure_ids: frozenset = frozenset()

    @property
    def in_district_team(self) -> bool:
        return bool(self.team_structure_ids)

    @property
    def has_membership(self) -> bool:
        return bool(self.structure_ids)

    @property
    def key(self) -> str:
        """A short text that changes with the person's roles and structures: for the keys of what
        is cached per person (with their id), so that a new role or school reads it again."""
        parts = [f"{sid}:{'.'.join(sorted(roles))}" for sid, roles in sorted(self.roles_by_structure.items())]
        return ("s" if self.is_superuser else "") + "-".join(parts)

    def holds(self, role, structure_id=None) -> bool:
        if structure_id is None:
            return role in self.roles
        return role in self.roles_by_structure.get(structure_id, ())

    def structures_with_role(self, role) -> frozenset:
        return frozenset(sid for sid, roles in self.roles_by_structure.items() if role in roles)


ANONYMOUS = Viewer()


def viewer(user) -> Viewer:
    """The person's :class:`Viewer`, kept on the user object for the request. Their memberships
    (with their structures) come from the shared cache (:func:`_memberships`), or from one query."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_ent_viewer", None)
    if cached is not None:
        return cached
    memberships = _memberships(user)
    roles_by_structure: dict[int, set] = {}
    team, rased = set(), set()
    for structure_id, kind, role in ((m.structure_id, m.structure.kind, m.role) for m in memberships):
        roles_by_structure.setdefault(structure_id, set()).add(role)
        if kind == Structure.Kind.DISTRICT_TEAM:
            team.add(structure_id)
        elif kind == Structure.Kind.RASED:
            rased.add(structure_id)
    result = Viewer(
        is_authenticated=True,
        is_superuser=user.is_superuser,
        roles=frozenset(role for roles in roles_by_structure.values() for role in roles),
        structure_ids=frozenset(roles_by_structure),
        roles_by_structure={sid: frozenset(r) for sid, r in roles_by_structure.items()},
        team_structure_ids=frozenset(team),
        rased_structure_ids=frozenset(rased),
    )
    user._ent_viewer = result
    user._ent_memberships = memberships
    return result


def people_version(user_id: int) -> str:
    """The version of what is kept per person and depends on their memberships (:func:`people_changed`)."""
    return f"people:{user_id}"


def people_changed(user_ids) -> None:
    """These people's memberships changed: their cached memberships (and header counts) are read again.

    Called by the signals of ``Membership`` (a save or a delete, the admin's included) and by the
    services that write memberships in bulk (``people_import``)."""
    ids = sorted({int(pk) for pk in user_ids})
    if ids:
        versions.bump(*(people_version(pk) for pk in ids))


#: How long a per-person value (:func:`kept_for`) is kept at most: what depends on the time as well
#: as on rows (a post's expiry passing, a notebook closing) is right again within this delay.
KEPT_FOR = 15 * 60


def kept_for(user, what: str, names, compute, timeout: int = KEPT_FOR):
    """``compute()`` for this person, kept in the shared cache per person and day under the versions
    of ``names`` (the data it reads) and of the person's memberships (what they may see), for
    ``timeout`` seconds at most. An administrator's rights are in no membership: the key says them."""
    return versions.cached(*kept_entry(user, what, names, compute, timeout))


def kept_entry(user, what: str, names, compute, timeout: int = KEPT_FOR) -> tuple:
    """What :func:`kept_for` keeps, as an entry of ``versions.cached_many`` (several read at once)."""
    if user.is_superuser or user.is_staff:
        what = f"{what}:{'admin' if user.is_superuser else 'staff'}"
    return ([*names, people_version(user.pk), STRUCTURES_VERSION], versions.for_today(user.pk, what), compute, timeout)


def _memberships(user) -> list[Membership]:
    """The person's current memberships with their structures, by structure name: one query, kept in
    the shared cache per person and day (a membership starts or ends with a day) under the person's
    version and the structures' (:func:`people_changed`; ``STRUCTURES_VERSION`` follows ``Structure``'s rows: ``apps.py``)."""
    today = timezone.localdate()
    return versions.cached_for_today(
        user.pk,
        "memberships",
        [people_version(user.pk), STRUCTURES_VERSION],
        lambda: list(
            Membership.objects.current(today)
            .filter(user_id=user.pk)
            .select_related("structure")
            .order_by("structure__sort_name", "pk")
        ),
        MEMBERSHIPS_KEPT_FOR,
    )


def current_memberships(user) -> list[Membership]:
    """The person's current memberships with their structures, by structure name: read by the same
    query as :func:`viewer` (the Accueil's « Mes structures » costs nothing more)."""
    if viewer(user) is ANONYMOUS:
        return []
    return list(user._ent_memberships)


def forget_viewer(user) -> None:
    """Drop the cached :class:`Viewer` after the person's memberships changed."""
    if hasattr(user, "_ent_viewer"):
        del user._ent_viewer
    if hasattr(user, "_ent_memberships"):
        del user._ent_memberships
