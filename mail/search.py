"""The messagerie in the search: « Messages », the person's own mailboxes only.

No second index: it is the mailbox's own search (:func:`mail.selectors.search`, on
``Message.search_text`` written with ``mail.text.search_key``), which starts from
:func:`mail.permissions.deliveries_visible_to`. A recalled message shows no excerpt to its recipients.
"""

import datetime as dt

from django.utils.html import strip_tags

from mail import permissions, selectors
from search.registry import Provider, Result, register
from search.text import Query, excerpt, highlight


def _search(user, query: Query):
    rows = selectors.search(user=user, query=query.text)
    if query.year:
        start = int(query.year[:4])
        rows = rows.filter(
            delivered_at__date__gte=dt.date(start, 9, 1), delivered_at__date__lt=dt.date(start + 1, 9, 1)
        )
    return rows


def _present(delivery, query: Query, user) -> Result:
    message = delivery.message
    if message.sent_as is not None:
        sender = message.sent_as.name
    else:
        sender = message.sender.get_full_name() if message.sender else ""
    shown = permissions.is_sender(user, message) or not message.is_recalled
    return Result(
        title=highlight(message.subject or "(sans objet)", query),
        url=message.get_absolute_url(),
        excerpt=excerpt(strip_tags(str(message.body.html)), query) if shown else excerpt("Message rappelé", query),
        date=delivery.delivered_at,
        place=f"Messagerie — de {sender}" if sender else "Messagerie",
    )


register(
    Provider(
        kind="messages",
        label="Messages",
        order=50,
        search=_search,
        present=_present,
        available=permissions.has_mailbox,
    )
)
