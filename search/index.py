"""The one helper that keeps the search index up to date, and the one way of matching it.

Services call :func:`index_refresh` after they write a searchable object (inside their
transaction) and :func:`index_remove` when they delete it; never a signal. Inside
:func:`batched` (a reindex, a renamed container rewriting its children), the entries are written
together, a few hundred per statement, instead of one by one. :func:`matching`
gives the entries of one kind whose object is in ``visible`` (the app's ``*_visible_to`` queryset
of primary keys) and that match the query: full-text (``fr_unaccent``, ranked by ``ts_rank``) on
PostgreSQL, every stemmed word inside ``key`` on SQLite (a title match ranks first); then newest.
"""

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from mail.text import search_key
from search.models import Entry
from search.text import Query, excerpt, highlight

CONFIG = "fr_unaccent"


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def school_year_of(moment) -> str:
    """« 2026-2027 » for any day from 1 September 2026 to 31 August 2027."""
    if moment is None:
        return ""
    if isinstance(moment, dt.datetime):
        moment = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    start = moment.year if moment.month >= 9 else moment.year - 1
    return f"{start}-{start + 1}"


BATCH_SIZE = 500
_UPDATED = ["title", "body", "place", "url", "date", "school_year", "title_key", "key", "updated_at"]
# The entries waiting to be written by the innermost ``batched()``, by (kind, object_id); None outside.
_pending: ContextVar[dict | None] = ContextVar("search_pending", default=None)


def index_refresh(
    *, kind: str, object_id: int, title: str, body: str = "", place: str = "", url: str, date=None
) -> None:
    """Write (or rewrite) the entry of one object: what it shows and how it is matched."""
    if date is not None and not isinstance(date, dt.datetime):
        date = timezone.make_aware(dt.datetime.combine(date, dt.time(12)))
    text = " ".join(strip_tags(body or "").split())
    entry = Entry(
        kind=kind,
        object_id=object_id,
        title=title[:300],
        body=text,
        place=place[:300],
        url=url,
        date=date,
        school_year=school_year_of(date),
        title_key=search_key(title),
        key=search_key(title, text, place),
    )
    pending = _pending.get()
    if pending is None:
        _write([entry])
        return
    pending[(kind, object_id)] = entry
    if len(pending) >= BATCH_SIZE:
        _write(list(pending.values()))
        pending.clear()


def index_remove(*, kind: str, object_id: int) -> None:
    pending = _pending.get()
    if pending is not None:
        pending.pop((kind, object_id), None)
    Entry.objects.filter(kind=kind, object_id=object_id).delete()


@contextmanager
def batched():
    """Inside it, :func:`index_refresh` gathers the entries and writes them in a few statements.

    Written when the block ends without an error (and every ``BATCH_SIZE`` entries), inside the
    caller's transaction like one by one; a block inside another one writes with the outer one.
    """
    if _pending.get() is not None:
        yield
        return
    pending = {}
    token = _pending.set(pending)
    try:
        yield
        if pending:
            _write(list(pending.values()))
    finally:
        _pending.reset(token)


def _write(entries: list[Entry]) -> None:
    """The entries inserted or rewritten in one statement; on PostgreSQL, their vectors in a second."""
    for entry in entries:
        entry.updated_at = timezone.now()
    Entry.objects.bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=_UPDATED,
        batch_size=BATCH_SIZE,
    )
    if on_postgresql():
        by_kind = {}
        for entry in entries:
            by_kind.setdefault(entry.kind, []).append(entry.object_id)
        written = Q()
        for kind, ids in by_kind.items():
            written |= Q(kind=kind, object_id__in=ids)
        Entry.objects.filter(written).update(
            vector=SearchVector("title", weight="A", config=CONFIG)
            + SearchVector("body", weight="B", config=CONFIG)
            + SearchVector("place", weight="C", config=CONFIG)
        )


def matching(*, kind: str, visible: QuerySet, query: Query) -> QuerySet[Entry]:
    """The entries of ``kind`` whose object is in ``visible`` (a ``values("pk")`` queryset) that match."""
    # What a result shows only: the matching columns (``key``, ``title_key``, ``vector``) stay in SQL.
    rows = Entry.objects.filter(kind=kind, object_id__in=visible).defer("key", "title_key", "vector")
    if query.year:
        rows = rows.filter(school_year=query.year)
    if on_postgresql():
        ts_query = SearchQuery(" ".join(query.words), config=CONFIG, search_type="plain")
        return (
            rows.filter(vector=ts_query)
            .annotate(rank=SearchRank(F("vector"), ts_query))
            .order_by("-rank", F("date").desc(nulls_last=True), "-pk")
        )
    condition, in_title = Q(), Q()
    for word in query.stems:
        condition &= Q(key__contains=word)
        in_title &= Q(title_key__contains=word)
    return (
        rows.filter(condition)
        .annotate(rank=Case(When(in_title, then=Value(1.0)), default=Value(0.0), output_field=FloatField()))
        .order_by("-rank", F("date").desc(nulls_last=True), "-pk")
    )


def present_entry(entry: Entry, query: Query, user=None):
    from search.registry import Result

    return Result(
        title=highlight(entry.title, query),
        url=entry.url,
        excerpt=excerpt(entry.body, query) if entry.body else SafeString(""),
        date=entry.date,
        place=entry.place,
    )


def entry_provider(*, kind: str, label: str, order: int, visible, available=None, reindex=None):
    """A provider reading the index: ``visible(user)`` is the app's visible queryset of primary keys."""
    from search.registry import Provider

    def search(user, query: Query):
        return matching(kind=kind, visible=visible(user), query=query)

    extra = {"available": available} if available else {}
    return Provider(kind=kind, label=label, order=order, search=search, present=present_entry, reindex=reindex, **extra)


def reindex_all(rows, index) -> int:
    """``index(row)`` for every row (a queryset read in chunks), written in batches: for ``reindex``
    functions and for a container's children."""
    count = 0
    with batched():
        for row in rows.iterator(chunk_size=BATCH_SIZE):
            index(row)
            count += 1
    return count
