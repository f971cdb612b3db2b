"""Validators of the frise's links, shared by the model (admin) and the forms."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

RELATED_URL_MESSAGE = (
    "Saisissez un lien vers une page du site (commençant par /) ou une adresse web complète (https://…)."
)
VIDEO_URL_MESSAGE = "Saisissez une adresse web valide, par exemple https://visio.education.fr/…"

validate_web_url = URLValidator(schemes=["http", "https"], message=VIDEO_URL_MESSAGE)


def validate_related_url(value: str) -> None:
    """A page of this site (« /actualites/… ») or a full web address (http or https): never javascript:."""
    if value.startswith("/"):
        if value.startswith("//") or any(c.isspace() for c in value):
            raise ValidationError(RELATED_URL_MESSAGE, code="invalid")
        return
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError(RELATED_URL_MESSAGE, code="invalid") from None
