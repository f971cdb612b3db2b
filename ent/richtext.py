"""Rich text, once for every app: the editor's extensions, the nh3 policy, and how it is printed.

``RichTextField`` is a django-prose-editor ``ProseEditorField`` with the house list of extensions
(:func:`editor_extensions`; only the heading levels vary). What the editor offers is what the
sanitiser (nh3, through the package) keeps: no inline style (the strict CSP refuses style
attributes), no images in the text (they go through uploads), links to web and mail addresses
only, no script, no ``on*`` attribute.

The text is sanitised on the way in, whatever the way (form, admin, demo data, shell):

* ``pre_save`` of the field cleans the instance's value before every ``save()``, ``create()``
  and ``bulk_create()`` (so the object holds what is stored);
* ``get_db_prep_save`` cleans every value written, which covers ``QuerySet.update()`` and
  ``bulk_update()`` too.

The value read from a model is a :class:`RichText`, a ``str`` whose ``.html`` property is the
only way templates print it (``{{ post.body.html }}``): it is the text sanitised once more (a row
written by raw SQL, or under an older policy, is covered too) and marked safe. Printed as itself
(``{{ post.body }}``) the text is escaped, so a forgotten ``.html`` shows tags, never runs them.
No template applies ``|safe`` to a body.

The form field is the package's, with the shared widget ``ent.widgets.RichTextWidget`` (which runs
under the strict CSP) and the same sanitiser; the admin gets it too without configuration.
"""

from functools import cached_property

from django.db.models.query_utils import DeferredAttribute
from django.utils.safestring import SafeString, mark_safe
from django_prose_editor.fields import ProseEditorField, create_sanitizer

from .widgets import RichTextWidget

DEFAULT_HEADING_LEVELS = (2, 3)


def editor_extensions(*, heading_levels=DEFAULT_HEADING_LEVELS) -> dict:
    """What the editor offers, and therefore what the sanitiser keeps."""
    return {
        "Bold": True,
        "Italic": True,
        "Underline": True,
        "Strike": True,
        "Heading": {"levels": list(heading_levels)},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HardBreak": True,
        "HorizontalRule": True,
        "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
        # The browser's spell checker stays on: it helps, and it checks French.
        "NoSpellCheck": False,
    }


_default_sanitize = None


def _fallback_sanitize(text: str) -> str:
    global _default_sanitize
    if _default_sanitize is None:
        _default_sanitize = create_sanitizer(editor_extensions())
    return _default_sanitize(text)


class RichText(str):
    """A rich text value (HTML, sanitised when stored). Print it with ``.html``."""

    def __new__(cls, value="", field=None):
        obj = super().__new__(cls, value)
        obj.field = field
        return obj

    @cached_property
    def html(self) -> SafeString:
        sanitize = self.field.sanitize if self.field is not None else _fallback_sanitize
        return mark_safe(sanitize(str(self)))  # noqa: S308 - nh3 output, the policy of the field


class RichTextDescriptor(DeferredAttribute):
    """Reads give a :class:`RichText` (whatever was assigned); writes store the value as given."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, str) and not isinstance(value, RichText):
            value = RichText(value, self.field)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


def _is_rich_text_widget(widget) -> bool:
    if isinstance(widget, type):
        return issubclass(widget, RichTextWidget)
    return isinstance(widget, RichTextWidget)


class RichTextField(ProseEditorField):
    """A text field edited with the shared editor and sanitised on every write (see the module)."""

    descriptor_class = RichTextDescriptor

    def __init__(self, *args, heading_levels=DEFAULT_HEADING_LEVELS, **kwargs):
        self.heading_levels = tuple(heading_levels)
        kwargs.pop("extensions", None)
        kwargs.pop("config", None)
        kwargs["extensions"] = editor_extensions(heading_levels=self.heading_levels)
        kwargs["sanitize"] = True
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = self.sanitize(str(getattr(model_instance, self.attname) or ""))
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        if isinstance(value, str):
            value = self.sanitize(str(value))
        return super().get_db_prep_save(value, connection)

    def from_db_value(self, value, expression, connection):
        return value if value is None else RichText(value, self)

    def formfield(self, **kwargs):
        if not _is_rich_text_widget(kwargs.get("widget")):
            # The admin passes its textarea; the package's own widgets need an inline import map.
            kwargs["widget"] = RichTextWidget
        return super().formfield(**{"sanitize": self.sanitize, **kwargs})
