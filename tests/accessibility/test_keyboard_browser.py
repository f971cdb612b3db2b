"""The main journeys of the ENT with the keyboard alone (Tab, Shift+Tab, Enter, Space, arrows, and
typing text): no click. At every step the focused element must show a visible focus ring (an
outline or a box shadow), the skip link must lead to the content, and on each form page Tab must go
through the whole page to the footer (no keyboard trap, in the rich-text editor or the dictaphone).

The journeys run on the demo; the results are written to ``accounts/accessibility_results/
keyboard.json``, which the « Accessibilité » page reads.
"""

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RESULTS = Path(settings.BASE_DIR) / "accounts" / "accessibility_results" / "keyboard.json"

FOCUS = """() => {
  const element = document.activeElement;
  if (!element || element === document.body || element === document.documentElement) return null;
  // The ring is on the element, or on its ::before (the DSFR's enlarged links, cards, brand).
  const ring = [null, "::before", "::after"].some((pseudo) => {
    const style = getComputedStyle(element, pseudo);
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1) ||
      (style.boxShadow && style.boxShadow !== "none");
  });
  const name = element.getAttribute("aria-label") || element.innerText || element.value || element.id || "";
  return {tag: element.tagName.toLowerCase(), id: element.id, name: name.trim().replace(/\\s+/g, " ").slice(0, 80),
          href: element.getAttribute("href") || "", type: element.type || "", ring: ring,
          editor: element.isContentEditable};
}"""


@pytest.fixture
def chromium_args(chromium_args):
    return [*chromium_args, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # the demo refuses to load otherwise
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


class Keyboard:
    """A tab of one person, moved by the keyboard only; collects the steps where focus was not seen."""

    def __init__(self, browser, base, email):
        client = Client()
        client.force_login(User.objects.get(email=email))
        session = client.session
        session["ent_mfa_ok"] = True
        session.save()
        self.context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
        self.context.set_default_timeout(15_000)
        self.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": base,
                }
            ]
        )
        self.page = self.context.new_page()
        self.base = base
        self.problems: list[str] = []
        self.page.on("pageerror", lambda error: self.problems.append(f"erreur de script : {error}"))
        TABS.append(self)

    def state(self):
        """Where the tab is and what the page says is wrong (for a failing journey's message)."""
        errors = self.page.locator(".fr-error-text, .fr-message--error, .fr-alert").all_inner_texts()
        return f"{self.page.url} — {self.page.title()} — {errors}"

    def open(self, path):
        """Typing an address (the start of a journey), then the skip link « Contenu » to the content."""
        self.page.goto(self.base + path)
        self.page.keyboard.press("Tab")
        focus = self.focus()
        assert focus and focus["name"] == "Contenu", f"the first Tab reaches {focus}, not the skip link"
        self.page.keyboard.press("Enter")
        assert self.page.evaluate("document.activeElement.id") == "contenu", (
            "the skip link does not lead to the content"
        )

    def focus(self):
        focus = self.page.evaluate(FOCUS)
        if focus and not focus["ring"] and not focus["editor"]:
            self.problems.append(f"{self.page.url}: focus invisible sur {focus}")
        return focus

    def tab_to(self, matches, *, limit=250, back=False, what=""):
        met = []
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            focus = self.focus()
            if focus and matches(focus):
                return focus
            met.append(focus and f"{focus['tag']} {focus['name'][:30]}")
        raise AssertionError(f"{what or matches} never reached by Tab on {self.page.url}; last: {met[-8:]}")

    def tab_to_name(self, name, **kwargs):
        return self.tab_to(lambda focus: focus["name"] == name, what=name, **kwargs)

    def no_trap(self):
        """From here, Tab goes on to the footer's last link: nothing holds the focus."""
        self.tab_to(lambda focus: focus["href"] == "/accessibilite/", what="the footer (no trap)")

    def press(self, key):
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.page.wait_for_load_state("load")


TABS: list[Keyboard] = []


def _journey(results, name, run):
    TABS.clear()
    try:
        run()
        results.append({"nom": name, "reussi": True})
    except Exception as error:
        results.append({"nom": name, "reussi": False})
        where = TABS[-1].state() if TABS and not TABS[-1].page.is_closed() else ""
        raise AssertionError(f"{error} [{where}]") from error


def test_the_four_main_journeys_with_the_keyboard_alone(browser, live_server, demo, settings):
    from mail.models import Delivery, Message
    from news.models import Acknowledgement, Post
    from notebooks.models import Block

    settings.ENT_MAIL_UNDO_SECONDS = 1
    base = live_server.url
    results, failures = [], []

    def director_acknowledges():
        from accounts.permissions import schools_directed_by
        from news.permissions import can_acknowledge_post

        director = User.objects.get(email="directeur@demo.ent.fr")
        schools = schools_directed_by(director)
        post = next(
            post
            for post in Post.objects.filter(requires_ack=True).order_by("-published_at")
            if can_acknowledge_post(director, post)
            and not Acknowledgement.objects.filter(post=post, school__in=schools).exists()
        )
        keys = Keyboard(browser, base, director.email)
        keys.open("/actualites/directeurs/")
        keys.tab_to(lambda focus: focus["href"] == f"/actualites/billet/{post.pk}/", what=post.title)
        keys.press("Enter")
        keys.tab_to_name("J’ai pris connaissance")
        keys.page.keyboard.press("Enter")
        expect(keys.page.get_by_text("Vous avez pris connaissance de cette information")).to_be_visible()
        assert Acknowledgement.objects.filter(post=post).exists()
        keys.no_trap()
        keys.context.close()
        assert keys.problems == [], keys.problems

    def counsellor_publishes_a_tutorial():
        keys = Keyboard(browser, base, "cpc.numerique@demo.ent.fr")
        keys.open("/blogs/outil-numerique-de-la-semaine/ecrire/")
        keys.tab_to(lambda focus: focus["id"] == "id_title", what="Titre")
        keys.page.keyboard.type("Les cartes mentales au clavier")
        keys.tab_to(lambda focus: focus["id"] == "id_week", what="Semaine")
        keys.page.keyboard.press("ArrowDown")  # a closed select: the arrow picks the first free week
        assert keys.page.locator("#id_week").input_value(), "no week chosen with the arrow"
        keys.tab_to(lambda focus: focus["editor"], what="the rich-text editor")
        keys.page.keyboard.type("Une carte mentale relie les idées.")
        keys.page.keyboard.press("Enter")
        keys.page.keyboard.type("Essayez avec vos élèves.")
        # The toolbar is reached with Shift+Tab from the text, and « Gras » works with Enter.
        # Everything selected with Ctrl+A, which the editor handles itself (a selection made with
        # Shift+arrows reaches it only on the browser's next « selectionchange », later than a script
        # can press Shift+Tab).
        keys.page.keyboard.press("Control+a")
        keys.tab_to(lambda focus: "gras" in focus["name"].lower(), back=True, limit=30, what="« Gras »")
        keys.page.keyboard.press("Enter")
        expect(keys.page.locator(".ProseMirror strong")).not_to_have_count(0)
        keys.tab_to(lambda focus: focus["editor"], what="the editor again")
        keys.tab_to_name("Publier maintenant")
        keys.press("Enter")
        from blogs.models import Post as BlogPost

        post = BlogPost.objects.get(title="Les cartes mentales au clavier")
        assert post.is_published
        assert "Une carte mentale relie les idées." in post.body.html and "<strong>" in post.body.html
        keys.context.close()
        assert keys.problems == [], keys.problems

    def teacher_records_on_a_notebook_page():
        from notebooks.models import Notebook

        teacher = User.objects.get(email="enseignant@demo.ent.fr")
        keys = Keyboard(browser, base, teacher.email)
        notebook = next(nb for nb in Notebook.objects.order_by("pk") if _can_contribute(teacher, nb))
        keys.open(f"/cahiers/{notebook.slug}/pages/nouvelle/")
        keys.tab_to(lambda focus: focus["id"] == "id_title", what="Titre")
        keys.page.keyboard.type("Notre poème enregistré")
        keys.tab_to_name("Créer la page")
        keys.press("Enter")
        keys.tab_to(lambda focus: focus["type"] == "radio", what="the kind of block")
        for _ in range(5):  # the arrows choose among the radios, up to « Enregistrement »
            if keys.page.locator("input[name=new_kind][value=audio]").is_checked():
                break
            keys.page.keyboard.press("ArrowRight")
        keys.tab_to_name("Enregistrer")
        keys.page.keyboard.press("Enter")
        keys.page.wait_for_function("() => document.querySelector('[data-ent-dictaphone-time]').textContent === '0:02'")
        focus = keys.focus()
        assert focus and focus["tag"] == "button", f"the focus left the dictaphone's buttons: {focus}"
        keys.tab_to_name("Arrêter", back=focus["name"] != "Mettre en pause")
        keys.page.keyboard.press("Enter")
        keys.tab_to(
            lambda focus: "transcription" in (focus["id"] or "").lower() or focus["tag"] == "textarea",
            what="Transcription",
        )
        keys.page.keyboard.type("Il était une fois un loup.")
        keys.tab_to_name("Enregistrer la page")
        keys.press("Enter")
        expect(keys.page.get_by_text("La page est enregistrée.")).to_be_visible()
        assert Block.objects.filter(kind="audio", transcript="Il était une fois un loup.").exists()
        keys.context.close()
        assert keys.problems == [], keys.problems

    def message_sent_and_read():
        writer = Keyboard(browser, base, "directeur@demo.ent.fr")
        writer.open("/messagerie/ecrire/")
        writer.tab_to(lambda focus: focus["id"] == "id_query", what="Ajouter des destinataires")
        writer.page.keyboard.type("Jussaume")
        expect(writer.page.get_by_role("option").first).to_be_visible()
        writer.page.keyboard.press("ArrowDown")
        writer.page.keyboard.press("Enter")
        expect(writer.page.locator("[data-mail-chips=to]")).to_contain_text("Jussaume")
        writer.tab_to(lambda focus: focus["id"] == "id_subject", what="Objet")
        writer.page.keyboard.type("Sortie au musée au clavier")
        writer.tab_to(lambda focus: focus["editor"], what="the message's editor")
        writer.page.keyboard.type("Pouvons-nous en parler jeudi ?")
        writer.tab_to_name("Envoyer")
        writer.press("Enter")
        if writer.page.locator("#id_confirmed").count():  # the IEN has not signed in yet: confirm
            writer.tab_to(lambda focus: focus["id"] == "id_confirmed", what="J’ai vérifié")
            writer.page.keyboard.press("Space")
            writer.tab_to_name("Confirmer l’envoi")
            writer.press("Enter")
        expect(writer.page.get_by_text(re.compile("Votre message (part dans|est parti)"))).to_be_visible()
        writer.page.wait_for_timeout(1_500)
        from ent.publication import publish_due

        publish_due(now=timezone.now() + datetime.timedelta(minutes=1))
        message = Message.objects.get(subject="Sortie au musée au clavier")
        writer.context.close()
        reader = Keyboard(browser, base, "ien@demo.ent.fr")
        reader.open("/messagerie/")
        reader.tab_to(lambda focus: "Sortie au musée au clavier" in focus["name"], what="the message")
        reader.press("Enter")
        expect(reader.page.get_by_role("heading", name="Sortie au musée au clavier")).to_be_visible()
        assert Delivery.objects.filter(message=message, user__email="ien@demo.ent.fr", read_at__isnull=False).exists()
        reader.no_trap()
        reader.context.close()
        assert writer.problems + reader.problems == [], writer.problems + reader.problems

    for name, run in [
        ("Une directrice lit une information aux directeurs et en accuse réception", director_acknowledges),
        (
            "Un conseiller pédagogique publie le tutoriel de la semaine avec l’éditeur de texte",
            counsellor_publishes_a_tutorial,
        ),
        (
            "Une enseignante ajoute une page à un cahier avec un enregistrement du dictaphone",
            teacher_records_on_a_notebook_page,
        ),
        ("Un message est envoyé dans la Messagerie puis lu", message_sent_and_read),
    ]:
        try:
            _journey(results, name, run)
        except Exception as error:  # every journey runs; all failures are reported
            failures.append(f"{name} : {error}")

    RESULTS.write_text(
        json.dumps({"date": datetime.date.today().isoformat(), "parcours": results}, ensure_ascii=False, indent=2)
        + "\n"
    )
    assert failures == [], "\n".join(failures)


def _can_contribute(user, notebook):
    from notebooks import permissions

    return permissions.can_add_page(user, notebook)
