"""What a query is, and the highlighted excerpt of a result.

The normalisation is the mailbox's (``mail.text.search_key``: no case, accents or ligatures), so
a query typed « École » finds « ecole » in every app. On SQLite, each word is also cut to a crude
French stem (plural ``s``/``x`` and a few endings dropped) so that « évaluations » finds
« évaluation »; PostgreSQL does real stemming with its ``french`` dictionary.
"""

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from mail.text import search_key

# Longest first: « -ations » before « -s ».
_ENDINGS = ("ements", "ement", "ations", "ation", "euses", "euse", "eux", "aux", "es", "s", "x", "e")


def stem(word: str) -> str:
    """A crude French stem of a normalised word (never shorter than 4 letters)."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


@dataclass(frozen=True)
class Query:
    text: str
    year: str = ""  # "2026-2027" or ""

    @property
    def words(self) -> list[str]:
        return search_key(self.text).split()[:8]

    @property
    def stems(self) -> list[str]:
        return [stem(w) for w in self.words]

    def __bool__(self):
        return bool(self.words)


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae"})


@functools.lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    """One character without its accent, in lower case (« É » → « e », « œ » → « oe »). Kept per
    process: a text has few distinct characters, and every result's excerpt folds its whole body."""
    decomposed = unicodedata.normalize("NFKD", char.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# The folding of the Latin letters and the typographic signs French texts use (« ’ », « … »,
# « € »), for ``str.translate``; a text with any other character is folded letter by letter.
_FOLDED = {code: _fold(chr(code)) for code in [*range(0x300), *range(0x2000, 0x2070), 0x20AC]}
_IN_TABLE = frozenset(map(chr, _FOLDED))


def _fold_text(text: str) -> tuple[str, Sequence[int]]:
    """``text`` folded, and each folded letter's position in ``text`` (the same when the folding
    keeps one letter per letter, as it does for nearly every French text)."""
    if _IN_TABLE.issuperset(text):
        folded = text.translate(_FOLDED)
        if len(folded) == len(text):
            return folded, range(len(text))
    pieces = [_fold(char) for char in text]  # « œ » → « oe », or letters beyond the table
    return "".join(pieces), [i for i, piece in enumerate(pieces) for _ in piece]


def excerpt(text: str, query: Query, width: int = 180) -> SafeString:
    """About ``width`` characters of ``text`` around the first word found, words found in ``<mark>``."""
    text = " ".join(text.split())
    folded_text, origin = _fold_text(text)
    spans = []
    for word in query.stems:
        start = 0
        while word and (found := folded_text.find(word, start)) != -1:
            begin, end = origin[found], origin[found + len(word) - 1] + 1
            while end < len(text) and text[end].isalnum():  # the whole word
                end += 1
            spans.append((begin, end))
            start = found + len(word)
    spans.sort()
    first = spans[0][0] if spans else 0
    lo = max(0, first - width // 3)
    if lo:
        lo = text.find(" ", lo) + 1 or lo
    hi = min(len(text), lo + width)
    if hi < len(text):
        hi = text.rfind(" ", lo, hi) if text.rfind(" ", lo, hi) > lo else hi
    out, at = [], lo
    for begin, end in spans:
        if begin < at or end > hi:
            continue
        out.append(escape(text[at:begin]))
        out.append(f"<mark>{escape(text[begin:end])}</mark>")
        at = end
    out.append(escape(text[at:hi]))
    return mark_safe(("… " if lo else "") + "".join(out) + (" …" if hi < len(text) else ""))  # noqa: S308 - every piece escaped


def highlight(title: str, query: Query) -> SafeString:
    """The whole title, words found in ``<mark>``."""
    return excerpt(title, query, width=max(len(title), 1) + 1)
