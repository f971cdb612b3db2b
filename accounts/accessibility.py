"""The figures of the « Accessibilité » page (the RGAA declaration), read from the results the
accessibility tests write (``accessibility_results/pages.json`` by the walk over every page,
``keyboard.json`` by the keyboard journeys): the page states what was last measured, never a
claim of its own. A missing or unreadable file reads as « not measured »."""

import datetime
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "accessibility_results"


@dataclass(frozen=True)
class Measures:
    pages: dict | None
    keyboard: dict | None

    @property
    def measured(self) -> bool:
        return self.pages is not None

    @property
    def anomalies(self) -> int:
        total = (self.pages or {}).get("anomalies", 0)
        return total + sum(1 for journey in (self.keyboard or {}).get("parcours", []) if not journey["reussi"])

    @property
    def status(self) -> str:
        """« partiellement conforme » when every automated and keyboard check passes (no full
        manual audit of the RGAA's 106 criteria exists yet), « non conforme » otherwise."""
        if not self.measured or self.anomalies:
            return "non conforme"
        return "partiellement conforme"

    @property
    def date(self) -> datetime.date | None:
        return _day((self.pages or {}).get("date"))

    @property
    def keyboard_date(self) -> datetime.date | None:
        return _day((self.keyboard or {}).get("date"))

    @property
    def roles(self) -> list[str]:
        return sorted({role for page in (self.pages or {}).get("pages", []) for role in page["profils"]})


def _day(text) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text or "")
    except ValueError:
        return None


def _read(name: str) -> dict | None:
    try:
        return json.loads((RESULTS_DIR / name).read_text())
    except (OSError, ValueError):
        return None


@lru_cache(maxsize=1)
def measures() -> Measures:
    """Read once per process (the files change only with a new version of the site)."""
    return Measures(pages=_read("pages.json"), keyboard=_read("keyboard.json"))
