"""Settings of the ENT de circonscription, read from the environment (django-environ).

The embedded default needs nothing else: SQLite under ``var/``, Celery tasks run inline, cache in
local memory and e-mails written to files under ``var/mail/``. Production sets ``DATABASE_URL``
(PostgreSQL), ``REDIS_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and the e-mail variables; see
README.md for the full list.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

# The default is for development and tests only: ``check --deploy`` rejects it (security.W009).
SECRET_KEY = env("SECRET_KEY", default="django-insecure-dev-only-key")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# When set, a missing PostgreSQL/Redis/Chromium makes the tests that need it fail instead of skip.
ENT_REQUIRE_SERVICES = env.bool("ENT_REQUIRE_SERVICES", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "dsfr",
    "widget_tweaks",  # django-dsfr's field templates load it
    "django_htmx",
    "template_partials",
    "django_prose_editor",
    "django_celery_beat",
    "csp",
    "ent",
    "accounts",
    "audit",
    "notifications",
    "uploads",
    "privacy",
    "news",
    "timeline",
    "blogs",
    "mail",
    "notebooks",
    "resources",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what the middleware below and the views answer (whitenoise, above, answers the
    # static files itself, precompressed); before anything that reads or changes the body.
    "ent.middleware.PageGZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "ent.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ent.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    "accounts.middleware.LastSeenMiddleware",
    "ent.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "ent.urls"
WSGI_APPLICATION = "ent.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "search.help.help_link",
                "accounts.context_processors.ent",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3 with Django's own connection pool (persistent connections must then stay off).
    # Tuned so that PostgreSQL restarting is survived without restarting anything: a connection is
    # checked before it is lent (CONN_HEALTH_CHECKS: Django then gives the pool psycopg's
    # check_connection, and a connection broken by the restart is replaced, never lent), a request
    # waits DB_POOL_TIMEOUT seconds at most for one (then the French 503 page,
    # ent.middleware.DatabaseUnavailableMiddleware), and the pool keeps trying to reconnect in the
    # background. Per process: gunicorn's workers × max_size (+ the Celery workers') must stay under
    # PostgreSQL's max_connections.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=10),
        "timeout": env.float("DB_POOL_TIMEOUT", default=3.0),
        "max_idle": env.float("DB_POOL_MAX_IDLE", default=300.0),
        "max_lifetime": env.float("DB_POOL_MAX_LIFETIME", default=1800.0),
        "reconnect_timeout": env.float("DB_POOL_RECONNECT_TIMEOUT", default=60.0),
    }
    # A connection attempt to a PostgreSQL that does not answer gives up quickly.
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=3))
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and shared cache --------------------------------------------------
# Production needs it: allauth keeps the used two-factor codes and the sign-in rate-limit counters
# in the default cache, which must be shared by every process (system check ent.E001).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # ent.cache: a Redis outage is an empty cache, not an error page (see that module).
    CACHES = {
        "default": {
            "BACKEND": "ent.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

# Redis down: the cache stops asking it for this many seconds at a time (ent.cache).
ENT_CACHE_RETRY_AFTER = env.float("ENT_CACHE_RETRY_AFTER", default=2.0)

CELERY_TIMEZONE = "Europe/Paris"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "accounts.*": {"queue": "email"},
    "notifications.*": {"queue": "email"},
    "uploads.*": {"queue": "media"},
    "notebooks.export_book": {"queue": "media"},
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
# Above the longest task, so that an unacknowledged task is not handed to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker keeps trying to reach a stopped Redis instead of exiting; publishing gives up quickly
# (ent.queue's retry policy) and the sweeps queue again what was not published.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] = 2
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A media item still pending, or an invitation still unsent, this many seconds after it was queued
# counts as stuck: its app's sweep queues it again (at most once per this delay). Above the longest
# task's hard time limit (uploads: 660 s), so that a run still in progress is not doubled.
ENT_QUEUE_STUCK_AFTER = env.int("ENT_QUEUE_STUCK_AFTER", default=15 * 60)
# An immediate e-mail claimed by a worker that died mid-send is marked failed (never sent twice)
# after this many seconds: above the longest task's hard time limit.
ENT_EMAIL_CLAIM_STALE_AFTER = env.int("ENT_EMAIL_CLAIM_STALE_AFTER", default=15 * 60)
# How often (seconds) beat runs the sweeps, and the publication of due rows (ent.publish_due).
ENT_SWEEP_EVERY = env.float("ENT_SWEEP_EVERY", default=300.0)
ENT_PUBLISH_EVERY = env.float("ENT_PUBLISH_EVERY", default=60.0)
# Fixed schedules, synced into django-celery-beat's tables when beat starts (times in CELERY_TIMEZONE).
CELERY_BEAT_SCHEDULE = {
    # Every registered publishable model (news, blogs…): see ent.publication.
    "ent.publish_due": {"task": "ent.publish_due", "schedule": ENT_PUBLISH_EVERY},
    "uploads-purge": {"task": "uploads.purge_media", "schedule": 6 * 3600},
    "notifications-sweep": {"task": "notifications.sweep", "schedule": ENT_SWEEP_EVERY},
    # The other sweeps: queue again the work never queued or lost (broker down; see ent/queue.py).
    "accounts-sweep": {"task": "accounts.sweep", "schedule": ENT_SWEEP_EVERY},
    "uploads-sweep": {"task": "uploads.sweep", "schedule": ENT_SWEEP_EVERY},
    "notebooks-sweep": {"task": "notebooks.sweep", "schedule": ENT_SWEEP_EVERY},
    "notifications-daily-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(minute=0, hour=7),
        "args": ["daily"],
    },
    "notifications-weekly-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
        "args": ["weekly"],
    },
    # Before the daily digest, so that a reminder someone receives by digest is in that day's.
    "timeline-deadline-reminders": {
        "task": "timeline.send_deadline_reminders",
        "schedule": crontab(minute=45, hour=6),
    },
    # The messaging's retention (ENT_MAIL_RETENTION_DAYS, ENT_MAIL_TRASH_DAYS), at night.
    "mail-purge": {"task": "mail.purge", "schedule": crontab(minute=30, hour=3)},
    # The other retention rules (privacy/retention.py), at night; the ended accounts too.
    "privacy-purge-notifications": {"task": "privacy.purge_notifications", "schedule": crontab(minute=40, hour=3)},
    "privacy-purge-sessions": {"task": "privacy.purge_sessions", "schedule": crontab(minute=45, hour=3)},
    "privacy-purge-exports": {"task": "privacy.purge_exports", "schedule": crontab(minute=0, hour="*/6")},
    "privacy-purge-ended-accounts": {"task": "privacy.purge_ended_accounts", "schedule": crontab(minute=50, hour=3)},
}

# --- Authentication (django-allauth) --------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# None: the login form asks "Rester connecté"; unticked, the session ends with the browser.
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ENT] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
# The per-IP limits count the person's address only if allauth knows how many proxies of ours
# stand in front of Django: behind nginx (deploy/nginx.conf appends the address it saw to
# X-Forwarded-For) it is 1, 2 with a TLS proxy before nginx that appends too. 0 (no proxy):
# X-Forwarded-For is ignored, since anyone can write it.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ENT de circonscription"
# Sessions in the database, shared by every web host, read through the cache: a page reads the
# person's session from Redis, not PostgreSQL; a Redis outage (an empty cache, see ent.cache) reads
# it from the database again and signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
# An invitation link is valid this long (seconds).
ENT_INVITATION_MAX_AGE = env.int("ENT_INVITATION_MAX_AGE", default=7 * 24 * 3600)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ENT de circonscription <ne-pas-repondre@ent.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in e-mails (invitations, notifications) and calendars start with this. The default
# is `make run`'s address, for development and tests only: with DEBUG=false, ``check --deploy``
# refuses it, and a missing value (system check ent.E002).
ENT_SITE_URL_DEVELOPMENT = "http://127.0.0.1:8000"
ENT_SITE_URL = env("ENT_SITE_URL", default=ENT_SITE_URL_DEVELOPMENT).rstrip("/")

# --- Web Push (notifications on the person's devices; see docs/architecture/pwa.md) --------
# The VAPID key pair that signs every push: the private key, base64url (raw 32 bytes or DER) or
# PEM. Unset, a development key is generated once in ENT_VAPID_DEV_KEY_FILE; with DEBUG=false,
# the system check ent.E003 refuses to start without it. Make one: manage.py vapid_keys.
ENT_VAPID_PRIVATE_KEY = env("ENT_VAPID_PRIVATE_KEY", default="")
ENT_VAPID_SUBJECT = env("ENT_VAPID_SUBJECT", default="")  # mailto:… or https://…, for the push services
ENT_VAPID_DEV_KEY_FILE = VAR_DIR / "vapid-dev.key"
# The push services a device's subscription may point to (origins, * for a part of a name): the
# workers POST to these addresses only.
ENT_PUSH_SERVICES = env.list(
    "ENT_PUSH_SERVICES",
    default=[
        "https://fcm.googleapis.com",
        "https://updates.push.services.mozilla.com",
        "https://*.push.services.mozilla.com",
        "https://*.notify.windows.com",
        "https://web.push.apple.com",
        "https://*.push.apple.com",
    ],
)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Whenever DEBUG is off, static files are collected under hashed names (a changed file is a new
    # URL, so both whitenoise and nginx send them "immutable", cached a year) with a precompressed
    # .gz sibling for every text file (css, js, svg, json, webmanifest… nginx's gzip_static and
    # whitenoise send it to a browser that accepts gzip). `collectstatic` is therefore part of every
    # production start (the Dockerfile runs it); development (DEBUG on) serves the apps' folders.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "ent.staticfiles.StaticFilesStorage"
    },
}
# The release's name (e.g. a git tag): names the service worker's cache when static file names are
# not hashed (DEBUG on); with them, the manifest's hash does.
ENT_RELEASE = env("ENT_RELEASE", default="")
# In development, whitenoise serves the apps' static files straight from their folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Several hosts: with ENT_MEDIA_S3_BUCKET the media are on an S3 object storage (the object storage
# of any French cloud, through django-storages) shared by every web and worker host; without it,
# on this host's disk under MEDIA_ROOT (`make run`, a single host). Either way a file is served
# only by uploads:serve, after the right to see it is checked (see docs/architecture/production.md).
ENT_MEDIA_S3_BUCKET = env("ENT_MEDIA_S3_BUCKET", default="")
if ENT_MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ENT_MEDIA_S3_BUCKET,
            "endpoint_url": env("ENT_MEDIA_S3_ENDPOINT_URL", default="") or None,
            "access_key": env("ENT_MEDIA_S3_ACCESS_KEY", default="") or None,
            "secret_key": env("ENT_MEDIA_S3_SECRET_KEY", default="") or None,
            "region_name": env("ENT_MEDIA_S3_REGION", default="") or None,
            "location": env("ENT_MEDIA_S3_PREFIX", default=""),
            # Private objects; a URL, when one is made, is signed and lives a minute.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env.int("ENT_MEDIA_S3_URL_SECONDS", default=60),
            "file_overwrite": False,
            "addressing_style": env("ENT_MEDIA_S3_ADDRESSING", default="path"),
            "signature_version": "s3v4",
        },
    }
# Where `make backup` writes (ent.backups): one folder per backup, the database and the media.
ENT_BACKUP_DIR = Path(env("ENT_BACKUP_DIR", default=str(VAR_DIR / "sauvegardes")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Uploaded media (the uploads app; see docs/architecture/uploads.md) ---------------------
# MEDIA_ROOT is never served as such: every file goes through uploads:serve, which checks the
# right. With ENT_MEDIA_ACCEL_REDIRECT (e.g. "/protected-media/"), Django answers with an
# X-Accel-Redirect to that internal nginx location instead of sending the bytes itself.
ENT_MEDIA_ACCEL_REDIRECT = env("ENT_MEDIA_ACCEL_REDIRECT", default="")
ENT_UPLOAD_MAX_IMAGE_BYTES = env.int("ENT_UPLOAD_MAX_IMAGE_BYTES", default=20 * 1024 * 1024)
ENT_UPLOAD_MAX_IMAGE_PIXELS = env.int("ENT_UPLOAD_MAX_IMAGE_PIXELS", default=60_000_000)
ENT_UPLOAD_IMAGE_DISPLAY_PX = env.int("ENT_UPLOAD_IMAGE_DISPLAY_PX", default=1600)
ENT_UPLOAD_IMAGE_THUMB_PX = env.int("ENT_UPLOAD_IMAGE_THUMB_PX", default=400)
ENT_UPLOAD_MAX_AUDIO_BYTES = env.int("ENT_UPLOAD_MAX_AUDIO_BYTES", default=50 * 1024 * 1024)
ENT_UPLOAD_MAX_AUDIO_SECONDS = env.int("ENT_UPLOAD_MAX_AUDIO_SECONDS", default=15 * 60)
ENT_UPLOAD_MAX_DOCUMENT_BYTES = env.int("ENT_UPLOAD_MAX_DOCUMENT_BYTES", default=20 * 1024 * 1024)
# Housekeeping by uploads.purge_media: media never attached to anything, and the kept original of
# an item whose processing failed for a technical reason, are deleted after this many days.
ENT_UPLOAD_UNATTACHED_DAYS = env.int("ENT_UPLOAD_UNATTACHED_DAYS", default=7)
ENT_UPLOAD_FAILED_ORIGINAL_DAYS = env.int("ENT_UPLOAD_FAILED_ORIGINAL_DAYS", default=7)

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The healthchecks ask over plain HTTP from inside the host (docker-compose.yml).
    SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)

# Powerful browser features: the microphone on the site itself (the dictaphone), nothing else.
# Sent by ent.middleware.PermissionsPolicyMiddleware as « feature=(origins) ».
ENT_PERMISSIONS_POLICY = {
    "microphone": ["self"],
    **{
        feature: []
        for feature in (
            "accelerometer",
            "autoplay",
            "bluetooth",
            "browsing-topics",
            "camera",
            "display-capture",
            "encrypted-media",
            "fullscreen",
            "geolocation",
            "gyroscope",
            "hid",
            "idle-detection",
            "magnetometer",
            "midi",
            "payment",
            "picture-in-picture",
            "publickey-credentials-get",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        )
    },
}

# Nothing leaves the server: every script, style, font and image comes from the site itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
# WeasyPrint logs every step of every page it lays out (the notebooks' common book) at INFO.
LOGGING["loggers"]["weasyprint.progress"] = {"level": "WARNING"}

# --- Messagerie: retention -----------------------------------------------------------------
# Received messages left unfiled (the inbox, the shared mailbox) are deleted after this many days,
# those in the trash after ENT_MAIL_TRASH_DAYS; those filed in a personal folder are kept.
ENT_MAIL_RETENTION_DAYS = env.int("ENT_MAIL_RETENTION_DAYS", default=3 * 365)
ENT_MAIL_TRASH_DAYS = env.int("ENT_MAIL_TRASH_DAYS", default=30)
# Messagerie, writing side: « Annuler l’envoi » waits ENT_MAIL_UNDO_SECONDS before delivering; a
# sent message may be recalled for ENT_MAIL_RECALL_MINUTES; attachments of one message are bounded.
ENT_MAIL_UNDO_SECONDS = env.int("ENT_MAIL_UNDO_SECONDS", default=15)
ENT_MAIL_RECALL_MINUTES = env.int("ENT_MAIL_RECALL_MINUTES", default=60)
ENT_MAIL_MAX_ATTACHMENTS_BYTES = env.int("ENT_MAIL_MAX_ATTACHMENTS_BYTES", default=20 * 1024 * 1024)
ENT_MAIL_CONFIRM_ABOVE = env.int("ENT_MAIL_CONFIRM_ABOVE", default=50)
# Development only: with Celery eager under runserver, a thread publishes due rows every 5 seconds.
ENT_INLINE_SCHEDULER = env.bool("ENT_INLINE_SCHEDULER", default=True)
