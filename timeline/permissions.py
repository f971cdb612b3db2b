"""Who may see, add, change and delete events on the frise.

* The district team (IEN, counsellors, secretary) and administrators see every event and manage
  them all: district events, and schools' own events when something must be corrected.
* A director adds events for the school(s) they direct; those events are addressed to the school's
  members, and the school's directors manage them.
* Everyone else sees the events addressed to them (``accounts.audiences``) and their schools'
  own events.
"""

from django.db.models import Q

from accounts.audiences import addressed_to
from accounts.permissions import acts_for_district, schools_directed_by
from accounts.roles import viewer
from ent.predicates import EVERYTHING, NOTHING, Predicate, where

from .models import Event


def event_readers(user) -> Predicate:
    """The one rule for "may see this event": both :func:`events_visible_to` and :func:`can_view_event`.

    Their schools' own events, and the events addressed to them (:mod:`accounts.audiences`).
    """
    v = viewer(user)
    if not v.is_authenticated:
        return NOTHING
    if acts_for_district(user):
        return EVERYTHING
    return where(school_id__in=sorted(v.structure_ids)) | addressed_to(user, Event)


def events_visible_to(user) -> Q:
    return event_readers(user).q()


def can_view_event(user, event: Event) -> bool:
    return event_readers(user).check(event)


def schools_for_new_events(user) -> frozenset:
    """The schools for which this person may add a school event (those they direct)."""
    return schools_directed_by(user)


def can_create_event(user) -> bool:
    return acts_for_district(user) or bool(schools_for_new_events(user))


def can_create_district_event(user) -> bool:
    return acts_for_district(user)


def can_create_school_event(user, school) -> bool:
    return acts_for_district(user) or school.pk in schools_for_new_events(user)


def can_edit_event(user, event: Event) -> bool:
    if acts_for_district(user):
        return True
    return event.school_id is not None and event.school_id in schools_directed_by(user)


def can_delete_event(user, event: Event) -> bool:
    return can_edit_event(user, event)


def meets_deadlines(user) -> bool:
    """The deadlines addressed to this person are theirs to meet (« À faire » on Accueil); the
    district team sets them rather than meets them."""
    return viewer(user).is_authenticated and not acts_for_district(user)


def can_subscribe_to_calendar(user) -> bool:
    return viewer(user).is_authenticated
