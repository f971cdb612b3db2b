"""The one rich-text field (ent.richtext.RichTextField): sanitised on every write, printed by ``.html``."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.utils.safestring import SafeData

from ent.richtext import RichText, RichTextField, editor_extensions
from ent.widgets import RichTextWidget
from tests.testapp.models import Article

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p onclick="alert(1)" style="color:red">Bonjour <strong>la classe</strong></p>'
    "<script>alert('script')</script><style>p{color:red}</style>"
    '<img src="x" onerror="alert(1)"><a href="javascript:alert(1)">piège</a>'
)
CLEAN = "<p>Bonjour <strong>la classe</strong></p><a>piège</a>"

KEPT = (
    "<h2>Titre</h2><h3>Sous-titre</h3>"
    "<p><strong>gras</strong> <em>italique</em> <u>souligné</u> <s>barré</s><br>« guillemets » &amp; &lt;chevrons&gt;</p>"
    "<ul><li><p>un</p></li></ul><ol><li><p>deux</p></li></ol><blockquote><p>citation</p></blockquote><hr>"
    '<p><a href="https://eduscol.education.fr/?a=1&amp;b=2">Éduscol</a> '
    '<a href="mailto:ce.0860001a@ac-poitiers.fr">écrire</a></p>'
)


def _stored(article):
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM testapp_article WHERE id = %s", [article.pk])
        return cursor.fetchone()[0]


def test_create_sanitises_the_object_and_what_is_stored():
    article = Article.objects.create(body=HOSTILE)
    assert article.body == CLEAN
    assert _stored(article) == CLEAN


def test_save_after_an_assignment_sanitises():
    article = Article.objects.create()
    article.body = HOSTILE
    article.save()
    assert article.body == CLEAN
    assert _stored(article) == CLEAN


def test_update_and_bulk_writes_are_sanitised_too():
    article = Article.objects.create(body="<p>ok</p>")
    Article.objects.filter(pk=article.pk).update(body=HOSTILE)
    assert _stored(article) == CLEAN

    [created] = Article.objects.bulk_create([Article(body=HOSTILE)])
    assert created.body == CLEAN

    article.body = HOSTILE
    Article.objects.bulk_update([article], ["body"])
    assert _stored(article) == CLEAN


def test_html_escapes_nothing_that_the_policy_keeps():
    article = Article.objects.create(body=KEPT)
    article.refresh_from_db()
    assert isinstance(article.body, RichText)
    assert article.body == KEPT
    assert isinstance(article.body.html, SafeData)
    assert article.body.html == KEPT


def test_html_drops_script_style_and_event_attributes_even_from_a_row_written_by_raw_sql():
    article = Article.objects.create(body="<p>ok</p>")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE testapp_article SET body = %s WHERE id = %s", [HOSTILE, article.pk])
    article.refresh_from_db()
    assert article.body == HOSTILE  # what is stored, as it is
    assert article.body.html == CLEAN


def test_templates_print_the_value_escaped_unless_through_html():
    article = Article.objects.create(body="<p>Bonjour</p>")
    rendered = Template("{{ a.body }}|{{ a.body.html }}").render(Context({"a": article}))
    assert rendered == "&lt;p&gt;Bonjour&lt;/p&gt;|<p>Bonjour</p>"


def test_an_assigned_value_not_yet_saved_is_sanitised_by_html():
    article = Article(body=HOSTILE)
    assert article.body.html == CLEAN


def test_heading_levels_are_a_parameter_of_the_field():
    article = Article.objects.create(body="<h2>a</h2><h4>b</h4>", notes="<h2>a</h2><h4>b</h4>")
    assert article.body == "<h2>a</h2>b"
    assert article.notes == "<h2>a</h2><h4>b</h4>"
    assert editor_extensions(heading_levels=(2, 3, 4))["Heading"] == {"levels": [2, 3, 4]}


def test_an_empty_editor_is_an_empty_text():
    assert Article.objects.create(body="<p></p>").body == ""


def test_the_form_field_uses_the_shared_widget_and_sanitises():
    field = Article._meta.get_field("body")
    assert isinstance(field, RichTextField)
    form_field = field.formfield()
    assert isinstance(form_field.widget, RichTextWidget)
    assert form_field.widget.config["extensions"] == editor_extensions()
    assert form_field.clean(HOSTILE) == CLEAN


def test_the_field_adds_no_migration_of_its_own():
    name, path, args, kwargs = Article._meta.get_field("notes").deconstruct()
    assert (name, path, kwargs) == ("notes", "django.db.models.TextField", {"blank": True})
