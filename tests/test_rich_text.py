"""The rich text editor shared by the apps (ent.widgets.RichTextWidget) loads under the strict CSP.

django-prose-editor's own widget needs an inline import map and Tiptap injects a <style>: the
pages that edit rich text must carry neither, and load the project's module instead.
"""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from ent.widgets import RichTextWidget
from tests.blogs.factories import BlogFactory
from tests.blogs.factories import PostFactory as BlogPostFactory
from tests.news.factories import PostFactory as NewsPostFactory

pytestmark = pytest.mark.django_db

MODULE = '<script src="/static/ent/prose-editor.js" type="module">'


def _news_form(counsellor):
    return reverse("news:post-create", args=["pedagogie"])


def _blogs_form(counsellor):
    blog = BlogFactory(contributors=[counsellor])
    return reverse("blogs:post-create", args=[blog.slug])


@pytest.mark.parametrize("url_of", [_news_form, _blogs_form], ids=["news", "blogs"])
def test_the_editor_pages_have_no_inline_script_or_style(url_of, counsellor, client_as):
    response = client_as(counsellor).get(url_of(counsellor))
    assert response.status_code == 200
    page = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
    assert scripts
    for attributes, content in scripts:
        assert "src=" in attributes and not content.strip(), attributes
    assert "importmap" not in page
    assert not re.search(r"<style\b", page)
    assert not re.search(r'\sstyle="', page)
    assert page.count(MODULE) == 1
    assert '<link href="/static/ent/prose-editor.css"' in page
    assert "data-django-prose-editor-configurable" in page


@pytest.mark.parametrize(
    ("factory", "admin_url"),
    [(NewsPostFactory, "/admin/news/post/{}/change/"), (BlogPostFactory, "/admin/blogs/post/{}/change/")],
    ids=["news", "blogs"],
)
def test_the_admins_use_the_shared_editor(factory, admin_url, admin_user, client_as):
    post = factory()
    page = client_as(admin_user).get(admin_url.format(post.pk)).content.decode()
    assert MODULE in page and "importmap" not in page
    assert "data-django-prose-editor-configurable" in page


def test_the_widget_keeps_the_field_configuration():
    widget = RichTextWidget()
    widget.config = {"extensions": {"Bold": True}}
    html = widget.render("body", "<p>Bonjour</p>", attrs={"id": "id_body"})
    assert "data-django-prose-editor-configurable=" in html and "Bold" in html
    assert "&lt;p&gt;Bonjour&lt;/p&gt;" in html


def test_the_editor_assets_are_served_by_the_project():
    for path in (
        "ent/prose-editor.js",
        "ent/prose-editor.css",
        "django_prose_editor/editor.js",
        "django_prose_editor/editor.css",
        "django_prose_editor/material-icons.css",
        "django_prose_editor/material-icons.woff2",
    ):
        assert finders.find(path), path


def test_the_module_imports_the_package_editor_by_a_relative_url_after_its_translations():
    with open(finders.find("ent/prose-editor.js"), encoding="utf-8") as source:
        code = source.read()
    # The package reads window.gettext when its module is evaluated: it is imported afterwards.
    assert code.index("window.gettext =") < code.index('await import("../django_prose_editor/editor.js")')
    assert "injectCSS: false" in code
