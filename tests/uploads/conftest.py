import pytest

from accounts.models import Structure
from accounts.roles import viewer
from uploads import access


def _members_see_their_school(user, structure) -> bool:
    return structure.pk in viewer(user).structure_ids


@pytest.fixture
def school_holder(school):
    """Schools hold media in these tests: the school's members may see them."""
    access.register_holder(Structure, _members_see_their_school)
    yield school
    access.unregister_holder(Structure)


@pytest.fixture
def process_now(django_capture_on_commit_callbacks):
    """Run what the upload enqueues (Celery is eager in tests) as if the transaction committed."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = function(**kwargs)
        if hasattr(result, "refresh_from_db"):
            result.refresh_from_db()
        return result

    return run


def pytest_generate_tests(metafunc):
    """Every uploads test runs twice: media on this host's disk, then on a real S3 API (moto's
    server on loopback, ``tests/s3.py``), as with several hosts."""
    if "media_storage" in metafunc.fixturenames:
        params = ["disque"]
        # Browser journeys, and a worker process (it gets MEDIA_ROOT, not the test's bucket), on disk only.
        in_process = "celery_worker_process" not in metafunc.fixturenames
        if in_process and not metafunc.definition.get_closest_marker("browser"):
            # A real server on loopback (about half a second a test): a "services" test, run by CI.
            params.append(pytest.param("s3", marks=pytest.mark.services))
        metafunc.parametrize("media_storage", params, indirect=True)


@pytest.fixture(autouse=True)
def media_storage(request):
    """Which storage the test's media are on (see ``pytest_generate_tests``)."""
    if request.param == "s3":
        request.getfixturevalue("s3_media")
    return request.param
