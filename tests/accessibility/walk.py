"""The site's pages, found from the URL resolver and the demo data, for the accessibility walk.

``url_patterns()`` lists every named URL pattern a person may reach (the admin has its own walk,
``tests/test_admin_browser.py``). ``discover(client)`` follows every link from Accueil with the
Django test client, as one person, and sorts what it meets by pattern: the HTML pages to check in
the browser (the first URL of each pattern), the patterns that answer something else than a page
(a file, a feed, a CSV, a redirect) and the patterns only reached as a form's or htmx's target.
"""

import html
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

# The admin is walked by tests/test_admin_browser.py; files are not pages.
OUT_OF_SCOPE_PREFIXES = ("/admin/", "/static/", "/media/")
NOT_FOLLOWED = ("/accounts/logout/",)
# How many URLs of one pattern the discovery opens (to find the objects behind them).
PER_PATTERN = 3
MAX_PAGES = 500

HREF = re.compile(r"""\bhref\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
TARGET = re.compile(r"""\b(?:action|hx-(?:get|post|put|patch|delete))\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def url_patterns() -> list[str]:
    """Every named URL pattern of the site outside the admin, as « namespace:name »."""

    def names(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from names(entry, prefix + str(entry.pattern), inner)
            elif (
                isinstance(entry, URLPattern) and entry.name and not (prefix + str(entry.pattern)).startswith("admin/")
            ):
                yield f"{namespace}{entry.name}"

    return sorted(set(names(get_resolver(), "", "")))


def pattern_of(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def _local(url: str) -> str | None:
    url = urldefrag(html.unescape(url))[0]
    if url.startswith("http://testserver"):
        url = url[len("http://testserver") :]
    if not url.startswith("/") or url.startswith("//") or url.startswith(OUT_OF_SCOPE_PREFIXES):
        return None
    return url


@dataclass
class Discovery:
    pages: dict[str, str] = field(default_factory=dict)  # pattern -> the first URL answering a page
    other_answers: dict[str, str] = field(default_factory=dict)  # pattern -> what it answered
    targets: set[str] = field(default_factory=set)  # patterns met as a form's action or htmx's target
    errors: list[str] = field(default_factory=list)


def discover(client, start: str = "/") -> Discovery:
    found = Discovery()
    queue, seen, queued = deque([start]), {start}, Counter([pattern_of(start)])
    opened = 0
    while queue and opened < MAX_PAGES:
        url = queue.popleft()
        pattern = pattern_of(url)
        opened += 1
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            found.other_answers.setdefault(pattern, "une redirection")
            target = _local(response["Location"])
            if target and target not in seen and not target.startswith(NOT_FOLLOWED):
                seen.add(target)
                queued[pattern_of(target)] += 1
                queue.append(target)
            continue
        if response.status_code >= 500:
            found.errors.append(f"{url}: {response.status_code}")
            continue
        if response.status_code != 200:
            continue
        kind = response.get("Content-Type", "")
        if not kind.startswith("text/html"):
            found.other_answers.setdefault(pattern, kind.split(";")[0])
            continue
        found.pages.setdefault(pattern, url)
        text = response.content.decode()
        for target in TARGET.findall(text):
            target = _local(target)
            if target and (name := pattern_of(target)):
                found.targets.add(name)
        for link in HREF.findall(text):
            link = _local(link)
            if not link or link in seen or link.startswith(NOT_FOLLOWED):
                continue
            name = pattern_of(link)
            if name is None or queued[name] >= PER_PATTERN:
                continue
            seen.add(link)
            queued[name] += 1
            queue.append(link)
    return found
