"""« Aide »: short French help pages written in Markdown under ``templates/help/<slug>.md``.

A page starts with ``# Its title`` and a one-paragraph summary; its ``## sections`` get ids
(« #enregistrer » …) so that a page's « ? » link can point at one. The files are read once per
process, rendered with ``markdown`` and sanitised with ``nh3`` (only the tags Markdown writes).
``HELP_FOR_VIEW`` maps URL names (``namespace:name``) to a help page and section; the context
processor :func:`help_link` gives each page its « ? » address.
"""

from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import markdown
import nh3
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from mail.text import search_key
from search.text import Query

HELP_DIR = Path(settings.BASE_DIR) / "templates" / "help"

_TAGS = {"h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "a", "code", "blockquote", "table", "thead",
         "tbody", "tr", "th", "td", "br", "hr"}  # fmt: skip
_ATTRIBUTES = {"h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "a": {"href", "title"}, "th": {"scope"}}


@dataclass(frozen=True)
class HelpPage:
    slug: str
    title: str
    summary: str
    html: SafeString
    text: str  # plain text, for excerpts
    sections: tuple[tuple[str, str], ...]  # (id, title)

    # Kept on the page (read once per process): every search of the help reads them.
    @cached_property
    def key(self) -> str:
        return search_key(self.title, self.text)

    @cached_property
    def title_key(self) -> str:
        return search_key(self.title)

    def get_absolute_url(self) -> str:
        return reverse("search:help-page", args=[self.slug])


def _render(slug: str, source: str) -> HelpPage:
    lines = source.strip().splitlines()
    title = lines[0].lstrip("# ").strip()
    body = "\n".join(lines[1:]).strip()
    summary = body.split("\n\n", 1)[0].replace("\n", " ")
    md = markdown.Markdown(extensions=["toc", "tables"], extension_configs={"toc": {"slugify": _slug}})
    html = nh3.clean(md.convert(body), tags=_TAGS, attributes=_ATTRIBUTES, link_rel=None)
    sections = tuple((t["id"], t["name"]) for t in md.toc_tokens for t in [t, *t.get("children", [])])
    text = " ".join(nh3.clean(html, tags=set()).split())
    return HelpPage(slug, title, summary, mark_safe(html), text, sections)  # noqa: S308 - nh3 output


def _slug(value: str, separator: str) -> str:
    return slugify(search_key(value).replace("'", " ")).replace("-", separator)


@cache
def pages() -> dict[str, HelpPage]:
    """Every help page, by slug, in title order (read once per process)."""
    found = [_render(p.stem, p.read_text(encoding="utf-8")) for p in sorted(HELP_DIR.glob("*.md"))]
    return {p.slug: p for p in sorted(found, key=lambda p: search_key(p.title))}


def page(slug: str) -> HelpPage | None:
    return pages().get(slug)


# URL name → (help page, section id or ""). ``tests/test_help.py`` checks every one exists.
HELP_FOR_VIEW: dict[str, tuple[str, str]] = {
    "accounts:home": ("accueil", ""),
    "accounts:directory": ("annuaire", ""),
    "accounts:structure-detail": ("annuaire", "la-page-d-une-ecole"),
    "accounts:profile": ("accueil", "votre-profil"),
    "news:index": ("actualites", ""),
    "news:feed": ("actualites", "les-trois-fils"),
    "news:post-detail": ("actualites", "accuser-reception-d-une-note-aux-directeurs"),
    "news:post-create": ("actualites", "proposer-une-actualite"),
    "timeline:frise": ("frise", ""),
    "timeline:event-detail": ("frise", ""),
    "timeline:subscription": ("frise", "s-abonner-a-la-frise"),
    "blogs:blog-list": ("blogs", ""),
    "blogs:blog-detail": ("blogs", ""),
    "blogs:post-detail": ("blogs", ""),
    "blogs:post-create": ("blogs", "ecrire-un-billet"),
    "notebooks:notebook-list": ("cahiers", ""),
    "notebooks:notebook-detail": ("cahiers", ""),
    "notebooks:page-detail": ("cahiers", "enregistrer-avec-le-dictaphone"),
    "notebooks:page-edit": ("cahiers", "enregistrer-avec-le-dictaphone"),
    "mail:inbox": ("messagerie", ""),
    "mail:box": ("messagerie", "les-boites"),
    "mail:search": ("messagerie", "retrouver-un-message"),
    "mail:message": ("messagerie", ""),
    "mail:compose": ("messagerie", "ecrire-un-message"),
    "search:results": ("recherche", ""),
    "search:tutorials": ("recherche", "la-bibliotheque-des-tutoriels"),
}


def help_url_for(view_name: str) -> str:
    """The « ? » address for a page, or the help's index."""
    slug, section = HELP_FOR_VIEW.get(view_name, ("", ""))
    if not slug:
        return reverse("search:help")
    return reverse("search:help-page", args=[slug]) + (f"#{section}" if section else "")


def help_link(request):
    """Context processor: ``help_url``, the « ? » link of the page's header."""
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    return {"help_url": help_url_for(view_name) if getattr(request, "user", None) else ""}


# --- The provider ---------------------------------------------------------------------------------


def _search(user, query: Query) -> list[HelpPage]:
    found = [p for p in pages().values() if all(s in p.key for s in query.stems)]
    return sorted(found, key=lambda p: (not all(s in p.title_key for s in query.stems), p.title_key))
