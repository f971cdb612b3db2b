"""ent.forms: a service's refusal is shown on the form that was sent, whatever its shape."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ent.forms import DsfrForm


class NoteForm(DsfrForm):
    title = forms.CharField()
    attachment = forms.FileField(required=False)


def _bound(files=None):
    form = NoteForm({"title": "Gardé"}, files)
    assert form.is_valid()
    return form


def test_messages_go_on_the_fields_the_form_has_and_above_it_otherwise():
    form = _bound()

    form.add_service_errors(ValidationError({"title": "Trop court.", "week": "Semaine prise.", "__all__": "Non."}))

    assert form.errors == {"title": ["Trop court."], "__all__": ["Semaine prise.", "Non."]}
    assert form["title"].value() == "Gardé"


def test_a_permission_refusal_says_its_message_or_a_general_one():
    said, silent = _bound(), _bound()

    said.add_service_errors(PermissionDenied("Vous ne dirigez pas cette école."))
    silent.add_service_errors(PermissionDenied())

    assert said.non_field_errors() == ["Vous ne dirigez pas cette école."]
    assert silent.non_field_errors() == ["Cette action ne vous est pas permise : rien n’a été enregistré."]


def test_a_file_sent_is_asked_again_once():
    form = _bound({"attachment": SimpleUploadedFile("a.txt", b"x")})

    form.add_service_errors(ValidationError("Refusé."))
    form.add_service_errors(ValidationError("Encore refusé."))

    assert form.non_field_errors() == ["Refusé.", NoteForm.files_not_kept, "Encore refusé."]
