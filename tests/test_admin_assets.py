"""Every admin page carries the project's favicon, admin stylesheet and script, served by the project."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/"])
def test_admin_pages_link_the_favicon_stylesheet_and_script(client_as, admin_user, url):
    page = client_as(admin_user).get(url).content.decode()

    assert re.search(r'<link rel="icon"\s+href="/static/dsfr/dist/favicon/favicon.svg"', page)
    assert '<link rel="stylesheet" href="/static/ent/admin.css">' in page
    assert '<script src="/static/ent/admin.js" defer></script>' in page
    for path in ("dsfr/dist/favicon/favicon.svg", "ent/admin.css", "ent/admin.js"):
        assert finders.find(path), path
