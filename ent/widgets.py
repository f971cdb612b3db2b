"""The rich text editor of every app, loaded without any inline script or style (strict CSP).

django-prose-editor's own widget media renders an import map, an inline
``<script type="importmap">`` that the site's policy (``script-src 'self'``) refuses, and Tiptap
injects a ``<style>`` element at start-up, refused by ``style-src 'self'``. ``RichTextWidget``
keeps the package's textarea and its ``data-django-prose-editor-configurable`` attribute (the
extensions of the model or form field) but loads ``static/ent/prose-editor.js`` instead: a module
that imports the package's editor by a relative URL (no import map), starts Tiptap with
``injectCSS: false`` and speaks French. The base rules Tiptap would have injected, and the DSFR
colours, are in ``static/ent/prose-editor.css``.

``ent.richtext.RichTextField`` gives it to its form fields (site forms and the admin alike); render
``{{ form.media }}``.
"""

from django import forms
from django.forms.widgets import Script
from django_prose_editor.widgets import ProseEditorWidget


class RichTextWidget(ProseEditorWidget):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("preset", "configurable")
        super().__init__(*args, **kwargs)

    @property
    def media(self):
        return forms.Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "ent/prose-editor.css",
                ]
            },
            js=[Script("ent/prose-editor.js", type="module")],
        )
