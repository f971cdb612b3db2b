import pytest

from accounts.models import Structure
from accounts.roles import viewer
from uploads import access


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """These tests create many people (the real hasher is not what they test) and speak plain HTTP."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _tasks_run_inline(monkeypatch):
    """Even when REDIS_URL is set, tasks run inline here (the worker test sets its own broker)."""
    from ent.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)


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
