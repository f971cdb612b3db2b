"""The print page of a message, on a phone: a long word (a file's name, an address) wraps."""

import pytest

from tests.factories import send_mail_to

from .test_compose_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "Compte-rendu_du_conseil_des_maitres_de_l_ecole_elementaire_du_12_novembre_2026"


def test_the_print_page_fits_a_320_px_phone(live_server, page, inspector, director):
    message = send_mail_to(inspector, [director], subject=LONG, body=f"<p>Voir {LONG}.pdf</p>")
    log_in(page, live_server.url, director.email)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/messagerie/messages/{message.pk}/imprimer/")
    assert page.get_by_role("heading", level=1).inner_text() == LONG
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
