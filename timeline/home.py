"""What the frise puts on "Accueil": its panel (the next events and the deadlines due within 15
days) and, for those who meet them (:func:`permissions.meets_deadlines`), those deadlines in
« À faire ». Both read one summary per request; a deadline leaves « À faire » once its day is past.
"""

from django.urls import reverse

from accounts.home import TodoItem

from . import permissions, selectors


def home_panel_kept(request) -> list[str]:
    """The panel's HTML is kept under the events' version (and per person and day)."""
    return [selectors.EVENTS_VERSION]


def home_panel_context(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    return {"summary": selectors.home_summary_for_request(request)}


def todo_kept(request) -> list[str]:
    """The deadlines in « À faire » are kept under the events' version (and per person and day)."""
    return [selectors.EVENTS_VERSION]


def todo_items(request) -> list[TodoItem]:
    if not permissions.meets_deadlines(request.user):
        return []
    summary = selectors.home_summary_for_request(request)
    group = f"Échéances des {summary.deadline_days} prochains jours"
    items = [
        TodoItem(text=event.title, url=event.get_absolute_url(), detail=event.when, group=group)
        for event in summary.deadlines_soon
    ]
    if summary.deadlines_soon.others:
        others = summary.deadlines_soon.others
        text = f"et {others} autre{'s' if others > 1 else ''}"
        items.append(TodoItem(text=text, url=reverse("timeline:deadlines"), group=group))
    return items
