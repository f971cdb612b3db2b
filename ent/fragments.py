"""A part of a page drawn once and kept, rendered HTML, until the data it shows changes.

Drawing a list of twenty cards, rows or messages through the template engine costs several times
what the rest of the page does (docs/architecture/perf.md). The data under such a list is already
known by versions (``ent.versions``): the same versions say when its HTML is still right. So a
view asks :func:`kept_for` for the list's HTML::

    html = fragments.kept_for(
        request, "news:feed", [NEWS_VERSION, reads_version(request.user.pk)],
        "news/feed.html#posts", lambda: {"page": page_of_posts(...)},
    )

and the template shows ``{{ html }}`` where it drew the list. The context is a function: on a
kept copy, neither its queries nor the drawing are made.

What is kept is one person's (``accounts.roles.kept_for``: per person and day, under the person's
memberships' versions, 15 minutes at most, a minute for what says « il y a 5 minutes »:
:data:`RELATIVE_TIMES`) and one address's: the page's path and query string
are part of the key, since a list's pagination and filters come from them. The CSRF token is never
kept: the fragment is drawn with a placeholder, replaced on every request by the request's own
masked token (a token kept in a page would be the same in every answer, which masking exists to
prevent, and would no longer match once the person signs in again).

Whoever keeps a fragment names every version its drawing reads, and a test changes each of those
data and checks the page shows it (``tests/test_fragments.py`` for the mechanism).
"""

import hashlib
from collections.abc import Callable, Iterable

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

#: How long a part that shows times relative to now (``fr_since``: « il y a 5 minutes ») is kept:
#: a minute, the precision of what it says.
RELATIVE_TIMES = 60

#: Drawn where the CSRF token goes, then replaced by the request's token: never in the data.
CSRF_PLACEHOLDER = "ent-jeton-csrf-6f1d0c2b"


def address(request) -> str:
    """The page's path and query string, and whether htmx asks (some parts differ then), as a short key."""
    seen = f"{request.get_full_path()}|{bool(getattr(request, 'htmx', False))}"
    return hashlib.blake2b(seen.encode(), digest_size=12).hexdigest()


def draw(request, template_name: str, context: dict | None) -> str:
    """``template_name`` drawn for ``request`` with the CSRF placeholder for the token (nothing for
    a context of None: the part is hidden)."""
    if context is None:
        return ""
    return render_to_string(template_name, {**context, "csrf_token": CSRF_PLACEHOLDER}, request=request)


def with_token(request, html: str) -> SafeString:
    """Kept HTML with the request's own CSRF token in place of the placeholder."""
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 -- drawn by our templates, which escape what they show


def kept_for(
    request,
    what: str,
    names: Iterable[str],
    template_name: str,
    context: Callable[[], dict | None],
    *,
    timeout: int | None = None,
) -> SafeString:
    """``template_name`` drawn with ``context()`` for this person and this address, kept under the
    versions of ``names`` (see the module's docstring), for ``timeout`` seconds at most (15 minutes
    by default; :data:`RELATIVE_TIMES` for a part that says « il y a 5 minutes »)."""
    from accounts.roles import KEPT_FOR
    from accounts.roles import kept_for as kept_for_person

    html = kept_for_person(
        request.user,
        f"html:{what}:{address(request)}",
        list(names),
        lambda: draw(request, template_name, context()),
        timeout or KEPT_FOR,
    )
    return with_token(request, html)


def kept_many(request, parts: Iterable[tuple]) -> list[SafeString]:
    """Several :func:`kept_for` at once, ``(what, names, template_name, context, timeout)`` each,
    read in one cache round trip (Accueil's panels)."""
    from accounts.roles import KEPT_FOR, kept_entry
    from ent import versions

    def drawing(template_name, context):
        return lambda: draw(request, template_name, context())

    entries = [
        kept_entry(
            request.user,
            f"html:{what}:{address(request)}",
            list(names),
            drawing(template_name, context),
            timeout or KEPT_FOR,
        )
        for what, names, template_name, context, timeout in parts
    ]
    return [with_token(request, html) for html in versions.cached_many(entries)]
