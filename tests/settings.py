"""Settings for the test suite: the project's settings, plus a test-only app and a fast hasher."""

from ent.settings import *  # noqa: F403
from ent.settings import INSTALLED_APPS

# A model with an audience, to test accounts.audiences without depending on a feature app.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]

# Hashing passwords the production way costs ~0.3 s each; tests create hundreds of people.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests run with DEBUG=false like production, but over plain HTTP (test client, live server).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Static files: the tests run without `collectstatic` (it would cost every run, and every test
# process, a collection of the whole tree), so they keep the plain storage that production's
# DEBUG=false replaces by the hashed and compressed one; whitenoise serves the apps' folders.
# tests/test_static_files.py runs `collectstatic` with the production storage into a temporary
# folder and checks the hashed names, the .gz files and the service worker's version.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

# Tasks run inline in tests, even when REDIS_URL is set; the `celery_worker_process` fixture
# switches to a real worker on Redis for the tests that exercise one.
CELERY_TASK_ALWAYS_EAGER = env.bool("ENT_WORKER_EAGER", default=True)  # noqa: F405
CELERY_TASK_EAGER_PROPAGATES = True

# Django's PostgreSQL pool keeps connections open across tests, which the live server's threads
# and the test database's teardown trip over; tests use plain connections.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)  # noqa: F405

# A test that starts its own server processes on a shared Redis gives them (and itself) a prefix of
# their own, so that nothing else using that Redis database meets their keys.
if env("ENT_TEST_CACHE_KEY_PREFIX", default=""):  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = env("ENT_TEST_CACHE_KEY_PREFIX")  # noqa: F405

# The daily visit record (one write per person and day) would make a test's first request cost more
# than the next ones; the adoption tests turn it on.
ENT_RECORD_LAST_SEEN = False
