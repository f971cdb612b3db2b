"""Templates are compiled once per process: a page seen again compiles none.

Django's form renderer, given as a class, is made anew for every form, and with it a template
engine of its own whose compiled templates are lost at the end of the form (``ent.forms``)."""

import pytest
from django.template import base
from django.urls import reverse

from ent.forms import FORM_RENDERER
from news.forms import FeedFilterForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def compiled(monkeypatch):
    names = []
    compile_nodelist = base.Template.compile_nodelist

    def counting(template):
        names.append(template.name)
        return compile_nodelist(template)

    monkeypatch.setattr(base.Template, "compile_nodelist", counting)
    return names


def test_every_form_draws_with_the_one_renderer_of_the_process():
    assert FeedFilterForm().renderer is FeedFilterForm().renderer is FORM_RENDERER


@pytest.mark.parametrize(
    ("name", "args"), [("accounts:directory", []), ("timeline:frise", []), ("news:feed", ["pedagogie"])]
)
def test_a_page_with_forms_seen_again_compiles_no_template(client_as, counsellor, compiled, name, args):
    client, url = client_as(counsellor), reverse(name, args=args)
    assert client.get(url).status_code == 200  # the first time (or earlier tests): compiled, and kept
    compiled.clear()
    assert client.get(url).status_code == 200
    assert compiled == []


def test_a_template_edited_under_runserver_draws_the_kept_fields_again():
    """The fields drawn once per process (``ent.forms.FieldsDrawnOnce``) follow a template edited."""
    from pathlib import Path

    from django.conf import settings
    from django.utils.autoreload import file_changed

    from accounts.forms import SEARCH_FIELDS
    from timeline.forms import FILTER_FIELDS

    SEARCH_FIELDS.kept(None)
    assert SEARCH_FIELDS.kept.cache_info().currsize >= 1
    file_changed.send(sender=None, file_path=Path(settings.BASE_DIR) / "templates/accounts/directory.html")
    assert SEARCH_FIELDS.kept.cache_info().currsize == FILTER_FIELDS.kept.cache_info().currsize == 0
    assert 'id="id_q"' in SEARCH_FIELDS.kept(None)
