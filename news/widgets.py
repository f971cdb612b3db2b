"""The rich text editor, loaded without any inline script or style (strict CSP).

django-prose-editor's own widget media renders an import map, which is an inline
``<script type="importmap">``: the strict policy (``script-src 'self'``) refuses it, and Tiptap
also injects a ``<style>`` element at start-up. This widget keeps the package's textarea and
configuration attribute but loads ``static/news/prose-editor.js``, a module that imports the
package's editor by a relative URL (no import map) and starts Tiptap with ``injectCSS: false``;
the few base rules Tiptap would have injected are in ``static/news/prose-editor.css``.
"""

from django import forms
from django.forms.widgets import Script
from django_prose_editor.widgets import ProseEditorWidget


class CspProseEditorWidget(ProseEditorWidget):
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
                    "news/prose-editor.css",
                ]
            },
            js=[Script("news/prose-editor.js", type="module")],
        )
