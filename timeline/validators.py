"""Validators of the frise's links, shared by the model (admin) and the forms."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

RELATED_URL_MESSAGE = (
    "Saisissez un lien vers une page du site (commençant par /) ou une adresse web complète (https://…)."
)
VIDEO_URL_MESSAGE = "Saisissez une adresse web valide, par exemple https://visio.education.fr/…"

validate_web_url = URLValidator(schemes=["http", "https"], message=VIDEO_URL_MESSAGE)


def is_site_path(value: str) -> bool:
    """Whether ``value`` is a path of this site (« /actualites/… »), which no browser reads as another site.

    Browsers take a backslash for a slash (« /\\evil.example » is « //evil.example ») and drop
    control characters, so both are refused, as is anything with a scheme or a host.
    """
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return False
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc and parts.path.startswith("/")


def validate_related_url(value: str) -> None:
    """A page of this site (« /actualites/… ») or a full web address (http or https): never javascript:."""
    if value.startswith(("/", "\\")):
        if not is_site_path(value):
            raise ValidationError(RELATED_URL_MESSAGE, code="invalid")
        return
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError(RELATED_URL_MESSAGE, code="invalid") from None
