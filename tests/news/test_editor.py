"""The rich text editor is served by the project and loads under the strict CSP (no inline code)."""

import re

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_the_editor_page_has_no_inline_script_or_style(counsellor, client_as):
    response = client_as(counsellor).get(reverse("news:post-create", args=["pedagogie"]))
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
    assert re.search(r'<script src="/static/news/prose-editor.js" type="module">', page)
    assert "data-django-prose-editor-configurable" in page


def test_the_editor_assets_are_served_by_the_project():
    for path in (
        "news/prose-editor.js",
        "news/prose-editor.css",
        "django_prose_editor/editor.js",
        "django_prose_editor/editor.css",
        "django_prose_editor/material-icons.css",
        "django_prose_editor/material-icons.woff2",
    ):
        assert finders.find(path), path


def test_the_module_imports_the_package_editor_by_a_relative_url():
    with open(finders.find("news/prose-editor.js"), encoding="utf-8") as source:
        code = source.read()
    assert 'from "../django_prose_editor/editor.js"' in code
    assert "injectCSS: false" in code


def test_the_admin_uses_the_csp_friendly_editor(admin_user, client_as):
    from .factories import PostFactory

    post = PostFactory()
    page = client_as(admin_user).get(f"/admin/news/post/{post.pk}/change/").content.decode()
    assert "news/prose-editor.js" in page and "importmap" not in page
