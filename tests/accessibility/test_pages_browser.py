"""Every page of the site, for every role that reaches it, in one Chromium: no axe-core violation of
WCAG 2.1 A/AA (RGAA 4.1), and no horizontal scrolling on a phone (390 × 844 and 320 × 640).

The demo is loaded; each role (and an anonymous visitor) discovers its pages from Accueil with the
test client (``walk.discover``), then one browser context per role opens the first URL of each
pattern, runs axe at 1280 px and measures the page at both phone widths. Forms are then sent empty
(their error states) and a few htmx regions are swapped, and checked again. The results are written
to ``accounts/accessibility_results/pages.json``, which the « Accessibilité » page reads: regenerated on
every run, so the declaration states what was last measured.
"""

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import Client

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from accounts.tokens import make_invitation_token
from mail.services.mailbox import folder_create
from notifications.tokens import make_unsubscribe_token
from tests.accessibility import exceptions
from tests.accessibility.walk import discover, pattern_of, url_patterns

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RESULTS = Path(settings.BASE_DIR) / "accounts" / "accessibility_results" / "pages.json"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
DESKTOP = {"width": 1280, "height": 900}
PHONES = [{"width": 390, "height": 844}, {"width": 320, "height": 640}]

ROLES = {
    "anonyme": None,
    "enseignant": "enseignant@demo.ent.fr",
    "directeur": "directeur@demo.ent.fr",
    "RASED": "rased@demo.ent.fr",
    "conseiller pédagogique": "cpc.numerique@demo.ent.fr",
    "IEN": "ien@demo.ent.fr",
    "administrateur": "admin@demo.ent.fr",
}

# Forms checked in their error state: sent with their fields emptied (the browser's own checks
# off, so that the server's French messages are what is checked). One role each, the first that has it.
FORMS_SENT_EMPTY = [
    "account_login",
    "account_reset_password",
    "account_change_password",
    "accounts:profile",
    "news:post-create",
    "news:post-edit",
    "news:register",
    "timeline:event-create",
    "blogs:blog-create",
    "blogs:post-create",
    "notebooks:notebook-create",
    "notebooks:page-create",
    "mail:draft",
    "mail:folders",
]

# The elements wider than the window, outside any region that scrolls on its own.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (node) => {
    for (let up = node.parentElement; up; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (["auto", "scroll", "hidden"].includes(style.overflowX) && up.scrollWidth > up.clientWidth) return true;
    }
    return false;
  };
  const wide = [...document.body.querySelectorAll("*")].filter((node) => node.getBoundingClientRect().right > width + 1);
  const culprits = wide.filter((node) => !scrolls(node));
  // An absolutely positioned node inside a scrolling region may still widen the page.
  return (culprits.length ? culprits : wide.sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right))
    .slice(0, 3)
    .map((node) => node.tagName.toLowerCase() + (node.id ? "#" + node.id : "") +
      (node.className && typeof node.className === "string" ? "." + node.className.trim().split(/\\s+/).join(".") : ""));
}"""

# The tables that do not scroll inside their own labelled, focusable region.
TABLES_OUTSIDE_A_REGION = """() => [...document.querySelectorAll("main table")].filter((table) => {
  const region = table.closest("[role=region][tabindex='0']");
  return !region || !(region.getAttribute("aria-label") || region.getAttribute("aria-labelledby")) ||
    !["auto", "scroll"].includes(getComputedStyle(region).overflowX);
}).map((table) => (table.querySelector("caption") || table).textContent.trim().slice(0, 60))"""

# WCAG 2.5.5 at a phone's width: every visible target at least 44 × 44 CSS px. A checkbox's or a
# radio's target is its label (the DSFR hides the input itself); an enclosing clickable element at
# least that big is the target of what it holds; a link inside running text (its nearest block
# holds other text) is exempt. Returns the offenders, readable: tag, text, classes, size, CSS path.
TOUCH_TARGET = 44
SMALL_TARGETS = """(minimum) => {
  const CLICKABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex='0'], label";
  const shown = (node) => {
    if (node.checkVisibility && !node.checkVisibility({visibilityProperty: true, opacityProperty: false})) return false;
    const box = node.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) return false;  // visually hidden (.fr-sr-only)
    // Moved out of the page until focused (the skip links).
    return box.bottom + window.scrollY > 0 && box.right + window.scrollX > 0;
  };
  const big = (box) => box.width >= minimum - 0.5 && box.height >= minimum - 0.5;
  const blockOf = (node) => {
    for (let up = node.parentElement; up; up = up.parentElement) {
      if (!getComputedStyle(up).display.startsWith("inline")) return up;
    }
    return document.body;
  };
  const inSentence = (node) => {
    if (node.tagName !== "A" || !getComputedStyle(node).display.startsWith("inline") ||
        getComputedStyle(node).display === "inline-flex" || getComputedStyle(node).display === "inline-block") return false;
    const block = blockOf(node);
    const text = block.textContent.replace(node.textContent, "");
    return /[\\p{L}\\p{N}]{2}/u.test(text);
  };
  const path = (node) => {
    const parts = [];
    for (let up = node; up && up !== document.body && parts.length < 5; up = up.parentElement) {
      let part = up.tagName.toLowerCase();
      if (up.id) { parts.unshift(part + "#" + up.id); break; }
      const classes = typeof up.className === "string" ? up.className.trim().split(/\\s+/).filter(Boolean) : [];
      if (classes.length) part += "." + classes.slice(0, 2).join(".");
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  const seen = new Set();
  const offenders = [];
  for (const node of document.querySelectorAll(CLICKABLE)) {
    let target = node;
    if (node.tagName === "LABEL") {
      const input = node.control;
      if (!input || !["checkbox", "radio"].includes(input.type)) continue;
    } else if (node.tagName === "INPUT" && ["checkbox", "radio"].includes(node.type) && node.labels && node.labels.length) {
      target = node.labels[0];
    }
    if (seen.has(target) || !shown(target) || inSentence(target)) continue;
    seen.add(target);
    if (big(target.getBoundingClientRect())) continue;
    const parent = target.parentElement && target.parentElement.closest(CLICKABLE);
    if (parent && shown(parent) && big(parent.getBoundingClientRect())) continue;
    // The DSFR's cards and tiles: the link's ::before covers the whole card (.fr-enlarge-link).
    const card = target.closest(".fr-enlarge-link, .fr-enlarge-button");
    if (card && big(card.getBoundingClientRect())) continue;
    const box = target.getBoundingClientRect();
    offenders.push({
      tag: target.tagName.toLowerCase() + (target.type && target.tagName === "INPUT" ? "[type=" + target.type + "]" : ""),
      text: (target.textContent || target.value || target.getAttribute("aria-label") || "").trim().replace(/\\s+/g, " ").slice(0, 40),
      classes: typeof target.className === "string" ? target.className.trim() : "",
      size: Math.round(box.width) + "×" + Math.round(box.height),
      path: path(target),
    });
  }
  return offenders;
}"""

EMPTY_AND_SEND = """(form) => {
  form.noValidate = true;
  for (const field of form.querySelectorAll("input, textarea, select")) {
    if (["hidden", "submit", "button", "checkbox", "radio", "file"].includes(field.type)) continue;
    if (field.tagName === "SELECT") field.selectedIndex = -1; else field.value = "";
  }
  const button = form.querySelector("button[type=submit]:not([name]), button:not([type]):not([name]), button[type=submit]");
  form.requestSubmit(button || undefined);
}"""


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # the demo refuses to load otherwise
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


def _client_for(email):
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
        session = client.session
        session["ent_mfa_ok"] = True
        session.save()
    return client


def extra_pages(role, email) -> list[str]:
    """Pages no link leads to from Accueil: reached from an e-mail, a sign-in step or by typing."""
    if email is None:
        newcomer = User.objects.create_user(email="nouvelle.venue@demo.ent.fr", first_name="Nina", last_name="Venue")
        newcomer.set_unusable_password()
        newcomer.save()
        teacher = User.objects.get(email=ROLES["enseignant"])
        from allauth.account.utils import user_pk_to_url_str

        return [
            "/accounts/signup/",
            "/accounts/password/reset/done/",
            f"/accounts/password/reset/key/{user_pk_to_url_str(teacher)}-{default_token_generator.make_token(teacher)}/",
            "/accounts/password/reset/key/done/",
            "/accounts/inactive/",
            f"/invitation/{make_invitation_token(newcomer)}/",
            f"/notifications/desabonnement/{make_unsubscribe_token(teacher)}/",
            "/cette-page-n-existe-pas/",
            "/accessibilite/",
            "/hors-connexion/",
            "/mentions-legales/",
            "/donnees-personnelles/",
            "/regles-du-droit-a-l-image/",
        ]
    from news.models import Feed, Post
    from news.permissions import can_register_class, can_view_registrations

    person = User.objects.get(email=email)
    pages = ["/accounts/password/set/", "/accessibilite/"]
    projects = Post.objects.filter(feed=Feed.PROJECTS, registration_closes_at__isnull=False).order_by("-pk")
    if project := next(
        (post for post in projects if can_register_class(person, post) and post.registrations_open()), None
    ):
        pages.append(f"/actualites/billet/{project.pk}/participer/")
    if project := next((post for post in projects if can_view_registrations(person, post)), None):
        pages.append(f"/actualites/billet/{project.pk}/inscriptions/")
    folder = folder_create(actor=person, name="Projets de l’année")
    pages.append(f"/messagerie/dossiers/{folder.pk}/")
    return pages


def _excepted(violation, node) -> bool:
    return any(
        entry["rule"] == violation["id"] and entry["target"] in " ".join(map(str, node["target"]))
        for entry in exceptions.AXE_EXCEPTIONS
    )


class Checker:
    def __init__(self):
        self.axe = Axe()
        self.problems: list[str] = []
        self.checked: dict[str, dict] = {}
        self.excepted = 0
        self.count = 0

    def check(self, page, role, pattern, what=""):
        label = f"[{role}] {pattern}{' — ' + what if what else ''} ({page.url})"
        self.count += 1
        entry = self.checked.setdefault(pattern, {"title": "", "roles": set(), "states": set()})
        entry["roles"].add(role)
        if what:
            entry["states"].add(what)
        elif not entry["title"]:
            entry["title"] = page.title().split(" — ENT")[0]
        for violation in self.axe.run(page, options=AXE_OPTIONS).response["violations"]:
            nodes = [node for node in violation["nodes"] if not _excepted(violation, node)]
            self.excepted += len(violation["nodes"]) - len(nodes)
            if nodes:
                targets = [" ".join(map(str, node["target"])) for node in nodes[:3]]
                self.problems.append(f"{label}: {violation['id']} ({violation['impact']}) {targets}")
        if tables := page.evaluate(TABLES_OUTSIDE_A_REGION):
            self.problems.append(f"{label}: tableau hors d’une région défilante nommée {tables}")
        if pattern not in exceptions.OVERFLOW_EXCEPTIONS:
            for size in PHONES:
                page.set_viewport_size(size)
                if page.evaluate("document.documentElement.scrollWidth") > size["width"]:
                    self.problems.append(f"{label}: plus large que {size['width']} px {page.evaluate(OVERFLOWING)}")
        page.set_viewport_size(PHONES[0])
        for target in small_targets(page):
            self.problems.append(
                f"{label}: cible tactile de {target['size']} px (moins de {TOUCH_TARGET}) {target['tag']} "
                f"« {target['text']} » .{target['classes']} [{target['path']}]"
            )
        page.set_viewport_size(DESKTOP)


def small_targets(page) -> list[dict]:
    """The targets smaller than 44 × 44 px at the current viewport, less the accepted exceptions."""
    return [
        target
        for target in page.evaluate(SMALL_TARGETS, TOUCH_TARGET)
        if not any(entry["target"] in target["path"] for entry in exceptions.TOUCH_TARGET_EXCEPTIONS)
    ]


def _settle(page):
    page.wait_for_load_state("load")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def _send_empty(page, checker, role, pattern):
    forms = page.locator("main form[method=post], main form[method=POST]")
    fields = [forms.nth(i).locator("input:not([type=hidden]), textarea, select").count() for i in range(forms.count())]
    if not fields or max(fields) == 0:
        checker.problems.append(f"[{role}] {pattern}: aucun formulaire à envoyer vide ({page.url})")
        return
    form = forms.nth(fields.index(max(fields)))
    with page.expect_navigation():
        form.evaluate(EMPTY_AND_SEND)
    _settle(page)
    checker.check(page, role, pattern, "formulaire envoyé vide")


def _htmx_regions(page, base, role, checker):
    """Swap the htmx regions a person uses and check the page each time."""
    if role == "enseignant":
        page.goto(f"{base}/ecoles/")
        page.get_by_label("Rechercher").first.fill("Jean")
        page.wait_for_timeout(400)
        _settle(page)
        checker.check(page, role, "accounts:directory", "résultats de recherche (htmx)")
    if role == "directeur":
        page.goto(f"{base}/notifications/")
        button = page.locator("#notifications-liste form button").first
        if button.count():
            button.click()
            _settle(page)
            checker.check(page, role, "notifications:list", "notification marquée comme lue (htmx)")
    if role == "conseiller pédagogique":
        page.goto(f"{base}/frise/")
        select = page.locator("form[hx-get] select").first
        if select.count():
            select.select_option(index=1)
            _settle(page)
            checker.check(page, role, "timeline:frise", "frise filtrée (htmx)")


# At a phone's width, the main navigation's links and the person's tools, once the DSFR menu is open.
MENU_LINKS = """() => {
  const shown = (node) => { const box = node.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= document.documentElement.clientWidth; };
  const nav = [...document.querySelectorAll("#navigation-principale a[href]")];
  const tools = [...document.querySelectorAll("#menu-mobile .fr-header__menu-links a[href], #menu-mobile .fr-header__menu-links button")];
  return {nav: nav.length, hidden: nav.filter((link) => !shown(link)).map((link) => link.textContent.trim()),
          tools: tools.filter(shown).length};
}"""


def _mobile_menu(page, base, role, checker):
    """The navigation is reached from the DSFR's « Menu » button at 390 px, with the keyboard."""
    page.set_viewport_size(PHONES[0])
    page.goto(f"{base}/")
    page.locator("#bouton-menu-mobile").focus()
    page.keyboard.press("Enter")
    page.locator("#menu-mobile").wait_for(state="visible")
    page.wait_for_timeout(300)  # the DSFR's opening transition
    links = page.evaluate(MENU_LINKS)
    if not links["nav"] or links["hidden"] or not links["tools"]:
        checker.problems.append(f"[{role}] menu mobile incomplet : {links}")
    checker.check(page, role, "accounts:home", "menu mobile ouvert (390 px)")
    page.keyboard.press("Escape")
    page.set_viewport_size(DESKTOP)


def test_the_checker_finds_a_violation_an_overflow_and_a_bare_table(browser):
    """The walk below could pass on a checker that sees nothing: this page has one of each."""
    page = browser.new_page(viewport=DESKTOP)
    page.set_content(
        '<html lang="fr"><head><title>Essai</title></head><body><main><h1>Essai</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><div style="width: 400px">large</div>'
        "<table><caption>Nu</caption><tr><th>A</th></tr></table></main></body></html>"
    )
    checker = Checker()
    checker.check(page, "essai", "essai")
    page.close()

    assert [problem.split(": ", 1)[1].split(" ")[0] for problem in checker.problems] == [
        "image-alt",
        "tableau",
        "plus",
        "plus",
    ]


@pytest.mark.urls("tests.testapp.urls")
def test_the_touch_target_check_finds_a_small_button_and_spares_a_link_in_a_sentence(browser, live_server):
    """At 390 px, a 20 px button and a lone link one line high are too small; a 44 px button is not,
    and a link inside a sentence is exempt (WCAG 2.5.5)."""
    page = browser.new_page(viewport=PHONES[0])
    page.goto(live_server.url + "/essais/cibles-tactiles/")
    offenders = small_targets(page)
    page.close()

    assert [(target["tag"], target["text"], target["size"]) for target in offenders] == [
        ("button", "×", "20×20"),
        ("a", "Lien seul", offenders[1]["size"]),
    ]
    assert int(offenders[1]["size"].split("×")[1]) < TOUCH_TARGET
    assert offenders[0]["path"] == "main > button.petit"


def test_every_page_of_every_role_passes_axe_and_fits_a_phone(browser, live_server, demo):
    base = live_server.url
    checker = Checker()
    discovered_targets, other_answers, walked_by = set(), {}, {}
    script_errors = []
    for role, email in ROLES.items():
        client = _client_for(email)
        found = discover(client)
        checker.problems.extend(f"[{role}] {error}" for error in found.errors)
        discovered_targets |= found.targets
        for pattern, answer in found.other_answers.items():
            other_answers.setdefault(pattern, answer)
        urls = dict(found.pages)
        for url in extra_pages(role, email):
            urls.setdefault(pattern_of(url) or "page introuvable (404)", url)

        context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport=DESKTOP)
        context.set_default_timeout(15_000)
        if email:
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": base,
                    }
                ]
            )
        page = context.new_page()
        page.on("pageerror", lambda error, role=role, page=page: script_errors.append(f"[{role}] {page.url}: {error}"))
        for pattern, url in sorted(urls.items()):
            page.goto(base + url)
            _settle(page)
            checker.check(page, role, pattern)
            walked_by.setdefault(pattern, set()).add(role)
            if pattern in FORMS_SENT_EMPTY and "formulaire envoyé vide" not in checker.checked[pattern]["states"]:
                _send_empty(page, checker, role, pattern)
        _htmx_regions(page, base, role, checker)
        if email:
            _mobile_menu(page, base, role, checker)
        if email is None:
            # The second step of signing in, for a person with an authenticator.
            page.goto(f"{base}/accounts/login/")
            page.locator("input[name=login]").fill(ROLES["administrateur"])
            page.locator("input[name=password]").fill(DEMO_PASSWORD)
            page.locator("input[name=password]").press("Enter")
            page.wait_for_url("**/2fa/authenticate/**")
            checker.check(page, role, "mfa_authenticate")
        context.close()

    patterns = url_patterns()
    reasons = {name: f"répond {answer}" for name, answer in other_answers.items()}
    reasons.update(
        dict.fromkeys(discovered_targets, "la cible d’un formulaire ou d’une requête htmx d’une page parcourue")
    )
    reasons.update(exceptions.NOT_WALKED)
    left_out = {name: reason for name, reason in reasons.items() if name not in checker.checked and name in patterns}
    _write_results(checker, left_out)

    assert checker.problems == [], "\n".join(checker.problems)
    assert script_errors == [], "\n".join(script_errors)
    assert sorted(set(patterns) - set(checker.checked) - set(left_out)) == [], "neither walked nor listed"
    assert all(name in patterns for name in exceptions.NOT_WALKED), "a listed pattern no longer exists"
    assert sorted(set(exceptions.NOT_WALKED) & set(checker.checked)) == [], "walked: remove it from NOT_WALKED"
    assert len(checker.checked) > 80


def _write_results(checker, left_out):
    version = re.search(r"axe v([\d.]+)", checker.axe.axe_script[:200])
    results = {
        "date": datetime.date.today().isoformat(),
        "outil": f"axe-core {version.group(1)}" if version else "axe-core",
        "regles": WCAG_TAGS,
        "largeurs_mobiles": [size["width"] for size in PHONES],
        "cible_tactile_px": TOUCH_TARGET,
        "verifications": checker.count,
        "anomalies": len(checker.problems),
        "exceptions_acceptees": checker.excepted,
        "details_anomalies": sorted(checker.problems),
        "pages": [
            {
                "motif": pattern,
                "titre": entry["title"],
                "profils": sorted(entry["roles"]),
                "etats": sorted(entry["states"]),
            }
            for pattern, entry in sorted(checker.checked.items())
        ],
        "non_parcourus": dict(sorted(left_out.items())),
        "exceptions": exceptions.AXE_EXCEPTIONS,
        "exceptions_cibles_tactiles": exceptions.TOUCH_TARGET_EXCEPTIONS,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
