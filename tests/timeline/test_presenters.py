"""The frise's geometry, computed in Python."""

from datetime import date, time, timedelta

import pytest
from django.template import Context, Template

from timeline.categories import Category
from timeline.dates import SchoolYear
from timeline.presenters import build_frise, category_badges, event_item_html
from timeline.selectors import Holiday

from .factories import EventFactory, timed_event


def _holiday(name, start, end):
    return Holiday(
        name=name, short_name=name.split()[-1], start=start, end=end, end_known=True, school_year="2026-2027", zone="A"
    )


@pytest.mark.django_db
def test_positions_are_percentages_of_the_period():
    year = SchoolYear(2026)
    period = year.period("m10")  # 31 days
    point = EventFactory(start_date=date(2026, 10, 1), title="Point")
    bar = EventFactory(
        start_date=date(2026, 10, 12), end_date=date(2026, 10, 14), title="Barre", category=Category.TRAINING
    )
    clipped = EventFactory(
        start_date=date(2026, 9, 28), end_date=date(2026, 10, 2), title="Coupé", category=Category.PROJECT
    )
    toussaint = _holiday("Vacances de la Toussaint", date(2026, 10, 17), date(2026, 11, 1))

    frise = build_frise(
        year=year, period=period, events=[point, bar, clipped], holidays=[toussaint], today=date(2026, 10, 12)
    )

    marks = {mark.event.title: mark for row in frise.rows for mark in row.marks}
    assert not marks["Point"].is_bar
    assert marks["Point"].x == pytest.approx(0.5 / 31 * 100, abs=0.001)
    assert marks["Barre"].is_bar
    assert marks["Barre"].x == pytest.approx(11 / 31 * 100, abs=0.001)
    assert marks["Barre"].width == pytest.approx(3 / 31 * 100, abs=0.001)
    assert (marks["Coupé"].x, marks["Coupé"].cut_before) == (0.0, True)
    assert marks["Coupé"].width == pytest.approx(2 / 31 * 100, abs=0.001)
    assert frise.bands[0].x == pytest.approx(16 / 31 * 100, abs=0.001)
    assert frise.bands[0].width == pytest.approx(100 - 16 / 31 * 100, abs=0.001)  # clipped at the month's end
    assert frise.today_x == pytest.approx(11.5 / 31 * 100, abs=0.001)
    assert [row.style.value for row in frise.rows] == ["reunion", "formation", "projet"]
    assert marks["Barre"].aria_label == "Barre — Formation — du lundi 12 au mercredi 14 octobre 2026"
    assert marks["Barre"].label == "Barre"  # labels are drawn when zoomed in


@pytest.mark.django_db
def test_overlapping_events_get_separate_lanes_and_the_list_groups_by_month():
    year = SchoolYear(2026)
    first = EventFactory(start_date=date(2026, 11, 2), end_date=date(2026, 11, 6), title="A")
    second = EventFactory(start_date=date(2026, 11, 4), end_date=date(2026, 11, 5), title="B")
    third = EventFactory(start_date=date(2027, 3, 1), title="C")

    frise = build_frise(year=year, period=year.whole(), events=[first, second, third], holidays=[], today=None)

    lanes = {mark.event.title: mark.lane for mark in frise.rows[0].marks}
    assert lanes["A"] != lanes["B"]
    assert lanes["C"] == 0
    assert frise.rows[0].lanes == 2
    assert frise.today_x is None
    assert not frise.show_labels  # the whole year is too dense for labels
    assert [group.label for group in frise.month_groups] == ["Novembre 2026", "Mars 2027"]
    assert [item.event.title for item in frise.month_groups[0].items] == ["A", "B"]


def test_navigation_keeps_the_filters():
    year = SchoolYear(2026)

    frise = build_frise(year=year, period=year.period("t1"), events=[], holidays=[], categories=["echeance"])

    assert frise.previous_year.query == "annee=2025&periode=t1&categorie=echeance"
    assert frise.next_year.query == "annee=2027&periode=t1&categorie=echeance"
    assert frise.previous_period is None
    assert frise.next_period.query == "annee=2026&periode=t2&categorie=echeance"
    assert frise.rows == [] and frise.month_groups == []


def test_weeks_start_on_mondays():
    year = SchoolYear(2026)

    frise = build_frise(year=year, period=year.period("m09"), events=[], holidays=[])

    mondays = [
        date(2026, 9, 1) + timedelta(days=d) for d in range(30) if (date(2026, 9, 1) + timedelta(days=d)).weekday() == 0
    ]
    assert [tick.label for tick in frise.weeks] == [str(d.day) for d in mondays]
    assert len(frise.weekends) == 4


@pytest.mark.django_db
def test_each_mark_carries_its_strings_computed_once():
    """The template only prints them: the event's page (from one reversed pattern), the positions at
    three decimals, the label's baseline, the accessible name escaped."""
    year = SchoolYear(2026)
    bar = EventFactory(
        start_date=date(2026, 10, 12),
        end_date=date(2026, 10, 14),
        title="Sortie <théâtre> & débat",
        category=Category.PROJECT,
    )
    point = EventFactory(start_date=date(2026, 10, 20), title="Point")

    frise = build_frise(year=year, period=year.period("m10"), events=[bar, point], holidays=[], today=None)

    marks = {mark.event.pk: mark for row in frise.rows for mark in row.marks}
    for event in (bar, point):
        mark = marks[event.pk]
        assert mark.url == event.get_absolute_url()
        assert (mark.x_text, mark.width_text) == (f"{mark.x:.3f}", f"{mark.width:.3f}")
        assert mark.label_x_text == f"{mark.label_x:.3f}"
        assert mark.label_y == mark.y + 4
    assert marks[bar.pk].aria_html.startswith("Sortie &lt;théâtre&gt; &amp; débat — ")
    assert [item.url for group in frise.month_groups for item in group.items] == [
        bar.get_absolute_url(),
        point.get_absolute_url(),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"place": "Salle <polyvalente> & cour"},
        {"video_url": "https://visio.example/r"},
        {"place": "Gymnase", "video_url": "https://visio.example/r"},
        {"with_school": True},
        {"with_school": True, "place": "Préau"},
        {"with_school": True, "video_url": "https://visio.example/r"},
        {"title": '« L’école » & <les parents> "invités" d\'abord'},
        {"timed": True},
        {"end_days": 3, "category": Category.DEADLINE},
    ],
)
def test_a_list_line_is_the_event_component_byte_for_byte(fields, school):
    fields = dict(fields)
    if fields.pop("with_school", False):
        fields["school"] = school
    end_days = fields.pop("end_days", 0)
    if fields.pop("timed", False):
        event = timed_event(date(2026, 10, 7), time(9), time(12, 30), **fields)
    else:
        event = EventFactory(start_date=date(2026, 10, 7), end_date=date(2026, 10, 7 + end_days), **fields)
    url = event.get_absolute_url()
    component = Template('{% include "components/timeline_event_item.html" with event=event url=url %}').render(
        Context({"event": event, "url": url})
    )

    assert event_item_html(event, url, category_badges()) == component


# What _frise_svg.html printed for each mark before the presenter wrote the element (mark_html).
TEMPLATE_MARK = (
    '\n        <a class="tl-mark" href="{{ mark.url }}" aria-label="{{ mark.aria_html }}">\n'
    "          <title>{{ mark.aria_html }}</title>\n"
    '          {% if mark.is_bar %}<rect class="tl-bar" x="{{ mark.x_text }}%" y="{{ mark.bar_top }}" '
    'width="{{ mark.width_text }}%" height="12" rx="3"/>{% endif %}\n'
    '          <use href="#tl-shape-{{ row.style.shape }}" class="{{ row.symbol_class }}" x="{{ mark.x_text }}%" '
    'y="{{ mark.y }}"/>\n'
    '          {% if mark.label %}<text class="tl-mark-label" x="{{ mark.label_x_text }}%" y="{{ mark.label_y }}" '
    'text-anchor="{{ mark.label_anchor }}">{{ mark.label }}</text>{% endif %}\n'
    "        </a>\n      "
)


@pytest.mark.django_db
@pytest.mark.parametrize("period_key", ["annee", "t1", "m10"])
def test_a_mark_s_element_is_what_the_template_printed(period_key, school):
    year = SchoolYear(2026)
    events = [
        EventFactory(start_date=date(2026, 10, 12), end_date=date(2026, 10, 14), title="Sortie <théâtre> & débat"),
        EventFactory(start_date=date(2026, 10, 20), title="L’atelier « d'écriture »", category=Category.OTHER),
        EventFactory(start_date=date(2026, 10, 30), title="Conseil d’école", school=school),
    ]
    frise = build_frise(year=year, period=year.period(period_key), events=events, holidays=[], today=None)

    template = Template(TEMPLATE_MARK)
    for row in frise.rows:
        for mark in row.marks:
            assert mark.html == template.render(Context({"mark": mark, "row": row}))


def _busy_trimester(school):
    """Ninety events in the first trimester, twenty on the same days: rows hide some, the list has two pages."""
    events = []
    for n in range(90):
        day = date(2026, 9, 1) + timedelta(days=(n % 70) if n >= 20 else 14)
        events.append(
            EventFactory(
                start_date=day,
                end_date=day + timedelta(days=n % 3),
                title=f"Événement {n:02d} « {'long ' * (n % 7)}»",
                category=[Category.DIRECTORS_MEETING, Category.TRAINING, Category.DEADLINE][n % 3],
                school=school if n % 4 == 0 else None,
                place="Salle 2" if n % 5 == 0 else "",
            )
        )
    return events


@pytest.mark.django_db
@pytest.mark.parametrize(("period_key", "page"), [("t1", None), ("t1", 2), ("annee", None), ("m09", 1)])
def test_the_frise_laid_out_from_spans_draws_what_the_full_events_draw(period_key, page, school, admin_user):
    from django.template.loader import render_to_string

    from timeline.frise_cache import DRAWING_TEMPLATE
    from timeline.models import Event
    from timeline.selectors import frise, school_holidays_between

    _busy_trimester(school)
    year = SchoolYear(2026)
    period = year.period(period_key)
    today = date(2026, 10, 5)
    from_spans = frise(user=admin_user, year=year, period_key=period_key, today=today, page=page)
    full = list(Event.objects.overlapping(period.first_day, period.last_day).select_related("school").chronological())
    from_models = build_frise(
        year=year,
        period=period,
        events=full,
        holidays=school_holidays_between(period.first_day, period.last_day),
        today=today,
        page=page,
    )

    assert sum(row.hidden for row in from_spans.rows) > 0 or period_key != "t1"
    assert render_to_string(DRAWING_TEMPLATE, {"frise": from_spans}) == render_to_string(
        DRAWING_TEMPLATE, {"frise": from_models}
    )


@pytest.mark.django_db
def test_only_the_events_printed_are_read_in_full(school, admin_user, monkeypatch):
    from timeline import selectors

    events = _busy_trimester(school)
    asked = []
    real = selectors.events_by_pk
    monkeypatch.setattr(selectors, "events_by_pk", lambda pks: asked.append(set(pks)) or real(pks))

    drawn = selectors.frise(user=admin_user, year=SchoolYear(2026), period_key="t1", today=date(2026, 10, 5), page=2)

    printed = {mark.event.pk for row in drawn.rows for mark in row.marks}
    printed |= {item.event.pk for group in drawn.month_groups for item in group.items if item.kind == "event"}
    assert asked == [printed]
    assert len(printed) < len(events)
    assert drawn.event_count == len(events)


def _pack_every_mark(spans, reach, max_lanes):
    """The packing asking every mark where it reaches (what _pack did before it skipped those that
    cannot find room)."""
    lane_ends, placed = [], []
    for left, right, item in sorted(spans, key=lambda span: span[:2]):
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
    return placed, max(len(lane_ends), 1)


@pytest.mark.parametrize("seed", range(20))
def test_the_packing_skips_only_marks_that_find_no_room(seed):
    import random

    from timeline.presenters import _pack

    rng = random.Random(seed)
    spans = []
    for n in range(rng.randrange(1, 400)):
        left = rng.uniform(0, 99)
        spans.append((left, left + rng.choice([0, 0.8, rng.uniform(0, 20)]), n))
    labels = {n: (rng.uniform(0, 30), rng.random() < 0.3) for n in range(len(spans))}

    def reach(left, right, n):  # a label after the mark, or before it (near the right edge)
        width, before = labels[n]
        return (left - width, right, n) if before else (left, right + width, n)

    max_lanes = rng.choice([1, 3, 6])
    assert _pack(spans, reach, max_lanes) == _pack_every_mark(spans, reach, max_lanes)
