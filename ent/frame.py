"""The frame of every page (the head's links, the header with the menu, the footer) drawn once per
process for each set of values it shows.

The frame is the same HTML for every page of a section and every request of a person: what differs
is a handful of values (the person's name, the two unread counts, the section for the menu's
« page courante », the help link…). Drawn by the template engine on every request it cost more than
an ideal page does in all (docs/architecture/perf.md). So each part is drawn from those values
*only* (a plain context: no request, no context processor), and the HTML remembered per process for
those values: a value that changes is a new drawing, there is nothing to invalidate. A template of
the frame that needs something more must be given it here (it sees nothing else, so a value
forgotten shows at once in the tests, as a blank).

The CSRF token (the sign-out form) is drawn as a placeholder and put back per request
(``ent.fragments``). ``runserver``: a template edited is drawn again.
"""

import functools

from django.dispatch import receiver
from django.template.loader import get_template
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString

from . import fragments
from .header import counts_for_request

PARTS = {
    "head": "components/frame_head.html",
    "top": "components/frame_top.html",
    "bottom": "components/frame_bottom.html",
}


def _value(context, name, default=""):
    value = context.get(name, default)
    return value() if callable(value) else value


def values(context, part: str) -> dict:
    """What ``part`` shows, read from the page's context (its context processors) and request."""
    if part == "head":
        return {}
    district = _value(context, "ent_district_name")
    if part == "bottom":
        return {"ent_district_name": district, "ent_accessibility_status": _value(context, "ent_accessibility_status")}
    request = context.get("request")
    user = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    notifications, mail = counts_for_request(request) if authenticated else (0, 0)
    return {
        "ent_district_name": district,
        "authenticated": authenticated,
        "display_name": (user.get_full_name() or user.email) if authenticated else "",
        "help_url": _value(context, "help_url"),
        "ent_can_use_admin": bool(_value(context, "ent_can_use_admin", False)),
        "notifications_unread": notifications,
        "mail_unread": mail,
        "section": match.namespace if match else "",
        "url_name": match.url_name if match else "",
        "search_q": request.GET.get("q", "") if view_name == "search:results" else "",
        "csrf_token": fragments.CSRF_PLACEHOLDER,
    }


@functools.lru_cache(maxsize=1024)
def _drawn(part: str, items: tuple) -> str:
    return get_template(PARTS[part]).render(dict(items))


def draw(context, part: str) -> SafeString:
    """``part`` of the frame for this page: remembered for its values, the request's CSRF token in it."""
    html = _drawn(part, tuple(sorted(values(context, part).items())))
    request = context.get("request")
    return fragments.with_token(request, html) if request is not None else SafeString(html)


@receiver(file_changed, dispatch_uid="ent.frame.parts")
def _template_edited(sender, file_path, **kwargs):
    _drawn.cache_clear()
