"""A device's name for the person's list, read from the browser's User-Agent (« Firefox sur Android »)."""

import re

BROWSERS = [
    (re.compile(r"Edg/"), "Edge"),
    (re.compile(r"OPR/|Opera"), "Opera"),
    (re.compile(r"SamsungBrowser/"), "Samsung Internet"),
    (re.compile(r"Firefox/|FxiOS/"), "Firefox"),
    (re.compile(r"Chrome/|CriOS/|Chromium/"), "Chrome"),
    (re.compile(r"Safari/"), "Safari"),
]
SYSTEMS = [
    (re.compile(r"iPhone"), "iPhone"),
    (re.compile(r"iPad"), "iPad"),
    (re.compile(r"Android"), "Android"),
    (re.compile(r"Windows"), "Windows"),
    (re.compile(r"Mac OS X|Macintosh"), "macOS"),
    (re.compile(r"CrOS"), "ChromeOS"),
    (re.compile(r"Linux"), "Linux"),
]


def device_label(user_agent: str) -> str:
    """« Chrome sur Android », « Firefox sur Windows », « Navigateur inconnu »."""
    user_agent = user_agent or ""
    browser = next((name for pattern, name in BROWSERS if pattern.search(user_agent)), "Navigateur")
    system = next((name for pattern, name in SYSTEMS if pattern.search(user_agent)), "")
    if system:
        return f"{browser} sur {system}"
    return "Navigateur inconnu" if browser == "Navigateur" else browser
