"""The header's two counts (unread notifications on the bell, unread messages in the menu) in one query.

Every page shows both: read separately they were two queries on every page. :func:`counts_for_request`
reads them together, once per request, as two scalar subqueries of one ``SELECT`` built from each
app's own queryset (``notifications.selectors.unread_queryset``, ``mail.selectors.unread_queryset``),
and keeps them on the request where the bell, the menu and the panels read them.

They are kept in the shared cache per person (``ent.versions``), so that a page pays one cache
read for them rather than a query and the person's mailboxes: under the person's version of unread
things (:func:`unread_changed`: a notification made, read or withdrawn, a message delivered, read,
moved to the trash or out of it, recalled…), the district team's shared mailbox's (``team=True``)
and the person's memberships' (``accounts.roles.people_changed``: joining the team adds its box).
The services that make those writes bump the versions; ``UNREAD_KEPT_FOR`` bounds how long a
count could be wrong if a write ever forgot to.
"""

from django.db.models import IntegerField, Subquery

from ent import versions

TEAM_BOX_VERSION = "unread:team"
UNREAD_KEPT_FOR = 15 * 60


def unread_version(user_id: int) -> str:
    return f"unread:{user_id}"


def unread_changed(user_ids=(), *, team: bool = False) -> None:
    """The unread notifications or messages of these people (and of the team's shared mailbox
    with ``team``) changed: their header counts are read again on their next page."""
    names = [unread_version(pk) for pk in sorted({int(pk) for pk in user_ids})]
    if team:
        names.append(TEAM_BOX_VERSION)
    if names:
        versions.bump(*names)


class SubqueryCount(Subquery):
    """``(SELECT COUNT(*) FROM (…))``: the rows of a queryset (a sliced one too), as a column."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def counts_for_request(request) -> tuple[int, int]:
    """(unread notifications, capped as the bell says it; unread messages) of the person asking."""
    if not hasattr(request, "_header_counts"):
        request._header_counts = _counts(getattr(request, "user", None))
    return request._header_counts


def unread_versions(user_id: int) -> list[str]:
    """The versions a person's unread notifications and messages are kept under (with their memberships')."""
    return [unread_version(user_id), TEAM_BOX_VERSION]


def kept_with_unread(user, what: str, compute):
    """``compute()`` for this person, kept in the shared cache under the same versions as their
    header counts: for what changes only when their unread notifications or messages do (the
    Accueil's « Nouveautés pour vous » and unread messages)."""
    from accounts.roles import people_version

    names = [*unread_versions(user.pk), people_version(user.pk)]
    return versions.cached_for_today(user.pk, what, names, compute, UNREAD_KEPT_FOR)


def _counts(user) -> tuple[int, int]:
    if user is None or not user.is_authenticated:
        return 0, 0
    return kept_with_unread(user, "header", lambda: _read_counts(user))


def _read_counts(user) -> tuple[int, int]:
    from accounts.models import User
    from mail.selectors import unread_queryset as mail_unread
    from notifications.selectors import unread_queryset as notifications_unread

    columns = {"unread_notifications": SubqueryCount(notifications_unread(user=user).values("pk"))}
    messages = mail_unread(user)
    if messages is not None:
        columns["unread_mail"] = SubqueryCount(messages.values("pk"))
    row = User.objects.filter(pk=user.pk).values(**columns).first() or {}
    return row.get("unread_notifications", 0), row.get("unread_mail", 0)
