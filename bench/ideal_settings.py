"""The ideal page's settings (bench/pages.py only): the site's settings, no middleware, its own URLs."""

from ent.settings import *  # noqa: F403

# Its apps are the site's, less allauth.account (which insists on its middleware): the models load as on the site.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "allauth.account"]  # noqa: F405
MIDDLEWARE = []
ROOT_URLCONF = "bench.ideal_urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bench" / "templates"],  # noqa: F405
        "APP_DIRS": False,
        "OPTIONS": {"context_processors": []},
    }
]
