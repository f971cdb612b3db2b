"""The frise in the search: « Événements de la frise », read through
:func:`timeline.permissions.events_visible_to`."""

from search.index import entry_provider, index_refresh, index_remove, reindex_all
from search.registry import register
from timeline import permissions
from timeline.models import Event

KIND = "frise"


def event_index(event: Event) -> None:
    """The event's search entry, dated by its first day (called by the services)."""
    index_refresh(
        kind=KIND,
        object_id=event.pk,
        title=event.title,
        body=event.description,
        place=" — ".join(
            p for p in ["Frise chronologique", event.school.name if event.school else "", event.place] if p
        ),
        url=event.get_absolute_url(),
        date=event.starts_at or event.start_date,
    )


def event_unindex(event_id: int) -> None:
    index_remove(kind=KIND, object_id=event_id)


register(
    entry_provider(
        kind=KIND,
        label="Événements de la frise",
        order=30,
        reindex=lambda: reindex_all(Event.objects.select_related("school"), event_index),
        visible=lambda user: Event.objects.filter(permissions.events_visible_to(user)).values("pk"),
    )
)
