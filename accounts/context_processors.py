import uuid
from functools import cache as memoize

from django.core.cache import cache
from django.db import transaction

from . import accessibility
from .models import District
from .permissions import can_use_admin

# The district's name is read from the database once per process and kept in memory, under a
# version stored in the shared cache: each request reads that version (one cache read, whatever
# number of times the templates show the name); ``district_changed`` (District.save/delete) puts a
# new version, and every process reads the name again on its next request.
DISTRICT_VERSION_KEY = "accounts:district-version"
DEFAULT_DISTRICT_NAME = "Circonscription"
_memo: tuple[str, str] | None = None  # (version, name)


def district_name() -> str:
    global _memo
    version = cache.get(DISTRICT_VERSION_KEY)
    memo = _memo
    if version is not None and memo is not None and memo[0] == version:
        return memo[1]
    if version is None:
        # No version yet (an empty cache): make one; another process that made its own first wins.
        cache.add(DISTRICT_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(DISTRICT_VERSION_KEY)
    district = District.objects.only("name").order_by("pk").first()
    name = district.name if district else DEFAULT_DISTRICT_NAME
    if version is not None:  # the cache unreachable: nothing is kept, the next request reads again
        _memo = (version, name)
    return name


def district_changed() -> None:
    """The district's name changed: every process reads it again on its next request. Bumped now
    (this process, this transaction) and again once the transaction commits, so that another process
    that read the old name in between does not keep it under the new version."""
    cache.set(DISTRICT_VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(DISTRICT_VERSION_KEY, uuid.uuid4().hex, None))


def ent(request):
    """What the layout shows on every page: the district's name (read once per request, see
    ``district_name``), the admin link and the accessibility status of the footer (read from the
    tests' results)."""
    return {
        "ent_district_name": memoize(district_name),
        "ent_can_use_admin": lambda: can_use_admin(request.user),
        "ent_accessibility_status": lambda: accessibility.measures().status,
    }
