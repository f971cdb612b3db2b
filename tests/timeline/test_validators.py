"""An event's link to « a page of the site » is a path of this site, and nothing that leaves it."""

import pytest
from django.core.exceptions import ValidationError

from timeline.validators import RELATED_URL_MESSAGE, validate_related_url


@pytest.mark.parametrize(
    "link",
    [
        "/\\evil.example/piege",  # browsers read « /\\ » as « // »: another site
        "/\\/evil.example/",
        "\\\\evil.example/",
        "//evil.example/",
        "///evil.example/",
        "/actualites/\\..\\",
        "/ actualites/",
        "/actualites/\x00",
        "/actualites/\x7f",
        "javascript:alert(1)",
        "https:/evil.example",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_a_link_that_could_leave_the_site_is_refused(link):
    with pytest.raises(ValidationError) as error:
        validate_related_url(link)

    assert error.value.messages == [RELATED_URL_MESSAGE]


@pytest.mark.parametrize(
    "link",
    [
        "/actualites/billet/12/",
        "/frise/?annee=2026&periode=annee#liste",
        "/blogs/outil-de-la-semaine/3-digipad/",
        "https://www.education.gouv.fr/",
        "http://ecole-mirebeau.example/projets",
    ],
)
def test_a_page_of_the_site_or_a_web_address_is_accepted(link):
    validate_related_url(link)
