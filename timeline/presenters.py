"""The frise as drawing instructions: positions computed here, in Python, as percentages.

The template draws an inline SVG from a :class:`Frise`. Horizontal positions are percentages of
the SVG's width (SVG geometry attributes accept them, and no inline style is needed under the
site's strict Content-Security-Policy); vertical positions are pixels. Nothing here queries the
database itself: the selector gives the events (what the layout needs of them) and holidays, and a
loader the full events printed; this module only lays them out.

A year's frise can draw thousands of marks: every string a mark needs (its page's address, its
positions as the SVG writes them) is computed here once, so that the template only prints them
(one address pattern reversed per frise, not one ``reverse()`` per event).

What a busy period draws is bounded, so that a page costs the same in a district and in an
académie where a trimester holds a thousand events: a category's row draws at most
:data:`MAX_LANES` lanes (the events that find no room are counted in the row's name, « 312 autres
dans la liste »), and the list below, the frise's accessible rendering, shows
:data:`LIST_PAGE_SIZE` lines a page (opening, in the current period, on the page of today).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from ent.dates import SHORT_MONTHS, format_day, month_name

from .categories import STYLES, Category, CategoryStyle, style_of
from .dates import Period, SchoolYear

# Vertical layout, in pixels.
MONTH_ROW = 22  # month names
WEEK_ROW = 14  # week ticks (and Monday dates when zoomed)
HOLIDAY_ROW = 18  # holiday names
ROWS_TOP = MONTH_ROW + WEEK_ROW + HOLIDAY_ROW + 6
ROW_HEADER = 22  # a category's name above its lanes
LANE = 22
ROW_GAP = 8
FOOTER = 22  # "Aujourd'hui"

# Horizontal sizes, as percentages of an assumed 1100-pixel-wide drawing.
ASSUMED_WIDTH = 1100
POINT_HALF = 9 / ASSUMED_WIDTH * 100
LABEL_GAP = 6 / ASSUMED_WIDTH * 100
CHAR = 7 / ASSUMED_WIDTH * 100  # average width of a character at the labels' size
LABEL_MAX_CHARS = 44
MIN_BAR = 0.35

# What a busy period draws (see the module's docstring).
MAX_LANES = 6
LIST_PAGE_SIZE = 50


def _pct(value: float) -> float:
    # Comparisons rather than min() and max(): a period's layout calls this thousands of times.
    return round(0.0 if value < 0.0 else 100.0 if value > 100.0 else value, 3)


@dataclass(frozen=True)
class Tick:
    x: float
    width: float = 0.0
    label: str = ""
    title: str = ""


@dataclass(frozen=True)
class Band:
    """A school holiday, drawn behind the events."""

    holiday: object
    x: float
    width: float
    label: str
    title: str


@dataclass
class Mark:
    """One event: a point (one day) or a bar (several days)."""

    event: object
    style: CategoryStyle
    x: float  # the point's centre, or the bar's left edge
    width: float  # 0 for a point
    is_bar: bool
    aria_label: str
    label: str = ""
    label_x: float = 0.0
    label_anchor: str = "start"
    cut_before: bool = False
    cut_after: bool = False
    lane: int = 0
    y: int = 0  # centre of the lane
    url: str = ""  # the event's page
    # As the SVG writes them (three decimals), computed once by build_frise.
    x_text: str = ""
    width_text: str = ""
    label_x_text: str = ""
    label_y: int = 0
    aria_html: str = ""  # aria_label, escaped once (printed twice)
    html: str = ""  # the whole <a> element, as _frise_svg.html prints it (mark_html)

    @property
    def left(self) -> float:
        return self.x if self.is_bar else self.x - POINT_HALF

    @property
    def right(self) -> float:
        return self.x + self.width if self.is_bar else self.x + POINT_HALF

    @property
    def bar_top(self) -> int:
        return self.y - 6


@dataclass
class CategoryRow:
    style: CategoryStyle
    top: int
    marks: list = field(default_factory=list)  # those drawn
    lanes: int = 1
    hidden: int = 0  # events of the row not drawn (no room in its lanes): they are in the list

    @property
    def header_y(self) -> int:
        return self.top + 15

    @property
    def symbol_y(self) -> int:
        return self.top + 11

    @property
    def symbol_class(self) -> str:
        return "tl-symbol tl-shape-ring" if self.style.shape == "ring" else "tl-symbol"

    @property
    def height(self) -> int:
        return ROW_HEADER + self.lanes * LANE + ROW_GAP

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass(frozen=True)
class ListItem:
    """A line of the list rendering: an event or a holiday."""

    kind: str  # "event" or "holiday"
    sort_key: tuple
    shown: date = None  # the day it is listed under (its first day in the period)
    last_day: date = None
    event: object = None
    holiday: object = None
    url: str = ""  # the event's page
    html: str = ""  # an event's line, as components/timeline_event_item.html writes it (event_item_html)


def category_badges() -> dict:
    """Each category's badge (components/timeline_category_badge.html), rendered once per frise."""
    return {
        value: render_to_string("components/timeline_category_badge.html", {"style": style})
        for value, style in STYLES.items()
    }


def event_item_html(event, url: str, badges: dict, when: str | None = None) -> SafeString:
    """The HTML of ``components/timeline_event_item.html`` for one event (no heading), byte for byte.

    The frise's list prints thousands of them: one include each cost most of its rendering. The
    component stays the one written for the other lists; ``tests/timeline/test_presenters.py``
    compares both on every branch.
    """
    title = escape(event.title)
    parts = [
        f'\n<span class="tl-when">{escape(capfirst(event.when if when is None else when))}</span>\n',
        f'<p class="fr-text--bold fr-mb-1v"><a href="{escape(url)}">{title}</a></p>\n',
        f'<div class="fr-badges-group fr-mb-0">{badges[event.category]}</div>\n',
    ]
    school = event.school if event.school_id is not None else None
    if event.place or school or event.video_url:
        if event.place:
            where = f'<span class="fr-icon-map-pin-2-line fr-icon--sm" aria-hidden="true"></span> {escape(event.place)}'
        elif event.video_url:
            where = '<span class="fr-icon-video-chat-line fr-icon--sm" aria-hidden="true"></span> En visioconférence'
        else:
            where = ""
        of_school = ""
        if school:
            separator = " · " if event.place or event.video_url else ""
            of_school = f"{separator}Événement de l’école : {escape(school.name)}"
        parts.append(f'\n  <p class="fr-text--sm fr-mb-0 ent-muted">\n    {where}\n    {of_school}\n  </p>\n')
    parts.append("\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


@dataclass(frozen=True)
class MonthGroup:
    key: str
    label: str
    items: list


@dataclass(frozen=True)
class NavLink:
    label: str
    query: str


@dataclass(frozen=True)
class FriseHead:
    """What the page shows around the drawing (title, year links, the live region's sentence): all
    a cached drawing needs besides its HTML (``timeline.frise_cache``)."""

    year: SchoolYear
    period: Period
    categories: list
    event_count: int
    previous_year: NavLink
    next_year: NavLink


def frise_head(*, year: SchoolYear, period: Period, categories, event_count: int) -> FriseHead:
    return FriseHead(
        year=year,
        period=period,
        categories=list(categories),
        event_count=event_count,
        previous_year=NavLink(f"Année {year.previous.label}", frise_query(year.previous, period.key, categories)),
        next_year=NavLink(f"Année {year.next.label}", frise_query(year.next, period.key, categories)),
    )


@dataclass
class Frise:
    year: SchoolYear
    period: Period
    categories: list  # the category values kept by the filter (empty: all)
    months: list
    weeks: list
    weekends: list
    bands: list
    rows: list
    today_x: float | None
    show_labels: bool
    height: int
    month_groups: list  # the list's page, by month
    event_count: int
    previous_year: NavLink
    next_year: NavLink
    previous_period: NavLink | None
    next_period: NavLink | None
    whole_year: NavLink | None = None  # « Toute l’année scolaire … », when a part of it is shown
    list_page: object = None  # the list's page (a Django Page of ListItem): its pagination
    list_query: str = ""  # the query of this frise, for the list's pages' links (« …&page=2 »)

    @property
    def head(self) -> FriseHead:
        return FriseHead(
            year=self.year,
            period=self.period,
            categories=self.categories,
            event_count=self.event_count,
            previous_year=self.previous_year,
            next_year=self.next_year,
        )

    @property
    def rows_bottom(self) -> int:
        return self.height - FOOTER

    @property
    def week_tick_bottom(self) -> int:
        return MONTH_ROW + WEEK_ROW

    @property
    def holiday_label_y(self) -> int:
        return MONTH_ROW + WEEK_ROW + HOLIDAY_ROW - 5

    @property
    def today_label_y(self) -> int:
        return self.height - 6


def frise_query(year: SchoolYear, period_key: str, categories) -> str:
    # The period is always written, the whole year too: without one, the frise opens on the
    # current trimester (``SchoolYear.opening_period``).
    params = [("annee", year.start_year), ("periode", period_key)]
    params.extend(("categorie", c) for c in categories)
    return urlencode(params)


def event_url_maker():
    """``url(pk)``: an event's page, from the pattern reversed once (same result as ``get_absolute_url``)."""
    sentinel = "2147483647"
    head, tail = reverse("timeline:event-detail", args=[int(sentinel)]).split(sentinel)
    return lambda pk: f"{head}{pk}{tail}"


def _event_label(event) -> str:
    title = event.title
    return title if len(title) <= LABEL_MAX_CHARS else title[: LABEL_MAX_CHARS - 1].rstrip() + "…"


def _aria_label(event, when: str) -> str:
    parts = [event.title, style_of(event.category).label, when]
    if getattr(event, "school", None) is not None:
        parts.append(event.school.name)
    return " — ".join(parts)


def mark_html(mark: Mark, row: "CategoryRow") -> SafeString:
    """One mark's element, its whole ``<a>``: the frise draws thousands, and printing a dozen
    values each in the template cost most of the SVG's rendering. The markup (and its
    whitespace) is what ``_frise_svg.html`` wrote before; ``tests/timeline/test_presenters.py``
    pins it."""
    bar = (
        f'<rect class="tl-bar" x="{mark.x_text}%" y="{mark.bar_top}" width="{mark.width_text}%" height="12" rx="3"/>'
        if mark.is_bar
        else ""
    )
    label = (
        f'<text class="tl-mark-label" x="{mark.label_x_text}%" y="{mark.label_y}" '
        f'text-anchor="{mark.label_anchor}">{escape(mark.label)}</text>'
        if mark.label
        else ""
    )
    return mark_safe(  # noqa: S308 - the title and label escaped, the rest numbers and names of ours
        f'\n        <a class="tl-mark" href="{escape(mark.url)}" aria-label="{mark.aria_html}">'
        f"\n          <title>{mark.aria_html}</title>"
        f"\n          {bar}"
        f'\n          <use href="#tl-shape-{row.style.shape}" class="{row.symbol_class}" x="{mark.x_text}%" y="{mark.y}"/>'
        f"\n          {label}"
        "\n        </a>\n      "
    )


def _pack(spans: list, reach, max_lanes: int = MAX_LANES) -> tuple[list, int]:
    """Give each event the first lane where it overlaps nothing (labels included), among
    ``max_lanes``, in the order of its mark's left then right edge; ``spans`` are ``(left, right,
    item)``, the mark's edges. ``reach(left, right, item)`` says where the mark reaches with its
    label and what it draws: ``(reach_left, reach_right, drawn)``. Return ``[(drawn, lane)]`` for
    those placed and the lane count (an event that finds no room is not drawn).

    A mark reaches at least as far left as its own left edge: once every lane is taken, one whose
    left edge comes before every lane's end finds no room, and ``reach`` is not asked.
    """
    lane_ends: list[float] = []
    lowest_end = float("inf")  # of the lanes, once all are taken
    placed = []
    for left, right, item in sorted(spans, key=itemgetter(0, 1)):
        if len(lane_ends) < max_lanes or left >= lowest_end:
            reach_left, reach_right, drawn = reach(left, right, item)
            for lane, end in enumerate(lane_ends):
                if end <= reach_left:
                    lane_ends[lane] = reach_right
                    placed.append((drawn, lane))
                    break
            else:
                if len(lane_ends) < max_lanes:
                    placed.append((drawn, len(lane_ends)))
                    lane_ends.append(reach_right)
                else:
                    continue
            if len(lane_ends) == max_lanes:
                lowest_end = min(lane_ends)
    return placed, max(len(lane_ends), 1)


def build_frise(
    *,
    year: SchoolYear,
    period: Period,
    events,
    holidays,
    categories=(),
    today: date | None = None,
    page=None,
    load=None,
) -> Frise:
    """The frise of ``period``; ``page`` is the list's page asked for (None: the one of today, in
    the current period, the first otherwise; a page out of range: the nearest).

    ``events`` are the period's events in the frise's order, as models or as anything with their
    ``pk``, ``category``, ``start_date``, ``end_date`` and ``title`` (``selectors.EventSpan``): the
    layout needs no more. ``load(pks)`` gives the full events (``{pk: Event}``, with their school)
    of the marks drawn and of the list's page, the only ones printed; without it, ``events`` are
    the full events.
    """
    first, last = period.first_day, period.last_day
    days = period.days
    show_labels = period.key != "annee"
    zoom_month = period.key.startswith("m")

    def pos(day: date) -> float:
        return _pct((day - first).days / days * 100)

    # Months, weeks and weekends.
    months, weekends, weeks = [], [], []
    month_start = date(first.year, first.month, 1)
    while month_start <= last:
        following = date(month_start.year + month_start.month // 12, month_start.month % 12 + 1, 1)
        x, end = pos(max(month_start, first)), pos(min(following, last + timedelta(days=1)))
        if zoom_month:
            label = f"{month_name(month_start.month).capitalize()} {month_start.year}"
        elif show_labels:
            label = month_name(month_start.month).capitalize()
        else:
            label = SHORT_MONTHS[month_start.month - 1]
        title = f"{month_name(month_start.month).capitalize()} {month_start.year}"
        months.append(Tick(x=x, width=round(end - x, 3), label=label, title=title))
        month_start = following
    day = first
    while day <= last:
        if day.weekday() == 0:
            weeks.append(
                Tick(x=pos(day), label=str(day.day) if zoom_month else "", title=f"Semaine du {format_day(day)}")
            )
        if show_labels and day.weekday() == 5:
            weekends.append(
                Tick(x=pos(day), width=round(pos(min(day + timedelta(days=2), last + timedelta(days=1))) - pos(day), 3))
            )
        day += timedelta(days=1)

    bands = []
    for holiday in holidays:
        start = max(holiday.start, first)
        end = min(holiday.end, last)
        if end < start:
            continue
        x = pos(start)
        bands.append(
            Band(
                holiday=holiday,
                x=x,
                width=round(pos(end + timedelta(days=1)) - x, 3),
                label=holiday.short_name,
                title=f"{holiday.name} : {holiday.when}",
            )
        )

    # Events, one row per category (in the categories' order), packed into lanes; and the list
    # rendering's lines: the same events and holidays, by date, a page of them grouped by month.
    # A period can hold a thousand events, of which a few dozen are drawn and fifty listed: each
    # event is laid out as a tuple (its mark's edges; where its label reaches is asked by _pack of
    # those that may find room), and a line of the list as one (sort key, first day shown, last
    # day, kind, event or holiday). Only those drawn become
    # Marks and only the list's page ListItems, with what they print (dates in French, the
    # event's page, its school) written for them alone, below.
    by_category = defaultdict(list)
    lines = []
    for event in events:
        # Comparisons rather than min() and max() (see _pct): this loop runs for every event.
        starts, ends = event.start_date, event.end_date
        start, end = (starts if starts > first else first), (ends if ends < last else last)
        if end < start:
            continue
        lines.append(((starts, 1, event.title, event.pk), start, ends, "event", event))
        is_bar = ends > starts
        if is_bar:
            x = _pct((start - first).days / days * 100)
            width = round(_pct(((end - first).days + 1) / days * 100) - x, 3)
            if width < MIN_BAR:
                width = MIN_BAR
            left, right = x, x + width
        else:
            x = _pct((start - first).days / days * 100 + 50 / days)
            width = 0.0
            left, right = x - POINT_HALF, x + POINT_HALF
        category = event.category if event.category in STYLES else Category.OTHER
        by_category[category].append((left, right, (event, x, width, is_bar)))

    def reach(left, right, item):
        """Where a mark reaches with its label, and what it draws: asked by _pack only of the
        marks that may find room (most of a busy period's do not)."""
        event, x, width, is_bar = item
        reach_left, reach_right = left, right
        label, label_x, anchor = "", 0.0, "start"
        if show_labels:
            label = _event_label(event)
            label_width = len(label) * CHAR
            after = right + LABEL_GAP
            if after + label_width <= 100:
                label_x = round(after, 3)
                if label and label_x + label_width > right:
                    reach_right = label_x + label_width
            else:
                label_x, anchor = round(left - LABEL_GAP, 3), "end"
                if label and label_x - label_width < left:
                    reach_left = label_x - label_width
        return reach_left, reach_right, (event, x, width, is_bar, label, label_x, anchor)

    rows, top = [], ROWS_TOP
    for value, style in STYLES.items():
        spans = by_category.get(value)
        if not spans:
            continue
        placed, lanes = _pack(spans, reach)
        row = CategoryRow(style=style, top=top, lanes=lanes, hidden=len(spans) - len(placed))
        for (event, x, width, is_bar, label, label_x, anchor), lane in placed:
            row.marks.append(
                Mark(
                    event=event,
                    style=style,
                    x=x,
                    width=width,
                    is_bar=is_bar,
                    aria_label="",
                    label=label,
                    label_x=label_x,
                    label_anchor=anchor,
                    cut_before=event.start_date < first,
                    cut_after=event.end_date > last,
                    lane=lane,
                )
            )
        rows.append(row)
        top = row.bottom
    height = top + FOOTER if rows else ROWS_TOP + 40 + FOOTER

    today_x = pos(today) + 50 / days if today is not None and first <= today <= last else None

    for holiday in holidays:
        shown = max(holiday.start, first)
        if shown > last or holiday.end < first:
            continue
        lines.append(((holiday.start, 0, "", 0), shown, holiday.end, "holiday", holiday))
    lines.sort(key=itemgetter(0))
    paginator = Paginator(lines, LIST_PAGE_SIZE)
    if page is None and today is not None and first <= today <= last:
        # The current period opens on today's page: its first line still going on today.
        index = next((n for n, line in enumerate(lines) if line[2] >= today), len(lines) - 1)
        page = index // LIST_PAGE_SIZE + 1
    list_page = paginator.get_page(page)

    # The events printed (the marks drawn, the list's page), read in full once.
    printed = {mark.event.pk for row in rows for mark in row.marks}
    printed.update(obj.pk for _key, _shown, _last, kind, obj in list_page if kind == "event")
    full = load(printed) if load is not None else {event.pk: event for event in events if event.pk in printed}
    event_url = event_url_maker()
    whens = {pk: event.when for pk, event in full.items()}  # French dates: written once, for the mark and the list
    for row in rows:
        for mark in row.marks:
            mark.event = event = full[mark.event.pk]
            mark.aria_label = _aria_label(event, whens[event.pk])
            mark.aria_html = escape(mark.aria_label)
            mark.url = event_url(event.pk)
            mark.x_text, mark.width_text = f"{mark.x:.3f}", f"{mark.width:.3f}"
            if mark.label:
                mark.label_x_text = f"{mark.label_x:.3f}"
            mark.y = row.top + ROW_HEADER + mark.lane * LANE + LANE // 2
            mark.label_y = mark.y + 4
            mark.html = mark_html(mark, row)

    badges = category_badges()
    items = []
    groups: dict[tuple, list] = defaultdict(list)
    for sort_key, shown, last_day, kind, obj in list_page:
        if kind == "event":
            event = full[obj.pk]
            url = event_url(event.pk)
            item = ListItem(
                kind="event",
                sort_key=sort_key,
                shown=shown,
                last_day=last_day,
                event=event,
                url=url,
                html=event_item_html(event, url, badges, whens[event.pk]),
            )
        else:
            item = ListItem(kind="holiday", sort_key=sort_key, shown=shown, last_day=last_day, holiday=obj)
        items.append(item)
        groups[(shown.year, shown.month)].append(item)
    list_page.object_list = items
    month_groups = [
        MonthGroup(key=f"{y}-{m:02d}", label=f"{month_name(m).capitalize()} {y}", items=groups[(y, m)])
        for (y, m) in sorted(groups)
    ]

    periods = year.periods()
    previous_period = next_period = whole_year = None
    if period.key != "annee":
        whole_year = NavLink(f"Toute l’année scolaire {year.label}", frise_query(year, "annee", categories))
        siblings = [p for p in periods if p.key[0] == period.key[0]]
        index = [p.key for p in siblings].index(period.key)
        if index > 0:
            previous_period = NavLink(siblings[index - 1].label, frise_query(year, siblings[index - 1].key, categories))
        if index < len(siblings) - 1:
            next_period = NavLink(siblings[index + 1].label, frise_query(year, siblings[index + 1].key, categories))

    event_count = sum(len(marks) for marks in by_category.values())
    head = frise_head(year=year, period=period, categories=categories, event_count=event_count)
    return Frise(
        year=year,
        period=period,
        categories=list(categories),
        months=months,
        weeks=weeks,
        weekends=weekends,
        bands=bands,
        rows=rows,
        today_x=round(today_x, 3) if today_x is not None else None,
        show_labels=show_labels,
        height=height,
        month_groups=month_groups,
        event_count=event_count,
        previous_year=head.previous_year,
        next_year=head.next_year,
        previous_period=previous_period,
        next_period=next_period,
        whole_year=whole_year,
        list_page=list_page,
        list_query=frise_query(year, period.key, categories) + "&",
    )
