"""Forms say « (facultatif) » only of what they accept empty (one rule: ent.forms.requirement_note).

Every form class of the project's apps is instantiated and each of its visible fields drawn the
way the site draws it (``as_field_group``, i.e. ``components/form_field.html`` or
``form_choices.html``). Its label must say « (facultatif) » exactly when the field is optional in
every case, « (obligatoire <cas>) » when the form needs it in some cases only, and nothing else.
A field the form's ``clean()`` refuses when empty must not be called optional.
"""

import importlib
import inspect
import re
from datetime import date

import pytest
from django import forms

from ent.forms import OPTIONAL, DsfrFormMixin, requirement_note
from notifications import kinds
from tests.blogs.factories import SeriesFactory
from tests.factories import UserFactory
from timeline.dates import SchoolYear

pytestmark = pytest.mark.django_db

FORM_MODULES = [
    "accounts.forms",
    "news.forms",
    "timeline.forms",
    "blogs.forms",
    "notebooks.forms",
    "notifications.forms",
    "uploads.forms",
    "ent.forms",
    "mail.mailbox_forms",
    "mail.forms",
]
# Forms drawn by a template of their own, not by the site's field components.
OWN_TEMPLATES = {
    "accounts.forms.LoginForm": "allauth's sign-in, drawn by templates/account/login.html (every field is required)",
}
# Fields the form's clean() checks for their value, not for their presence (empty passes).
VALUE_CHECKS = {
    ("news.forms.PostForm", "expires_at"),  # after the publication date
    ("timeline.forms.EventForm", "end_date"),  # after the start, within a year
    ("blogs.forms.BlogForm", "confirm_public"),  # a checkbox (no mark), needed to make a blog public
    ("blogs.forms.PostForm", "image"),  # « choose it again » after another error
    ("blogs.forms.PostForm", "body"),  # a label of its own (the editor), no mark
}


def form_classes():
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            ours = issubclass(cls, forms.BaseForm) and cls.__module__ == name
            if ours and not cls.__name__.startswith("Dsfr"):
                found.append(cls)
    return found


def dotted(cls) -> str:
    return f"{cls.__module__}.{cls.__name__}"


def instantiate(cls):
    """The form as a page builds it (with the objects its constructor needs)."""
    user = UserFactory()
    kwargs = {
        "news.forms.PostForm": {"user": user, "feed": "pedagogie"},
        "timeline.forms.FriseFilterForm": {"year": SchoolYear(2026)},
        "timeline.forms.EventForm": {"mode": "district"},
        "blogs.forms.PostForm": {"blog": SeriesFactory(series_start=date(2026, 9, 7))},
        "notifications.forms.PreferencesForm": {"offered": kinds.all_kinds(), "initial_frequencies": {}},
        "uploads.forms.MediaUploadForm": {"kind": "image"},
    }.get(dotted(cls), {})
    if dotted(cls) == "accounts.forms.InvitationPasswordForm":
        return cls(user)
    return cls(**kwargs)


def label_of(html: str) -> str:
    match = re.search(r"<(label|legend)\b[^>]*>(.*?)</\1>", html, re.DOTALL)
    assert match, html
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(2)).split())


def refused_when_empty_in_clean(cls) -> set[str]:
    """The fields a form's own ``clean()`` adds an error to (read from its source)."""
    names = set()
    for klass in cls.__mro__:
        if klass.__module__.split(".")[0] in {
            "accounts",
            "news",
            "timeline",
            "blogs",
            "notebooks",
            "notifications",
            "uploads",
        }:
            names |= set(re.findall(r"add_error\(\s*\"(\w+)\"", inspect.getsource(klass)))
    return names


@pytest.mark.parametrize("cls", form_classes(), ids=dotted)
def test_labels_say_facultatif_only_of_what_is_optional(cls):
    if dotted(cls) in OWN_TEMPLATES:
        assert not issubclass(cls, DsfrFormMixin)
        return
    assert issubclass(cls, DsfrFormMixin), f"{dotted(cls)} is drawn without the site's field components"
    form = instantiate(cls)

    for bound in form.visible_fields():
        html = str(bound.as_field_group())
        label = label_of(html)
        field = bound.field
        when = getattr(field, "required_when", "")
        if bound.widget_type == "checkbox":
            assert OPTIONAL not in label, (bound.name, label)  # a lone checkbox is never « facultatif »
            continue
        if field.required or not form.mark_optional:
            assert "(facultatif)" not in label and "(obligatoire" not in label, (bound.name, label)
        elif when:
            assert label.endswith(f"(obligatoire {when})") or f"(obligatoire {when})" in label, (bound.name, label)
            assert "(facultatif)" not in label, (bound.name, label)
        else:
            assert "(facultatif)" in label, (bound.name, label)
        assert requirement_note(bound) in label


@pytest.mark.parametrize("cls", form_classes(), ids=dotted)
def test_no_field_refused_empty_by_clean_is_called_optional(cls):
    if dotted(cls) in OWN_TEMPLATES:
        return
    form = instantiate(cls)
    called_optional = {b.name for b in form.visible_fields() if requirement_note(b) == OPTIONAL}

    wrongly = {
        name for name in called_optional & refused_when_empty_in_clean(cls) if (dotted(cls), name) not in VALUE_CHECKS
    }

    assert wrongly == set()


def test_the_blog_post_form_names_when_the_week_and_the_image_description_are_needed(admin_user):
    blog = SeriesFactory(series_start=date(2026, 9, 7))
    monday = date(2026, 12, 7)
    form = forms_post(blog, monday, {"title": "Digipad", "body": "<p>Texte</p>", "action": "publier"})

    assert not form.is_valid()
    assert form.errors["week"] == ["Choisissez la semaine de ce tutoriel."]
    week_label = label_of(str(form["week"].as_field_group()))
    alt_label = label_of(str(form["image_alt"].as_field_group()))
    assert week_label.startswith("Semaine (obligatoire pour programmer ou publier)")
    assert alt_label.startswith("Description de l’image (texte alternatif) (obligatoire avec une image)")
    assert "(facultatif)" not in week_label + alt_label
    # What is truly optional still says so.
    assert label_of(str(form["image_caption"].as_field_group())) == "Légende de l’image (facultatif)"
    assert forms_post(blog, monday, {"title": "Digipad", "week": monday.isoformat(), "action": "brouillon"}).is_valid()


def forms_post(blog, monday, data):
    from blogs.forms import PostForm
    from blogs.weeks import SchoolWeek

    return PostForm(data=data, blog=blog, week_choices=[SchoolWeek(monday=monday, number=13)])


def test_a_filter_form_marks_nothing():
    from accounts.forms import DirectorySearchForm

    form = DirectorySearchForm()

    assert label_of(str(form["q"].as_field_group())) == "Rechercher une école Nom, commune ou code UAI"
