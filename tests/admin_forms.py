"""Submit a Django admin change form as the browser would: the page's own values, plus changes."""

from django import forms


def _field_data(form, data: dict) -> None:
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        widget = field.widget
        if isinstance(widget, forms.MultiWidget):
            parts = widget.decompress(value)
            for index, part in enumerate(parts):
                data[f"{key}_{index}"] = "" if part is None else str(part)
        elif isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
        elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            data[key] = [str(item) for item in value or ()]
        else:
            data[key] = "" if value is None else str(value)


def admin_form_data(response, **changes) -> dict:
    """The values of the change (or add) form of ``response``, with ``changes`` applied."""
    data: dict = {}
    _field_data(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _field_data(formset.management_form, data)
        for form in formset.forms:
            _field_data(form, data)
    data.update(changes)
    return data
