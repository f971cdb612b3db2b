"""French text helpers shared by every app."""

import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "’": "'"})


def french_sort_key(*parts: str) -> str:
    """A key that sorts as a French reader expects: without case, accents or ligatures.

    Stored in a column (``sort_name``) so that SQLite and PostgreSQL order alike:
    « de Beaumont » before « Les Coquelicots », « Élodie » beside « Eloi ».
    """
    text = " ".join(p for p in parts if p).translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())
