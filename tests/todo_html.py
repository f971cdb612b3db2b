"""« À faire » read back from Accueil's HTML, as the person sees it: the items are kept as HTML
(``accounts.home.parts_for``), so a test reads what was drawn, not the view's context."""

from html.parser import HTMLParser

from accounts.home import TodoItem


class _TodoParser(HTMLParser):
    """Walks ``templates/accounts/home_todo.html``: a group's heading is ``p.fr-text--bold``; an
    item is a link, its detail the ``.ent-muted`` text after it (« — » dropped)."""

    def __init__(self):
        super().__init__()
        self.items: list[TodoItem] = []
        self.group = ""
        self._in_section = False
        self._reading = None  # "group", "text" or "detail"
        self._text = ""
        self._url = ""
        self._pending: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "section" and "ent-todo" in classes:
            self._in_section = True
        if not self._in_section:
            return
        if tag == "li" and "fr-mb-2w" in classes:
            self._flush()
            self.group = ""
        elif tag == "p" and "fr-text--bold" in classes:
            self._start("group")
        elif tag == "a":
            self._flush()
            self._url = attributes.get("href", "")
            self._start("text")
        elif "ent-muted" in classes and self._pending is not None:
            self._start("detail")

    def handle_endtag(self, tag):
        if not self._in_section:
            return
        if tag == "section":
            self._flush()
            self._in_section = False
        elif self._reading == "group" and tag == "p":
            self.group = self._text.strip()
            self._reading = None
        elif self._reading == "text" and tag == "a":
            self._pending = {"text": self._text.strip(), "url": self._url, "group": self.group, "detail": ""}
            self._reading = None
        elif self._reading == "detail" and tag in ("span", "p"):
            self._pending["detail"] = self._text.strip().removeprefix("—").strip()
            self._reading = None

    def handle_data(self, data):
        if self._reading:
            self._text += data

    def _start(self, reading):
        self._reading, self._text = reading, ""

    def _flush(self):
        if self._pending is not None:
            self.items.append(TodoItem(**self._pending))
            self._pending = None


def todo_items_in(html: str) -> list[TodoItem]:
    """The items of « À faire » on a page of Accueil, in order (none when the panel is not drawn)."""
    parser = _TodoParser()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.items
