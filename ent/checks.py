"""The project's own system checks, run by ``manage.py check --deploy``."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Caches that each process keeps for itself (or does not keep at all).
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Production needs one cache shared by every web process (Redis).

    allauth keeps in the default cache the mark of each two-factor code already used and the
    counters of its rate limits (sign-in failures per account and per address). With a cache
    per process, each gunicorn worker has its own: a code works once per worker, and the limits
    let through as many attempts as there are workers times the configured number.
    """
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
        return []
    return [
        Error(
            "DEBUG=false sans cache partagé : le cache par défaut est propre à chaque processus "
            f"({backend.rsplit('.', 1)[-1]}).",
            hint=(
                "Définissez REDIS_URL (par exemple redis://redis:6379/0). Sans cache partagé, chaque "
                "processus web garde pour lui les codes de double authentification déjà utilisés et les "
                "compteurs des limites de connexion : un code servirait une fois par processus et les "
                "limites laisseraient passer plusieurs fois le nombre de tentatives prévu."
            ),
            id="ent.E001",
        )
    ]
