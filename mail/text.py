"""The one normalisation of the mailbox search: what ``Message.search_text`` stores and what a query is.

``search_key(*parts)`` lowers case, drops accents and ligatures and HTML tags, and squeezes spaces
(« Réunion des DIRECTEURS » → « reunion des directeurs »), with ``ent.text.french_sort_key``. The
writing side fills ``Message.search_text = search_key(subject, body text, sender's name)``; the
search reads ``search_key(query)`` and looks for it inside that column, so SQLite and PostgreSQL
agree and no database function is needed.
"""

from django.utils.html import strip_tags

from ent.text import french_sort_key


def search_key(*parts: str) -> str:
    """Subject, body (HTML or text), names… as one accent- and case-free string."""
    return french_sort_key(*(strip_tags(str(p)) for p in parts if p))
