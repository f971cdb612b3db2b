"""The project's own system checks, run by ``manage.py check --deploy``."""

from urllib.parse import urlsplit

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


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    """Production says where it is served: ``ENT_SITE_URL`` starts every link sent out.

    Invitations, notification e-mails, unsubscribe links, Atom feeds and calendars are read away
    from the site: their links cannot come from a request, only from this setting. Its default is
    the development server's address (``make run``), which in production would send every person
    to port 8000 of their own computer.
    """
    if settings.DEBUG:
        return []
    url = getattr(settings, "ENT_SITE_URL", "") or ""
    parts = urlsplit(url)
    if url and url != settings.ENT_SITE_URL_DEVELOPMENT and parts.scheme in {"http", "https"} and parts.hostname:
        return []
    reason = (
        "n’est pas défini"
        if not url
        else "vaut l’adresse du serveur de développement"
        if url == settings.ENT_SITE_URL_DEVELOPMENT
        else f"n’est pas une adresse http(s) complète ({url!r})"
    )
    return [
        Error(
            f"DEBUG=false et ENT_SITE_URL {reason}.",
            hint=(
                "Définissez ENT_SITE_URL à l’adresse publique du site, par exemple https://ent.circonscription.fr : "
                "les liens des invitations, des e-mails de notification, des flux et des agendas commencent par "
                "elle. Sans elle, ils mèneraient au port 8000 de l’ordinateur de chaque destinataire."
            ),
            id="ent.E002",
        )
    ]


@register(Tags.security, deploy=True)
def check_vapid_key(app_configs, **kwargs):
    """Production signs its pushes with its own VAPID key (``ENT_VAPID_PRIVATE_KEY``).

    Without it, the development key generated under ``var/`` would be used: a key that changes
    with every new machine, after which every device's subscription is refused by the push
    services (a subscription is bound to the key it was made with).
    """
    if settings.DEBUG:
        return []
    key = getattr(settings, "ENT_VAPID_PRIVATE_KEY", "") or ""
    reason = None
    if not key:
        reason = "n’est pas défini"
    else:
        try:
            from notifications.push import _vapid_for

            _vapid_for(key)
        except Exception:
            reason = "n’est pas une clé privée P-256 lisible (base64url brute, DER ou PEM)"
    if reason is None:
        return []
    return [
        Error(
            f"DEBUG=false et ENT_VAPID_PRIVATE_KEY {reason}.",
            hint=(
                "Créez la paire de clés des notifications sur les appareils avec « manage.py vapid_keys » et "
                "définissez ENT_VAPID_PRIVATE_KEY (et ENT_VAPID_SUBJECT, « mailto:… ») : sans elle, les services "
                "de notification refuseraient les envois, et changer de clé désabonne tous les appareils."
            ),
            id="ent.E003",
        )
    ]
