"""Every page of every role writes dates and times in the one French voice (ent.dates).

The demo is loaded at a fixed moment, then each demo login (and an anonymous visitor) walks the
site from "Accueil", following every link of every page it can open. On each HTML page the visible
text (without scripts, styles, form inputs and attributes) must not hold a forbidden form:
« 08:30 » or « 8:30 », « 08h30 », « 1 décembre » (French writes « 1er »), numeric dates such as
« 04/01/2027 ». Machine formats (``<time datetime>``, Atom, iCalendar, CSV) are not pages.
"""

import html
import io
import re
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DEMO_LOGINS = [
    None,
    "admin@demo.ent.fr",
    "ien@demo.ent.fr",
    "cpc.numerique@demo.ent.fr",
    "directeur@demo.ent.fr",
    "enseignant@demo.ent.fr",
    "rased@demo.ent.fr",
]
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
FORBIDDEN = {
    "heure à deux-points": re.compile(r"\b\d{1,2}:\d{2}\b"),
    "heure « 08h30 »": re.compile(r"\b\d{1,2}h\d{2}\b"),
    "« 1 <mois> » au lieu de « 1er »": re.compile(rf"(?<![\d,.])\b1 ({MONTHS})\b"),
    "date en chiffres": re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
}
# Not pages a person reads: the admin (its own slice of work), files, feeds, exports, sign-out.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/fichiers/", "/media/", "/accounts/logout/")
# The same kind of page (its path with numbers and keys blanked, and its query's names) is read
# this many times at most, so that pagination and filters do not multiply the walk.
PER_SHAPE = 2
MAX_PAGES = 400

HIDDEN = re.compile(
    r"<(script|style|textarea|template)\b.*?</\1\s*>|<!--.*?-->"
    # The dictaphone's stopwatch (« 0:03 ») counts a recording's length: a duration, not a time of day.
    r"|<span\b[^>]*\bdata-ent-dictaphone-time\b[^>]*>[^<]*</span>",
    re.DOTALL | re.IGNORECASE,
)
TAG = re.compile(r"<[^>]*>")
HREF = re.compile(r"""\bhref\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def visible_text(page: str) -> str:
    """The text a person reads: no script, style, form control value, comment, tag or attribute."""
    return html.unescape(TAG.sub(" ", HIDDEN.sub(" ", page)))


def forbidden_forms(page: str) -> list[tuple[str, str]]:
    """(what, the text around it) for each date or time written another way than ent.dates'."""
    text = " ".join(visible_text(page).split())
    hits = []
    for what, pattern in FORBIDDEN.items():
        for match in pattern.finditer(text):
            hits.append((what, text[max(match.start() - 50, 0) : match.end() + 30]))
    return hits


def shape(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"[0-9a-f]{8,}|\d+", "#", parts.path)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return f"{path}?{'&'.join(keys)}"


def links(page: str) -> list[str]:
    found = []
    for href in HREF.findall(page):
        url = urldefrag(html.unescape(href))[0]
        if url.startswith("http://testserver"):
            url = url[len("http://testserver") :]
        if url.startswith("/") and not url.startswith("//") and not url.startswith(SKIPPED_PREFIXES):
            found.append(url)
    return found


def walk(client) -> tuple[list[str], list[str]]:
    """Every page reachable from Accueil (GET only); returns (pages read, problems found)."""
    queue, seen, shapes = deque(["/"]), {"/"}, Counter()
    read, problems = [], []
    while queue and len(read) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            target = response["Location"]
            if target not in seen and target.startswith("/") and not target.startswith(SKIPPED_PREFIXES):
                seen.add(target)
                queue.append(target)
            continue
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
            continue
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        page = response.content.decode()
        read.append(url)
        problems.extend(f"{url}: {what} — « {context} »" for what, context in forbidden_forms(page))
        for link in links(page):
            if link in seen or shapes[shape(link)] >= PER_SHAPE:
                continue
            seen.add(link)
            shapes[shape(link)] += 1
            queue.append(link)
    return read, problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>le lundi 4 janvier 2027 à 08:00</p>", ["heure à deux-points"]),
        ("<p>à 8:30</p>", ["heure à deux-points"]),
        ("<p>à 08h30</p>", ["heure « 08h30 »"]),
        ("<p>le 1 décembre</p>", ["« 1 <mois> » au lieu de « 1er »"]),
        ("<p>le 04/01/2027</p>", ["date en chiffres"]),
        ("<p>le lundi 1er décembre 2026 à 8 h 30, du 7 au 11 décembre, de 9 h à 12 h, le 11 décembre</p>", []),
        ('<input type="time" value="08:00"><textarea>08:00</textarea><script>"08:00"</script>', []),
        ('<a title="le 04/01/2027 à 08:00" href="/x?t=08:00">lien</a>', []),
        ('<time datetime="2026-12-01T08:30:00+01:00">mardi 1er décembre 2026 à 8 h 30</time>', []),
    ],
)
def test_the_scan_finds_each_forbidden_form_and_only_in_visible_text(text, expected):
    assert [what for what, _context in forbidden_forms(text)] == expected


def test_every_page_of_every_role_writes_dates_the_french_way(client, settings):
    settings.DEBUG = True  # the demo refuses to load otherwise
    with time_machine.travel("2026-12-01 10:00 +0100", tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        settings.DEBUG = False
        report, pages = [], {}
        for email in DEMO_LOGINS:
            client.logout()
            if email is not None:
                client.force_login(User.objects.get(email=email))
                session = client.session
                session["ent_mfa_ok"] = True
                session.save()
            read, problems = walk(client)
            pages[email or "anonyme"] = len(read)
            report.extend(f"[{email or 'anonyme'}] {problem}" for problem in problems)

    # The walk really covers the site: each signed-in role reads many pages.
    assert all(count >= 15 for role, count in pages.items() if role != "anonyme"), pages
    assert report == [], "\n".join(report)


def test_notifications_say_how_long_ago_and_keep_the_full_date_at_hand(client_as, teacher):
    from tests.notifications.factories import NotificationFactory

    with time_machine.travel("2026-12-01 16:00 +0100", tick=False):
        NotificationFactory(recipient=teacher, created_at="2026-12-01T13:30:00+01:00", text="Conseil de cycle")
        NotificationFactory(recipient=teacher, created_at="2026-11-30T08:05:00+01:00", text="Animation")
        page = client_as(teacher).get("/notifications/").content.decode()

    assert 'title="le mardi 1er décembre 2026 à 13 h 30">il y a 2 heures</time>' in page
    assert 'title="le lundi 30 novembre 2026 à 8 h 05">hier à 8 h 05</time>' in page


def test_python_built_sentences_use_the_same_voice(teacher):
    import datetime as dt

    from blogs.views import _saved_message
    from tests.blogs.factories import PostFactory

    post = PostFactory(status="programme", published_at=dt.datetime(2026, 12, 7, 6, 30, tzinfo=dt.UTC))

    assert _saved_message(post) == "Le billet est programmé : il paraîtra le lundi 7 décembre 2026 à 7 h 30."
