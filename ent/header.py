"""The header's two counts (unread notifications on the bell, unread messages in the menu) in one query.

Every page shows both: read separately they were two queries on every page. :func:`counts_for_request`
reads them together, once per request, as two scalar subqueries of one ``SELECT`` built from each
app's own queryset (``notifications.selectors.unread_queryset``, ``mail.selectors.unread_queryset``),
and keeps them on the request where the bell, the menu and the panels read them.
"""

from django.db.models import IntegerField, Subquery


class SubqueryCount(Subquery):
    """``(SELECT COUNT(*) FROM (…))``: the rows of a queryset (a sliced one too), as a column."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def counts_for_request(request) -> tuple[int, int]:
    """(unread notifications, capped as the bell says it; unread messages) of the person asking."""
    if not hasattr(request, "_header_counts"):
        request._header_counts = _counts(getattr(request, "user", None))
    return request._header_counts


def _counts(user) -> tuple[int, int]:
    if user is None or not user.is_authenticated:
        return 0, 0
    from accounts.models import User
    from mail.selectors import unread_queryset as mail_unread
    from notifications.selectors import unread_queryset as notifications_unread

    columns = {"unread_notifications": SubqueryCount(notifications_unread(user=user).values("pk"))}
    messages = mail_unread(user)
    if messages is not None:
        columns["unread_mail"] = SubqueryCount(messages.values("pk"))
    row = User.objects.filter(pk=user.pk).values(**columns).first() or {}
    return row.get("unread_notifications", 0), row.get("unread_mail", 0)
