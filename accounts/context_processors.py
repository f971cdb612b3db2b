from functools import cache as memoize

from ent import versions

from . import accessibility
from .models import District
from .permissions import can_use_admin

# The district's name is read from the database once per process and kept in memory, under a
# version stored in the shared cache (``ent.versions``): each request reads that version (one cache
# read, whatever number of times the templates show the name); ``district_changed``
# (District.save/delete) puts a new version, and every process reads the name again on its next request.
DEFAULT_DISTRICT_NAME = "Circonscription"


def _load_district_name() -> str:
    district = District.objects.only("name").order_by("pk").first()
    return district.name if district else DEFAULT_DISTRICT_NAME


_district_name = versions.ProcessMemo("district", _load_district_name)
DISTRICT_VERSION_KEY = _district_name.version_key


def district_name() -> str:
    return _district_name.get()


def district_changed() -> None:
    """The district's name changed: every process reads it again on its next request."""
    versions.bump("district")


def ent(request):
    """What the layout shows on every page: the district's name (read once per request, see
    ``district_name``), the admin link and the accessibility status of the footer (read from the
    tests' results)."""
    return {
        "ent_district_name": memoize(district_name),
        "ent_can_use_admin": lambda: can_use_admin(request.user),
        "ent_accessibility_status": lambda: accessibility.measures().status,
    }
