from django.core.cache import cache

from . import accessibility
from .models import District
from .permissions import can_use_admin

DISTRICT_CACHE_KEY = "accounts:district-name"


def district_name() -> str:
    name = cache.get(DISTRICT_CACHE_KEY)
    if name is None:
        district = District.objects.only("name").first()
        name = district.name if district else "Circonscription"
        cache.set(DISTRICT_CACHE_KEY, name, 300)
    return name


def ent(request):
    """What the layout shows on every page: the district's name (cached), the admin link and the
    accessibility status of the footer (read from the tests' results)."""
    return {
        "ent_district_name": district_name,
        "ent_can_use_admin": lambda: can_use_admin(request.user),
        "ent_accessibility_status": lambda: accessibility.measures().status,
    }
